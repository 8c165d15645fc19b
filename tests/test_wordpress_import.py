"""Importing a WordPress export: what comes in, in which state, and what stays reachable."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment
from wordpress.importer import wordpress_import
from wordpress.middleware import WordPressIdRedirectMiddleware

from .factories import AuthorFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
BLOG = FIXTURES / "blog.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language, whatever the site's default."""
    with translation.override("en"):
        yield


@pytest.fixture
def report():
    return wordpress_import(path=BLOG)


def post(wordpress_id):
    return Post.objects.get(wordpress_id=wordpress_id)


def comment(wordpress_id):
    return Comment.objects.get(wordpress_id=wordpress_id)


def counts(report, kind):
    c = report.counts[kind]
    return c.created, c.updated, c.skipped


# Statuses and dates


def test_published_post_keeps_its_gmt_date(report):
    mistral = post(101)
    assert mistral.status == Status.PUBLISHED
    assert mistral.published_at == datetime(2024, 5, 12, 8, 30, tzinfo=UTC)
    assert mistral.is_public


def test_future_post_is_scheduled_at_its_date(report):
    scheduled = post(102)
    assert scheduled.status == Status.PUBLISHED
    assert scheduled.published_at == datetime(2099, 1, 1, 9, 0, tzinfo=UTC)
    assert scheduled.is_scheduled
    assert not Post.objects.published().filter(pk=scheduled.pk).exists()


def test_draft_posts_become_drafts_and_pending_ones_pending_review_without_a_date(report):
    for wordpress_id, status in ((103, Status.DRAFT), (104, Status.PENDING)):
        imported = post(wordpress_id)
        assert imported.status == status
        assert imported.published_at is None  # 0000-00-00 00:00:00 in the file


def test_private_and_password_protected_posts_become_drafts_listed_in_the_report(report):
    assert post(105).status == Status.DRAFT
    assert post(106).status == Status.DRAFT
    assert len(report.drafted) == 2
    assert any("Notes privées" in line for line in report.drafted)
    assert any("Réservé aux abonnés" in line for line in report.drafted)


# Authors


def test_authors_become_accounts_with_author_profiles(report):
    simone = get_user_model().objects.get(username="simone")
    assert simone.email == "simone@example.fr"
    assert not simone.has_usable_password()
    assert simone.author.display_name == "Simone Dupré"  # repaired mojibake
    assert post(101).author == simone.author


def test_malformed_author_login_is_normalized_with_a_warning(report):
    author = Author.objects.get(user__username="jean-marc")
    assert author.display_name == "Jean-Marc"
    assert author.user.email == ""  # "not-an-email" was left out
    assert post(104).author == author
    assert any("jean marc!" in warning for warning in report.warnings)


def test_post_without_author_gets_a_created_fallback_author(report):
    assert post(107).author.user.username == "wordpress"
    assert any("no author" in warning for warning in report.warnings)


def test_post_without_author_gets_the_default_author_given():
    chosen = AuthorFactory(slug="redaction")
    wordpress_import(path=BLOG, default_author="redaction")
    assert post(107).author == chosen
    assert not get_user_model().objects.filter(username="wordpress").exists()


def test_existing_account_with_the_same_login_is_reused_not_overwritten():
    user = UserFactory(username="simone", email="simone@plume.example")
    wordpress_import(path=BLOG)
    user.refresh_from_db()
    assert user.email == "simone@plume.example"
    assert get_user_model().objects.filter(username="simone").count() == 1
    assert post(101).author.user == user


# Categories and tags


def test_categories_keep_their_hierarchy_whatever_their_order_in_the_file(report):
    llm = Category.objects.get(slug="llm")
    assert llm.parent.slug == "intelligence-artificielle"
    assert llm.parent.parent.slug == "actualites"
    assert llm.parent.parent.parent is None
    assert Category.objects.get(slug="actualites").name == "Actualités"  # repaired
    assert list(post(101).categories.all()) == [llm]


