"""
Real browser: Debian's Chromium driven by Playwright against a production-like gunicorn
(tests/servers.py: PostgreSQL, DEBUG off, the real CSP and static files).

A reader follows the "Sommaire" to a heading and leaves a comment that waits for
moderation; an editor types Markdown in the admin, sees the markdownx preview update
(so the Content Security Policy lets the admin and its editor work), and approves
the comment from the admin's list.

Playwright's sync API runs an event loop in the thread that uses it, and Django refuses
database work in such a thread: the browser runs in a worker thread of its own, and the
test thread alone touches the database (no DJANGO_ALLOW_ASYNC_UNSAFE needed).
"""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from authors.roles import EDITOR, sync_role_groups
from comments.models import Comment

from .factories import CommentFactory, PostFactory, UserFactory
from .servers import collected_static, gunicorn_server  # noqa: F401 - fixtures used below

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
PASSWORD = "motdepasse-solide-42"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


def in_browser(scenario, base_url):
    """Run `scenario(page, base_url)` in Chromium, in a thread of its own; return what it returns."""

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="fr-FR")
                page.set_default_timeout(TIMEOUT_MS)
                page.csp_violations = []
                page.on(
                    "console",
                    lambda message: (
                        page.csp_violations.append(message.text)
                        if "Content Security Policy" in message.text
                        else None
                    ),
                )
                result = scenario(page, base_url)
                return result, page.csp_violations
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


LONG_BODY = "\n\n".join(
    [
        "Une introduction.",
        "## Le contexte",
        *[
            f"Paragraphe de contexte numéro {n}, assez long pour pousser la suite plus bas."
            for n in range(40)
        ],
        "## La compétition des géants",
        "Le cœur de l’article.",
        *[f"Paragraphe de fin numéro {n}." for n in range(40)],
    ]
)


def reader_scenario(page, base_url, *, post_url, heading_id):
    from playwright.sync_api import expect

    page.goto(base_url + post_url)
    heading = page.locator(f"#{heading_id}")
    expect(heading).not_to_be_in_viewport()
    page.locator(f'nav.sommaire a[href="#{heading_id}"]').click()
    expect(heading).to_be_in_viewport()
    hash_after_click = page.evaluate("window.location.hash")

    expect(page.locator("#reply-title")).to_have_text("Laisser un commentaire")
    form = page.locator("#commentform")
    form.locator("#id_author_name").fill("Zoé Lectrice")
    form.locator("#id_author_email").fill("zoe@example.net")
    form.locator("#id_body").fill("Merci pour ce panorama très clair !")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".comment-awaiting-moderation")).to_have_text(
        "Votre commentaire est en attente de modération."
    )
    expect(page.locator(".comment-content")).to_contain_text("Merci pour ce panorama très clair !")
    return {"hash": hash_after_click, "url": page.url}


def test_a_reader_follows_the_sommaire_and_leaves_a_comment_awaiting_moderation(gunicorn_server):  # noqa: F811
    post = PostFactory(title="Mistral 3 face aux géants", body=LONG_BODY)
    heading_id = post.toc[1]["id"]

    def scenario(page, base_url):
        return reader_scenario(page, base_url, post_url=post.get_absolute_url(), heading_id=heading_id)

    seen, csp_violations = in_browser(scenario, gunicorn_server)

    assert seen["hash"] == f"#{heading_id}"
    comment = Comment.objects.get(post=post)
    assert (comment.author_name, comment.status) == ("Zoé Lectrice", Comment.Status.PENDING)
    assert seen["url"].endswith(f"{post.get_absolute_url()}#comment-{comment.pk}")
    assert csp_violations == []


def editor_scenario(page, base_url, *, username, post_pk, comment_pk):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base_url}/admin/")

    previews = []
    page.on("response", lambda r: previews.append(r.status) if "markdownify" in r.url else None)
    page.goto(f"{base_url}/admin/blog/post/{post_pk}/change/")
    preview = page.locator(".markdownx-preview")
    # markdownx renders the stored body when the page opens, then again as one types.
    expect(preview.locator("h2")).to_have_text(["Première partie", "Seconde partie"])
    body = page.locator("#id_body")
    body.fill("")
    body.press_sequentially(
        "## Titre tapé\n\nDu texte *mis en valeur*.\n\n<script>alert(1)</script>", delay=5
    )
    expect(preview.locator("h2")).to_have_text(["Titre tapé"], timeout=TIMEOUT_MS)
    expect(preview.locator("em")).to_have_text("mis en valeur")
    preview_html = preview.inner_html()

    page.goto(f"{base_url}/admin/comments/comment/?status=pending")
    page.locator(f'input[name="_selected_action"][value="{comment_pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.locator('button[name="index"]').click()
    page.wait_for_load_state()
    expect(page.locator("ul.messagelist")).to_contain_text("1")
    return {"preview": preview_html, "preview_statuses": previews}


def test_an_editor_sees_the_markdown_preview_and_approves_a_comment_in_the_admin(gunicorn_server):  # noqa: F811
    # A transactional test flushes the tables, role groups included: create them again.
    sync_role_groups()
    editor = UserFactory(username="editrice", role=EDITOR)
    # The server runs the production settings, whose hashers do not include the tests' fast MD5.
    hasher = PBKDF2PasswordHasher()
    editor.password = hasher.encode(PASSWORD, hasher.salt())
    editor.save(update_fields=["password"])
    post = PostFactory(title="Un article à relire")
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Un avis à modérer.")

    def scenario(page, base_url):
        return editor_scenario(
            page, base_url, username=editor.username, post_pk=post.pk, comment_pk=comment.pk
        )

    seen, csp_violations = in_browser(scenario, gunicorn_server)

    assert "<script" not in seen["preview"]
    assert len(seen["preview_statuses"]) >= 2 and set(seen["preview_statuses"]) == {200}
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert csp_violations == []
