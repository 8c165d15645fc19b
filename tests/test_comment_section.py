"""The comment section of a post page (the `comment_section` tag), rendered alone."""

import importlib
import re

import pytest
from django.core import signing
from django.utils.translation import gettext

from comments.forms import AUTHOR_COOKIE, CommentForm
from comments.models import Comment
from comments.templatetags.comments_tags import AUTHOR_COOKIE_SALT, PENDING_SESSION_KEY
from comments.views import PENDING_REMEMBERED
from tests.factories import CommentFactory, PageFactory, PostFactory, UserFactory

from .comments_support import comment_data, dangerous_markup, markup, render_section, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def test_section_shows_approved_comments_threaded_with_reply_links(post):
    parent = CommentFactory(post=post, author_name="Camille", body="Premier !")
    reply = CommentFactory(post=post, parent=parent, author_name="Thomas", body="Deuxième.")
    html = render_section(post)
    assert f'id="comment-{parent.pk}"' in html
    assert re.search(rf'id="comment-{parent.pk}".*<ol class="children">.*id="comment-{reply.pk}"', html, re.S)
    assert f'href="?replytocom={reply.pk}#respond"' in html
    assert gettext("Reply") in html
    assert gettext("Leave a comment") in html


def test_pending_spam_and_trash_are_not_shown(post):
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(post=post, status=status, body=f"Texte-{status}")
    html = render_section(post)
    assert "Texte-" not in html


def test_own_pending_comment_is_shown_to_its_writer_only(post):
    pending = CommentFactory(post=post, status=Comment.Status.PENDING, body="Ma question en attente")
    mine = render_section(post, session={PENDING_SESSION_KEY: [pending.pk]})
    assert "Ma question en attente" in mine
    assert gettext("Your comment is awaiting moderation.") in mine
    for other in (render_section(post), render_section(post, user=UserFactory())):
        assert "Ma question en attente" not in other


def test_own_pending_comment_is_shown_to_its_signed_in_writer(post):
    user = UserFactory()
    CommentFactory(post=post, user=user, status=Comment.Status.PENDING, body="Depuis mon compte")
    assert "Depuis mon compte" in render_section(post, user=user)


def test_commenter_email_is_never_in_the_page(post):
    CommentFactory(post=post, author_email="secret.lecteur@example.net")
    pending = CommentFactory(
        post=post, status=Comment.Status.PENDING, author_email="secret.autre@example.net"
    )
    html = render_section(post, session={PENDING_SESSION_KEY: [pending.pk]})
    assert "secret.lecteur@example.net" not in html
    assert "secret.autre@example.net" not in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author_name", '<script>alert("nom")</script>'),
        ("author_name", '"><img src=x onerror=alert(1)>'),
        ("body", '<script>alert("corps")</script>'),
        ("body", '<img src=x onerror="alert(1)">'),
        ("body", "[clic](javascript:alert(1))"),
        ("body", '<a href="javascript:alert(1)" onclick="alert(2)">lien</a>'),
    ],
)
def test_markup_in_name_and_body_never_reaches_the_page(post, field, value):
    CommentFactory(post=post, **{field: value})
    assert dangerous_markup(render_section(post)) == []


def test_inline_code_in_a_comment_reads_as_typed_on_the_page(post):
    CommentFactory(post=post, body="Le code `<script>` ne s’exécute pas.")
    html = render_section(post)
    assert "<code>&lt;script&gt;</code>" in html
    assert "&amp;lt;" not in html


def test_comments_stored_with_double_escaped_code_are_rendered_again_by_the_migration(post):
    from django.apps import apps

    migration = importlib.import_module("comments.migrations.0005_replies_survive_and_inline_code")
    comment = CommentFactory(post=post, body="Le code `<script>` ne s’exécute pas.")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p><code>&amp;lt;script&gt;</code></p>")
    migration.render_inline_code_again(apps, None)
    comment.refresh_from_db()
    assert "<code>&lt;script&gt;</code>" in comment.body_html


@pytest.mark.parametrize(
    "website",
    [
        'https://x.example/"onmouseover="alert(1)',
        "https://x.example/'><script>alert(1)</script>",
        "https://x.example/?q=<img/src=x/onerror=alert(1)>",
    ],
)
def test_markup_in_a_submitted_website_never_reaches_the_page(post, website):
    comment = submit(post, author_url=website, author_name="Ève")
    comment_moderate_to_approved(comment)
    html = render_section(post)
    assert dangerous_markup(html) == []
    links = [
        attrs for tag, attrs in markup(html) if tag == "a" and attrs.get("rel", "").startswith("external")
    ]
    assert set(links[0]) == {"href", "rel"}


def comment_moderate_to_approved(comment):
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)


