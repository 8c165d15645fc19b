"""
The editorial desk in a real browser (Debian's Chromium through Playwright, against a
production-like gunicorn on PostgreSQL, as tests/test_browser.py): nobody loses a word.

A contributor writes a draft, autosave fires, the tab is closed without saving; back
on the post, the contributor restores the autosaved text into the markdownx editor and
submits it for review. An editor finds it in the queue, compares two revisions,
restores one and publishes. Then two editors open one post: each sees the other is
there, the second save is refused with what changed, and the refused text comes back.

Autosave and heartbeat every second here (PLUME_AUTOSAVE_SECONDS,
PLUME_PRESENCE_HEARTBEAT_SECONDS); the cache is Redis when it runs, so presence
crosses gunicorn's two processes, else one process.
"""

import random
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from authors.roles import CONTRIBUTOR, EDITOR, sync_role_groups
from blog.models import Autosave, Post, Status

from .factories import AuthorFactory, CategoryFactory, PostFactory, UserFactory
from .servers import collected_static, database_url, gunicorn, redis_is_up, skip_unless_postgresql  # noqa: F401
from .test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS

pytestmark = [
    pytest.mark.skipif(
        not __import__("os").path.exists(CHROMIUM),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]

FIRST_DRAFT = "## Premier jet\n\nUn début timide."
AUTOSAVED = "## Deuxième jet\n\nTout ce que j’ai écrit avant de fermer l’onglet, mot pour mot."
CATEGORY = "Modèles de langage"
SIMONE_TITLE = "Le titre revu par Simone"
PAUL_TEXT = "## La version de Paul\n\nUn paragraphe que Paul ne veut pas perdre."


def desk_gunicorn(collected_static, autosave_seconds):  # noqa: F811
    skip_unless_postgresql()
    environment = {
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(collected_static),
        "PLUME_AUTOSAVE_SECONDS": str(autosave_seconds),
        "PLUME_PRESENCE_HEARTBEAT_SECONDS": "1",
    }
    workers = 1
    if redis_is_up():
        environment["CACHE_URL"] = f"redis://127.0.0.1:6379/{random.randint(8, 15)}"
        workers = 2
    return gunicorn(environment, workers=workers)


@pytest.fixture
def desk_server(transactional_db, collected_static):  # noqa: F811
    with desk_gunicorn(collected_static, autosave_seconds=1) as base_url:
        yield base_url


@pytest.fixture
def server_without_timed_autosave(transactional_db, collected_static):  # noqa: F811
    """Autosave once an hour: what is kept was sent on leaving the page."""
    with desk_gunicorn(collected_static, autosave_seconds=3600) as base_url:
        yield base_url


def person(username, role, name):
    user = UserFactory(username=username, role=role)
    hasher = PBKDF2PasswordHasher()  # the server's hashers do not include the tests' fast MD5
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    AuthorFactory(user=user, display_name=name)
    return user


def in_browser(scenario, base_url):
    """Run `scenario(new_page, base_url)` in Chromium in a thread of its own; `new_page(username)`
    opens a tab logged in as that user, in a browser profile of its own."""

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            violations = []
            try:

                def new_page(username):
                    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
                    page = context.new_page()
                    page.set_default_timeout(TIMEOUT_MS)
                    page.on(
                        "console",
                        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
                    )
                    page.goto(f"{base_url}/admin/login/")
                    page.locator("#id_username").fill(username)
                    page.locator("#id_password").fill(PASSWORD)
                    page.locator("input[type=submit]").click()
                    page.wait_for_url(f"{base_url}/admin/")
                    return page

                return scenario(new_page, base_url), violations
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def lf(text):
    """Browsers post a textarea's lines ending in CRLF."""
    return text.replace("\r\n", "\n")


def type_in_editor(page, text):
    body = page.locator("#id_body")
    body.fill("")
    body.press_sequentially(text, delay=2)


def write_and_close_the_tab(new_page, base_url):
    page = new_page("camille")
    page.goto(f"{base_url}/admin/blog/post/add/")
    page.locator("#id_title").fill("Les modèles ouverts")
    page.locator("#id_body").fill(FIRST_DRAFT)
    page.locator('input[name="_continue"]').click()
    page.wait_for_url(re.compile(r"/change/$"))
    change_url = page.url
    # Chosen and typed, not saved: autosave sends it within a second.
    page.locator("#id_categories_from").select_option(label=CATEGORY)
    page.locator("#id_categories_add").click()
    with page.expect_response(
        lambda r: (
            r.url.endswith("/autosave/") and "fermer l’onglet, mot pour mot" in (r.request.post_data or "")
        )
    ) as autosaved:
        type_in_editor(page, AUTOSAVED)
    status = autosaved.value.status
    page.context.close()  # the tab, and the browser profile, gone without saving
    return {"change_url": change_url, "status": status}


def come_back_restore_and_submit(new_page, base_url, *, change_url):
    from playwright.sync_api import expect

    page = new_page("camille")
    page.goto(change_url)
    notice = page.locator(".plume-autosave-notice")
    expect(notice.locator("h2")).to_have_text("Une sauvegarde automatique plus récente existe")
    expect(page.locator("#id_body")).to_have_value(FIRST_DRAFT)
    notice.locator(".plume-autosave-restore").click()
    expect(notice).to_be_hidden()
    expect(page.locator("#id_body")).to_have_value(AUTOSAVED)
    # The category chosen in the picker comes back into the chosen box.
    expect(page.locator("#id_categories_to option")).to_have_text([CATEGORY])
    expect(page.locator("#id_categories_from option", has_text=CATEGORY)).to_have_count(0)
    # The markdownx preview follows the restored text.
    expect(page.locator(".markdownx-preview h2")).to_have_text("Deuxième jet")
    page.locator('input[name="_submit_review"]').click()
    page.wait_for_load_state()
    expect(page.locator("ul.messagelist")).to_be_visible()


def review_compare_restore_publish(new_page, base_url):
    from playwright.sync_api import expect

    page = new_page("simone")
    queue = page.locator(".posts-awaiting-review a")
    expect(queue).to_contain_text("1 article en attente de relecture")
    queue.click()
    page.locator("#result_list a", has_text="Les modèles ouverts").click()
    page.locator('.object-tools a[href$="/revisions/"]').click()
    page.locator('form[action$="/revisions/compare/"] input[type=submit]').click()
    diff = page.locator(".revision-diff")
    expect(diff.locator("del").first).to_be_visible()
    compared = {
        "removed": diff.locator("del").all_inner_texts(),
        "added": diff.locator("ins").all_inner_texts(),
    }
    page.go_back()
    page.locator('a[href*="/restore/"]').last.click()  # the oldest revision: the first draft
    page.locator("form input[type=submit].default").click()
    page.wait_for_url(re.compile(r"/change/$"))
    expect(page.locator("#id_body")).to_have_value(FIRST_DRAFT)
    page.locator("#id_status").select_option("published")
    page.locator('input[name="_continue"]').click()
    page.wait_for_url(re.compile(r"/change/$"))
    expect(page.locator("ul.messagelist .success")).to_be_visible()
    return compared


def two_editors_on_one_post(new_page, base_url, *, change_url):
    from playwright.sync_api import expect

    simone = new_page("simone")
    simone.goto(change_url)
    paul = new_page("paul")
    paul.goto(change_url)
    seen = {}
    # Paul sees Simone from the moment the form opens; Simone sees Paul by his heartbeat.
    expect(paul.locator(".plume-presence")).to_contain_text(
        re.compile(r"Simone modifie cet article depuis \d\d:\d\d")
    )
    expect(simone.locator(".plume-presence")).to_contain_text(
        re.compile(r"Paul modifie cet article depuis \d\d:\d\d")
    )
    seen["paul_sees"] = paul.locator(".plume-presence").inner_text()

    simone.locator("#id_title").fill(SIMONE_TITLE)
    simone.locator('input[name="_continue"]').click()
    simone.wait_for_url(re.compile(r"/change/$"))
    expect(simone.locator("ul.messagelist .success")).to_be_visible()

    type_in_editor(paul, PAUL_TEXT)
    paul.locator('input[name="_continue"]').click()
    paul.wait_for_load_state()
    expect(paul.locator("ul.messagelist .error")).to_contain_text("Non enregistré : Simone l’a enregistré")
    notice = paul.locator(".plume-autosave-notice")
    expect(notice.locator(".plume-changed-meanwhile ins")).to_contain_text([SIMONE_TITLE])
    # The form shows the post as saved now; Paul brings his text back over it.
    expect(paul.locator("#id_title")).to_have_value(SIMONE_TITLE)
    notice.locator(".plume-autosave-restore").click()
    expect(paul.locator("#id_body")).to_have_value(PAUL_TEXT)
    expect(paul.locator("#id_title")).to_have_value(SIMONE_TITLE)
    paul.locator('input[name="_continue"]').click()
    paul.wait_for_url(re.compile(r"/change/$"))
    expect(paul.locator("ul.messagelist .success")).to_be_visible()
    return seen


def test_nobody_loses_a_word_from_draft_to_publication_and_in_a_conflict(desk_server):
    sync_role_groups()  # a transactional test flushes the role groups: create them again
    camille = person("camille", CONTRIBUTOR, "Camille")
    category = CategoryFactory(name=CATEGORY)
    CategoryFactory(name="Une autre rubrique")
    person("simone", EDITOR, "Simone")
    person("paul", EDITOR, "Paul")

    written, violations = in_browser(write_and_close_the_tab, desk_server)
    post = Post.objects.get(title="Les modèles ouverts")
    assert written["status"] == 200
    assert lf(post.body) == FIRST_DRAFT  # the autosave never touched the post
    autosaved = Autosave.objects.get(user=camille, post=post).data
    assert lf(autosaved["body"]) == AUTOSAVED
    assert autosaved["categories"] in ([str(category.pk)], str(category.pk))
    assert not post.categories.exists()

    _, more = in_browser(
        lambda new_page, base: come_back_restore_and_submit(new_page, base, change_url=written["change_url"]),
        desk_server,
    )
    violations += more
    post.refresh_from_db()
    assert post.status == Status.PENDING
    assert lf(post.body) == AUTOSAVED
    assert list(post.categories.all()) == [category]
    assert not Autosave.objects.filter(user=camille).exists()

    compared, more = in_browser(review_compare_restore_publish, desk_server)
    violations += more
    assert any("Premier" in text for text in compared["removed"])
    assert any("Deuxième" in text for text in compared["added"])
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.is_public
    assert lf(post.body) == FIRST_DRAFT
    # Created, submitted, restored, published: every step is a revision, the autosaved text included.
    bodies = [lf(revision.data["body"]) for revision in post.revisions.all()]
    assert len(bodies) == 4 and AUTOSAVED in bodies

    seen, more = in_browser(
        lambda new_page, base: two_editors_on_one_post(new_page, base, change_url=written["change_url"]),
        desk_server,
    )
    violations += more
    assert "Simone modifie cet article depuis" in seen["paul_sees"]
    post.refresh_from_db()
    assert post.title == SIMONE_TITLE  # Paul's refused save did not overwrite Simone's
    assert lf(post.body) == PAUL_TEXT  # and his text, restored, was saved over it
    assert violations == []


def leave_the_page(new_page, base_url, *, post_pk, how):
    page = new_page("camille")
    page.goto(f"{base_url}/admin/blog/post/{post_pk}/change/")
    page.locator("#id_excerpt").fill(f"Écrit juste avant de partir ({how}).")
    if how == "navigation":
        page.goto(f"{base_url}/admin/")
    else:
        # A browser lives on after one of its tabs is closed; the beacon leaves from it then.
        still_open = page.context.new_page()
        page.close(run_before_unload=True)
        still_open.wait_for_timeout(2000)


@pytest.mark.parametrize("how", ["navigation", "closing the tab"])
def test_leaving_the_page_sends_the_unsaved_text_as_a_beacon(server_without_timed_autosave, how):
    sync_role_groups()
    camille = person("camille", CONTRIBUTOR, "Camille")
    post = PostFactory(author=camille.author, draft=True, excerpt="")

    in_browser(
        lambda new_page, base: leave_the_page(new_page, base, post_pk=post.pk, how=how),
        server_without_timed_autosave,
    )

    # A beacon is delivered after the page has gone: give it a moment.
    deadline = time.monotonic() + 10
    while not Autosave.objects.filter(user=camille, post=post).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (
        Autosave.objects.get(user=camille, post=post).data["excerpt"]
        == f"Écrit juste avant de partir ({how})."
    )
    post.refresh_from_db()
    assert post.excerpt == ""