def test_tags_named_only_on_posts_are_created_too(report):
    assert set(post(101).tags.values_list("slug", flat=True)) == {"mistral", "gpt", "souverainete"}
    assert Tag.objects.get(slug="souverainete").name == "Souveraineté"


# Flags and references


def test_sticky_flag_and_closed_comments_are_kept(report):
    assert post(101).sticky is True
    assert post(102).sticky is False
    assert post(101).allow_comments is True
    assert post(102).allow_comments is False


def test_featured_image_is_a_reference_to_the_attachment_url(report):
    mistral = post(101)
    assert mistral.featured_image_url == "https://blog.example.fr/wp-content/uploads/2024/05/gpu.jpg"
    assert mistral.featured_image_alt == "Des cartes graphiques"
    assert not mistral.featured_image  # nothing downloaded


def test_attachments_and_menu_items_are_left_out_and_listed(report):
    assert report.ignored == {"attachment": 1, "nav_menu_item": 1}


# Content


def test_gutenberg_block_comments_are_stripped_and_headings_feed_the_table_of_contents(report):
    mistral = post(101)
    assert "wp:" not in mistral.body
    assert "## La compétition des géants : un paysage dominé" in mistral.body
    assert [entry["id"] for entry in mistral.toc] == [
        "la-competition-des-geants-un-paysage-domine",
        "les-defis",
    ]
    assert mistral.toc[0]["children"][0]["title"] == "Les forces en présence"
    assert '<h2 id="la-competition-des-geants-un-paysage-domine">' in mistral.body_html
    assert "<li>Anthropic</li>" in mistral.body_html


def test_classic_content_keeps_its_paragraphs_and_line_breaks(report):
    html = post(102).body_html
    assert "<p>Premier paragraphe de la semaine.<br>\nUne ligne juste après.</p>" in html
    assert "<p>Deuxième paragraphe, avec une <strong>mise en avant</strong>.</p>" in html
    assert '<h2 id="une-section">Une section</h2>' in html


def test_shortcodes_stay_visible_as_text(report):
    html = post(102).body_html
    assert '[gallery ids="900,901" columns="2"]' in html
    assert '[caption id="attachment_900" align="alignnone" width="300"]' in html
    assert "[/caption]" in html
    assert '<img alt="Des GPU" src="https://blog.example.fr/wp-content/uploads/2024/05/gpu.jpg">' in html


def test_mojibake_is_repaired_in_title_body_and_comment_and_counted(report):
    assert post(102).title == "Résumé de la semaine"
    body = post(101).body
    assert "La course à l’intelligence artificielle s’accélère à une vitesse folle." in body
    assert "Il est nécessaire d’être réaliste" in body
    assert "semé d’embûches pour la pépite française" in body
    assert "Ă" not in body
    assert comment(1).body == "Un article très clair, merci ! J’ai déjà partagé le lien."
    assert report.counts["posts"].repaired == 2
    assert report.counts["comments"].repaired == 1
    assert report.counts["authors"].repaired == 2


def test_post_without_title_is_titled_from_its_first_words_with_a_warning(report):
    assert post(107).title == "Une pensée rapide sans titre, écrite depuis le"
    assert any("107" in warning and "no title" in warning for warning in report.warnings)


def test_reserved_and_duplicate_slugs_are_made_unique_with_warnings(report):
    assert post(108).slug == "admin-2"
    page = Page.objects.get(wordpress_id=203)
    assert post(101).slug == "mistral-3-llm"
    assert page.slug == "mistral-3-llm-2"
    assert any("“admin”" in warning and "reserved" in warning for warning in report.warnings)
    assert any("“mistral-3-llm”" in warning and "taken" in warning for warning in report.warnings)


def test_pages_are_imported_with_their_menu_order_and_top_level_ones_in_the_menu(report):
    assert list(Page.objects.values_list("slug", "menu_order", "show_in_menu")) == [
        ("a-propos", 1, True),
        ("equipe", 2, False),
        ("mistral-3-llm-2", 3, True),
    ]


# Comments


