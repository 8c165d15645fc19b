"""
Real browser (Chromium, production-like gunicorn on PostgreSQL): an author makes a
preview link of a draft from the admin; a stranger, in a browser that never signed
in, reads the draft through it; once the author revokes it, the stranger's reload
says the link is no longer valid.
"""

from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from authors.roles import AUTHOR, sync_role_groups
from blog.models import Status

from .factories import AuthorFactory, PostFactory, UserFactory
from .servers import collected_static, gunicorn_server  # noqa: F401 - fixtures used below
from .test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS, pytestmark  # noqa: F401


def scenario(base_url, *, username, post_pk):
    from playwright.sync_api import expect, sync_playwright

    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            author = browser.new_context(locale="fr-FR").new_page()
            stranger = browser.new_context(locale="fr-FR").new_page()
            for page in (author, stranger):
                page.set_default_timeout(TIMEOUT_MS)

            author.goto(f"{base_url}/admin/login/")
            author.locator("#id_username").fill(username)
            author.locator("#id_password").fill(PASSWORD)
            author.locator("input[type=submit]").click()
            author.wait_for_url(f"{base_url}/admin/")
            author.goto(f"{base_url}/admin/blog/post/{post_pk}/change/")
            author.get_by_role("link", name="Liens de prévisualisation").click()
            author.get_by_label("Pour qui").fill("Marie, relectrice")
            author.get_by_role("button", name="Créer un lien de prévisualisation").click()
            url = author.locator("input.preview-link-url").input_value()
            seen["url"] = url

            response = stranger.goto(url)
            seen["status"] = response.status
            seen["robots"] = response.headers.get("x-robots-tag")
            seen["title"] = stranger.locator("h1.post__title").inner_text()
            seen["body"] = stranger.locator(".post__body").inner_text()

            author.get_by_role("button", name="Révoquer").click()
            expect(author.locator("ul.messagelist")).to_contain_text("révoqué")

            response = stranger.reload()
            seen["after_status"] = response.status
            seen["after_heading"] = stranger.locator("h1").inner_text()
        finally:
            browser.close()
    return seen


def test_a_stranger_reads_a_draft_through_a_preview_link_until_it_is_revoked(gunicorn_server):  # noqa: F811
    sync_role_groups()
    user = UserFactory(username="autrice", role=AUTHOR)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    post = PostFactory(
        author=AuthorFactory(user=user),
        title="Un brouillon à montrer",
        body="## Une section\n\nLe texte que la relectrice doit lire.",
        status=Status.DRAFT,
        published_at=None,
    )

    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(scenario, gunicorn_server, username=user.username, post_pk=post.pk).result()

    assert "/preview/" in seen["url"]
    assert seen["status"] == 200
    assert "noindex" in seen["robots"]
    assert seen["title"] == "Un brouillon à montrer"
    assert "Le texte que la relectrice doit lire." in seen["body"]
    assert seen["after_status"] == 410
    assert seen["after_heading"] == "Ce lien de prévisualisation a expiré ou a été révoqué"
