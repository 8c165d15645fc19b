"""The pages endpoints: published pages for everyone, drafts for those who may change pages."""

import pytest

from .factories import PageFactory

pytestmark = pytest.mark.django_db


def test_pages_list_in_menu_order_with_the_documented_fields(api_client):
    PageFactory(title="Politique de confidentialité", menu_order=2)
    PageFactory(title="À propos", menu_order=1)
    PageFactory(title="Brouillon", status="draft", published_at=None)

    results = api_client.get("/api/v1/pages/").json()["results"]

    assert [page["title"] for page in results] == ["À propos", "Politique de confidentialité"]
    assert set(results[0]) == {
        "id", "slug", "title", "status", "url", "published_at", "updated_at",
        "menu_order", "show_in_menu", "allow_comments", "author",
    }  # fmt: skip


def test_page_detail_has_the_rendered_body_and_toc(api_client):
    page = PageFactory(title="À propos", body="## Qui\n\nNous.\n\n## Pourquoi\n\nParce que.")

    body = api_client.get(f"/api/v1/pages/{page.slug}/").json()

    assert body["url"] == "http://testserver/a-propos/"
    assert '<h2 id="qui">Qui</h2>' in body["body_html"]
    assert [entry["id"] for entry in body["toc"]] == ["qui", "pourquoi"]
    assert {"seo_title", "meta_description", "canonical_url", "reading_time"} <= set(body)


def test_pages_filter_by_show_in_menu(api_client):
    PageFactory(title="Menu")
    PageFactory(title="Caché", show_in_menu=False)

    results = api_client.get("/api/v1/pages/", {"show_in_menu": "false"}).json()["results"]

    assert [page["title"] for page in results] == ["Caché"]


@pytest.mark.parametrize(("who", "status"), [(None, 404), ("author_user", 404), ("editor", 200)])
def test_draft_pages_only_for_those_who_may_change_pages(api_client, request, who, status):
    page = PageFactory(status="draft", published_at=None)
    if who:
        api_client.force_authenticate(request.getfixturevalue(who))

    assert api_client.get(f"/api/v1/pages/{page.slug}/").status_code == status


def test_an_unknown_show_in_menu_value_is_a_400(api_client):
    response = api_client.get("/api/v1/pages/", {"show_in_menu": "null"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["show_in_menu"]