def test_comments_keep_their_threading_deeper_than_the_display_cap(report):
    deepest = comment(7)
    chain = []
    node = deepest
    while node is not None:
        chain.append(node.wordpress_id)
        node = node.parent
    assert chain == [7, 6, 5, 4, 3, 2, 1]
    assert all(c.post == post(101) for c in Comment.objects.filter(wordpress_id__lte=7))


def test_comment_statuses_and_kinds_are_mapped(report):
    assert comment(1).status == Comment.Status.APPROVED
    assert comment(10).status == Comment.Status.SPAM
    assert comment(11).status == Comment.Status.PENDING
    assert comment(12).status == Comment.Status.TRASH
    assert comment(8).kind == Comment.Kind.PINGBACK
    assert comment(9).kind == Comment.Kind.TRACKBACK
    assert comment(2).kind == Comment.Kind.COMMENT  # an empty comment_type


def test_comment_personal_data_is_minimized(report):
    assert comment(1).ip_address == "192.168.12.0"
    assert comment(2).ip_address == "2001:db8:85a3::"
    assert comment(10).author_url == ""  # "not a url"
    assert comment(1).created_at == datetime(2024, 5, 12, 10, 0, tzinfo=UTC)


def test_comment_by_a_site_user_is_linked_to_their_account(report):
    assert comment(11).user.username == "simone"


def test_comments_on_pages_come_in_on_their_page(report):
    assert Comment.objects.count() == 13
    on_page = Comment.objects.get(page__isnull=False)
    assert on_page.page.title == "À propos" and on_page.post is None
    assert report.counts["comments"].skipped == 0
    assert not any("À propos" in warning for warning in report.warnings)


# Old addresses


def test_old_permalink_redirects_permanently_to_the_new_address(report, client):
    response = client.get("/2024/05/12/mistral-3-llm/")
    assert response.status_code == 301
    assert response["Location"] == "/mistral-3-llm/"
    response = client.get("/a-propos/equipe/")
    assert response.status_code == 301
    assert response["Location"] == "/equipe/"


def test_wordpress_short_links_redirect_permanently_to_the_new_address(report, client):
    response = client.get("/?p=101")
    assert response.status_code == 301
    assert response["Location"] == "/mistral-3-llm/"
    response = client.get("/?page_id=203")
    assert response.status_code == 301
    assert response["Location"] == "/mistral-3-llm-2/"


def test_no_redirect_where_the_address_did_not_change_or_another_item_lives(report):
    # /a-propos/ is still the page's address; /mistral-3-llm/ is now the post's.
    assert not Redirect.objects.filter(old_path__in=["/a-propos/", "/mistral-3-llm/"]).exists()


def test_short_link_middleware_passes_other_requests_through_without_a_query(
    report, django_assert_num_queries
):
    middleware = WordPressIdRedirectMiddleware(lambda request: "the view")
    factory = RequestFactory()
    with django_assert_num_queries(0):
        assert middleware(factory.get("/", {"q": "x"})) == "the view"
        assert middleware(factory.get("/mistral-3-llm/", {"p": "101"})) == "the view"
        assert middleware(factory.get("/", {"p": "abc"})) == "the view"
    assert middleware(factory.get("/", {"p": "999"})) == "the view"  # unknown id: the home page


# Running it again, dry runs


def test_importing_again_creates_nothing_twice(report):
    totals = [model.objects.count() for model in (Post, Page, Category, Tag, Comment, Author, Redirect)]
    again = wordpress_import(path=BLOG)
    assert [
        model.objects.count() for model in (Post, Page, Category, Tag, Comment, Author, Redirect)
    ] == totals
    for kind, c in again.counts.items():
        assert (c.created, c.updated) == (0, 0), kind
    assert counts(again, "posts") == (0, 0, 8)
    assert counts(again, "comments") == (0, 0, 13)


