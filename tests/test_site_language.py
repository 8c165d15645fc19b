"""One language: the reader's pages speak the site's language, whatever the browser asks for."""

import pytest

from .factories import AuthorFactory, PostFactory

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = "en-US,en;q=0.9"


@pytest.fixture
def post():
    return PostFactory(slug="un-article", author=AuthorFactory(slug="simone"))


@pytest.mark.parametrize("url", ["/", "/un-article/", "/author/simone/", "/search/?q=article", "/inconnu/"])
def test_an_english_browser_gets_the_french_site(client, post, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert "Aller au contenu" in content  # the skip link, an interface string
    assert "Skip to content" not in content
    assert response["Content-Language"] == "fr"
    # Every reader gets the same page, so caches need not keep one per language.
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_interface_around_a_french_article_is_french(client, post):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER).content.decode()
    assert "Derniers articles" in content
    assert "Lire l’article" in content or "Lire l'article" in content
    assert "Latest posts" not in content
    assert '<meta property="og:locale" content="fr_FR">' in content


def test_a_site_set_to_english_is_english_for_a_french_browser(client, post, settings):
    settings.LANGUAGE_CODE = "en"
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="en"' in home
    assert "Latest posts" in home
    assert '<meta property="og:locale" content="en_US">' in home
    article = client.get("/un-article/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert "1 min read" in article
    assert "About the author" in article


def test_api_error_messages_follow_the_users_language(client):
    response = client.get("/api/v1/posts/inconnu/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Accept-Language" in response["Vary"]
    english = response.json()
    french = client.get("/api/v1/posts/inconnu/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert english != french


def test_the_admin_follows_the_users_language(client):
    assert "Log in" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Connexion" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.parametrize("browser", ["fr-FR,fr;q=0.9", ENGLISH_BROWSER])
def test_the_api_documentation_is_in_one_language_for_everyone(client, browser):
    # Swagger UI's own interface is English: the schema it shows is English too.
    schema = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE=browser).content.decode()
    docs = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE=browser)
    assert docs.status_code == 200
    assert '<html lang="en"' in docs.content.decode() or "<html>" in docs.content.decode()
    assert "Publié" not in schema and "publié" not in schema
    assert schema == client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