def test_stored_javascript_website_is_not_linked(post):
    # An import may bring a website the form would refuse.
    comment = CommentFactory(post=post, author_name="Mallory")
    Comment.objects.filter(pk=comment.pk).update(author_url="javascript:alert(document.cookie)")
    html = render_section(post)
    assert dangerous_markup(html) == []
    assert "Mallory" in html


def test_website_is_linked_with_nofollow(post):
    CommentFactory(post=post, author_name="Inès", author_url="https://ines.example/")
    html = render_section(post)
    assert '<a href="https://ines.example/" rel="external nofollow ugc noopener">Inès</a>' in html


def test_replytocom_sets_the_parent_and_the_heading(post):
    parent = CommentFactory(post=post, author_name="Camille")
    html = render_section(post, query={"replytocom": parent.pk})
    assert f'name="parent" value="{parent.pk}"' in html
    assert gettext("Reply to %(name)s").replace("%(name)s", "Camille") in html or "Camille" in html
    assert gettext("Cancel reply") in html


@pytest.mark.parametrize("value", ["abc", "999999", "-1"])
def test_unknown_replytocom_is_ignored(post, value):
    html = render_section(post, query={"replytocom": value})
    assert 'name="parent" value=' not in html
    assert gettext("Leave a comment") in html


def test_form_has_every_field_the_signed_token_and_a_hidden_honeypot(post):
    html = render_section(post)
    for name in (
        "author_name",
        "author_email",
        "author_url",
        "body",
        "consent",
        "timestamp",
        "security_hash",
    ):
        assert f'name="{name}"' in html, name
    assert gettext("will not be published") in html
    assert re.search(r'style="display:none" aria-hidden="true">.*name="honeypot"', html, re.S)
    assert gettext("Save my name, email, and website in this browser for the next time I comment.") in html


def test_signed_in_reader_is_not_asked_for_name_and_email(post):
    html = render_section(post, user=UserFactory(username="lea", first_name="Léa", last_name="Roy"))
    assert 'name="author_name"' not in html
    assert 'name="author_email"' not in html
    assert "Léa Roy" in html


def test_author_cookie_prefills_the_form_and_ticks_consent(post):
    cookie = signing.dumps(
        {"author_name": "Zoé", "author_email": "zoe@example.net", "author_url": ""}, salt=AUTHOR_COOKIE_SALT
    )
    html = render_section(post, cookies={AUTHOR_COOKIE: cookie})
    assert 'value="Zoé"' in html
    assert 'value="zoe@example.net"' in html
    assert re.search(r'name="consent"[^>]*checked', html)


def test_a_forged_author_cookie_is_ignored(post):
    html = render_section(post, cookies={AUTHOR_COOKIE: "forged-value"})
    assert 'name="author_name" maxlength="100"' in html
    assert not re.search(r'name="consent"[^>]*checked', html)


def test_bound_form_from_the_view_is_shown_with_its_values_and_errors(post):
    data = comment_data(post, author_email="pas-un-email", body="Mon long texte à ne pas perdre")
    form = CommentForm(data, post=post)
    assert not form.is_valid()
    html = render_section(post, extra={"comment_form": form})
    assert "Mon long texte à ne pas perdre" in html
    assert 'value="pas-un-email"' in html
    assert 'value="Zoé Martin"' in html
    assert 'value="https://zoe.example.net/"' in html
    assert "errorlist" in html


def test_closed_post_shows_the_message_instead_of_the_form(post):
    post.allow_comments = False
    CommentFactory(post=post, body="Ancien commentaire")
    html = render_section(post)
    assert gettext("Comments are closed.") in html
    assert 'id="commentform"' not in html
    assert "Ancien commentaire" in html
    assert "replytocom" not in html


def test_form_links_to_the_privacy_policy_when_it_exists(post):
    assert "politique-de-confidentialite" not in render_section(post)
    PageFactory(title="Politique de confidentialité", slug="politique-de-confidentialite")
    assert 'href="/politique-de-confidentialite/"' in render_section(post)


def test_section_query_count_does_not_grow_with_comments(django_assert_num_queries):
    small, large = PostFactory(), PostFactory()
    CommentFactory(post=small)
    roots = Comment.objects.bulk_create(
        Comment(post=large, author_name=f"L{i}", body=f"Racine {i}", status="approved") for i in range(100)
    )
    Comment.objects.bulk_create(
        Comment(post=large, parent=root, author_name="R", body="Réponse", status="approved") for root in roots
    )
    assert Comment.objects.filter(post=large).count() == 200
    render_section(small)  # warm up: templates, site cache
    counts = []
    for post in (small, large):
        with django_assert_num_queries(1) as captured:
            render_section(post, session={PENDING_SESSION_KEY: [1, 2]})
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_session_remembers_a_bounded_number_of_pending_comments():
    assert 5 <= PENDING_REMEMBERED <= 50
