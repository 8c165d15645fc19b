"""
Every write of a post or a page goes through blog.services, whoever calls it: the
services apply blog.permissions themselves, and the admin and the API reach the
same services (so the same answers) for creating, changing, publishing and deleting.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from blog.models import Page, Post, Status
from blog.services import page_create, page_delete, page_update, post_create, post_delete, post_update

from .admin_support import post_form_data
from .factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory, TagFactory, UserFactory
from .versions_support import if_match

pytestmark = pytest.mark.django_db


# The services on their own


def test_post_create_signs_the_post_with_its_writer(author_user):
    post = post_create(by=author_user, title="Écrit par le service", body="Texte.")

    assert post.author == author_user.author
    assert post.status == Status.DRAFT


def test_post_create_refuses_a_published_status_to_a_contributor(contributor):
    with pytest.raises(ValidationError) as refused:
        post_create(by=contributor, title="Publié ?", status=Status.PUBLISHED)

    assert list(refused.value.message_dict) == ["status"]
    assert not Post.objects.exists()


def test_post_create_refuses_someone_elses_name_to_an_author(author_user):
    with pytest.raises(ValidationError) as refused:
        post_create(by=author_user, title="Sous un autre nom", author=AuthorFactory())

    assert list(refused.value.message_dict) == ["author"]


def test_post_create_refuses_a_reader(reader):
    with pytest.raises(PermissionDenied):
        post_create(by=reader, title="Un lecteur écrit")


def test_post_create_makes_the_writers_author_profile_when_they_have_none(db):
    from authors import roles

    writer = UserFactory(username="sans-profil", role=roles.AUTHOR)

    post = post_create(by=writer, title="Premier article")

    assert post.author.user == writer


def test_post_update_sets_fields_categories_and_tags(editor):
    post = PostFactory(draft=True)
    category, tag = CategoryFactory(), TagFactory()

    post_update(post=post, by=editor, title="Relu", categories=[category], tags=[tag])

    post.refresh_from_db()
    assert (post.title, list(post.categories.all()), list(post.tags.all())) == ("Relu", [category], [tag])


def test_post_update_refuses_a_contributor_once_the_post_is_published(contributor):
    post = PostFactory(author=contributor.author, title="Publié par l’éditrice")

    with pytest.raises(PermissionDenied):
        post_update(post=post, by=contributor, title="Changé")

    post.refresh_from_db()
    assert post.title == "Publié par l’éditrice"


def test_post_update_refuses_publishing_to_an_editor_without_publish_post(editor_without_publish):
    post = PostFactory(draft=True)

    with pytest.raises(ValidationError):
        post_update(post=post, by=editor_without_publish, status=Status.PUBLISHED)

    post.refresh_from_db()
    assert post.status == Status.DRAFT


def test_post_delete_follows_can_delete(contributor, editor):
    own_published = PostFactory(author=contributor.author)

    with pytest.raises(PermissionDenied):
        post_delete(post=own_published, by=contributor)
    post_delete(post=own_published, by=editor)

    assert not Post.objects.exists()


def test_page_services_are_for_those_who_may_change_pages(author_user, editor):
    with pytest.raises(PermissionDenied):
        page_create(by=author_user, title="Mentions légales")
    page = page_create(by=editor, title="Mentions légales", body="Texte.")

    with pytest.raises(PermissionDenied):
        page_update(page=page, by=author_user, title="Changée")
    page_update(page=page, by=editor, menu_order=3)
    with pytest.raises(PermissionDenied):
        page_delete(page=page, by=author_user)
    page.refresh_from_db()
    assert page.menu_order == 3

    page_delete(page=page, by=editor)
    assert not Page.objects.exists()


# The admin writes through them


def test_the_admin_add_form_saves_categories_and_tags_with_the_post(client, editor):
    category, tag = CategoryFactory(), TagFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_post_add"),
        post_form_data(author=editor.author.pk, categories=[category.pk], tags=[tag.pk]),
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert (list(post.categories.all()), list(post.tags.all())) == ([category], [tag])
    assert response["Location"] == reverse("admin:blog_post_changelist")


def test_the_admin_change_form_replaces_categories(client, editor):
    old, new = CategoryFactory(), CategoryFactory()
    post = PostFactory(categories=[old])
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form_data(post, categories=[new.pk])
    )

    assert response.status_code == 302
    assert list(post.categories.all()) == [new]


@pytest.mark.parametrize("way", ["admin form", "API PATCH"])
def test_an_editor_without_publish_post_edits_drafts_but_not_published_posts(
    client, api_client, editor_without_publish, way
):
    draft, published = PostFactory(draft=True), PostFactory()
    client.force_login(editor_without_publish)
    api_client.force_authenticate(editor_without_publish)

    def edit(post, title):
        if way == "admin form":
            url = reverse("admin:blog_post_change", args=[post.pk])
            return client.post(url, post_form_data(post, title=title))
        url = reverse("api:v1:post-detail", kwargs={"slug": post.slug})
        return api_client.patch(url, {"title": title}, format="json", **if_match(post))

    assert edit(draft, "Brouillon relu").status_code in {200, 302}
    assert edit(published, "Article en ligne changé").status_code == 403
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.title, published.title == "Article en ligne changé") == ("Brouillon relu", False)


def test_the_admin_deletes_pages_and_posts_through_the_services(client, editor):
    page, post = PageFactory(), PostFactory()
    client.force_login(editor)

    client.post(reverse("admin:blog_page_delete", args=[page.pk]), {"post": "yes"})
    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "delete_selected", "_selected_action": [post.pk], "post": "yes"},
    )

    assert not Page.objects.exists()
    assert not Post.objects.exists()


def test_the_page_list_saves_its_editable_columns_through_the_service(client, editor):
    page = PageFactory(menu_order=0, show_in_menu=True)
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_page_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(page.pk),
            "form-0-menu_order": "4",
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.menu_order, page.show_in_menu) == (4, False)


def test_the_api_creates_the_writers_author_profile_as_the_admin_does(api_client):
    from authors import roles

    writer = UserFactory(username="api-sans-profil", role=roles.AUTHOR)
    api_client.force_authenticate(writer)

    response = api_client.post(reverse("api:v1:post-list"), {"title": "Par l’API"}, format="json")

    assert response.status_code == 201, response.content
    assert Post.objects.get().author.user == writer