def test_importing_a_changed_file_updates_what_changed(report, tmp_path):
    changed = tmp_path / "changed.xml"
    text = BLOG.read_text(encoding="utf-8")
    text = text.replace("<![CDATA[En relecture]]>", "<![CDATA[Relu et corrigé]]>")
    text = text.replace("<wp:post_name><![CDATA[en-relecture]]>", "<wp:post_name><![CDATA[relu]]>")
    text = text.replace("<![CDATA[Buy now!]]>", "<![CDATA[Buy now!!!]]>")
    changed.write_text(text, encoding="utf-8")
    again = wordpress_import(path=changed)
    assert counts(again, "posts") == (0, 1, 7)
    assert counts(again, "comments") == (0, 1, 12)
    assert post(104).title == "Relu et corrigé"
    assert Redirect.objects.get(old_path="/?p=104").new_path == "/relu/"


def test_dry_run_changes_nothing_and_reports_the_same():
    dry = wordpress_import(path=BLOG, dry_run=True)
    assert dry.dry_run
    for model in (Post, Page, Category, Tag, Comment, Author, Redirect):
        assert not model.objects.exists(), model
    assert not get_user_model().objects.exists()
    real = wordpress_import(path=BLOG)
    assert dry.counts == real.counts
    assert dry.warnings == real.warnings


def test_report_counts_what_was_created(report):
    assert counts(report, "authors") == (3, 0, 0)  # simone, jean-marc, the fallback
    assert counts(report, "categories") == (4, 0, 0)
    assert counts(report, "tags") == (3, 0, 0)
    assert counts(report, "posts") == (8, 0, 0)
    assert counts(report, "pages") == (3, 0, 0)
    assert counts(report, "comments") == (13, 0, 0)  # the page's comment included
    assert report.counts["redirects"].created == Redirect.objects.count() > 0


def test_command_prints_the_summary_table(capsys):
    call_command("import_wordpress", str(BLOG), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out or "dry" in out.lower()
    assert "created" in out and "repaired" in out
    assert "Notes privées" in out
    assert not Post.objects.exists()


def test_wxr_1_0_file_is_imported_with_authors_from_their_posts():
    report = wordpress_import(path=FIXTURES / "wxr-1.0.xml")
    old = Post.objects.get(wordpress_id=1)
    assert old.author.user.username == "admin"
    assert old.published_at == datetime(2007, 3, 5, 10, 0, tzinfo=UTC)
    assert list(old.categories.values_list("slug", flat=True)) == ["divers"]
    assert "<p>Et son second paragraphe.</p>" in old.body_html
    assert counts(report, "categories") == (1, 0, 0)


def test_progress_is_reported_as_the_file_is_read():
    seen = []
    wordpress_import(path=BLOG, progress=lambda position, size: seen.append((position, size)))
    assert len(seen) == 13  # one call per item
    assert {size for _, size in seen} == {BLOG.stat().st_size}
    positions = [position for position, _ in seen]
    assert positions == sorted(positions)
    assert 0 < positions[-1] <= BLOG.stat().st_size


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_shows_a_progress_bar_on_a_terminal_only(capsys):
    call_command("import_wordpress", str(BLOG), "--dry-run", stdout=io.StringIO())
    assert "Importing" not in capsys.readouterr().err
    call_command("import_wordpress", str(BLOG), "--dry-run", stdout=Terminal())
    assert "Importing" in capsys.readouterr().err


def test_reimport_runs_the_same_number_of_queries_whatever_the_number_of_items(tmp_path):
    text = BLOG.read_text(encoding="utf-8")
    start = text.index("\t<item>\n\t\t<title><![CDATA[Un brouillon]]>")
    draft = text[start : text.index("</item>", start) + len("</item>\n")]
    copies = "".join(draft.replace("<wp:post_id>103<", f"<wp:post_id>{n}<") for n in range(301, 311))
    bigger = tmp_path / "bigger.xml"
    bigger.write_text(text.replace(draft, draft + copies), encoding="utf-8")

    def queries_to_reimport(path):
        wordpress_import(path=path)
        with CaptureQueriesContext(connection) as queries:
            wordpress_import(path=path)
        return len(queries)

    small = queries_to_reimport(BLOG)
    assert Post.objects.count() == 8
    large = queries_to_reimport(bigger)
    assert Post.objects.count() == 18
    assert large == small <= 22  # two of them: what is still to go live, posts then pages
