"""The role matrix in the admin: each role x see / edit / publish, crafted POSTs included."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from blog.models import Post, Status
from blog.services import post_publish

from .admin_support import post_form_data
from .factories import AuthorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_post_changelist")
ADD = reverse("admin:blog_post_add")


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


@pytest.fixture
def someone_elses_post(db):
    return PostFactory(title="Article d’une autre personne", draft=True)


@pytest.mark.parametrize(
    ("role", "sees_others"),
    [("contributor", False), ("author_user", False), ("editor", True), ("superuser", True)],
)
def test_the_post_list_shows_others_posts_only_to_editors_and_superusers(
    client, request, role, sees_others, someone_elses_post
):
    user = request.getfixturevalue(role)
    own = PostFactory(title="Mon propre article", author=user.author, draft=True)
    client.force_login(user)
    content = client.get(CHANGELIST).content.decode()
    assert own.title in content
    assert (someone_elses_post.title in content) is sees_others


@pytest.mark.parametrize("role", ["contributor", "author_user"])
def test_contributors_and_authors_cannot_open_or_edit_others_posts(client, request, role, someone_elses_post):
    client.force_login(request.getfixturevalue(role))
    assert client.get(change_url(someone_elses_post)).status_code == 302  # "does not exist"
    response = client.post(change_url(someone_elses_post), post_form_data(title="Piraté"))
    assert response.status_code == 302
    someone_elses_post.refresh_from_db()
    assert someone_elses_post.title == "Article d’une autre personne"


def test_an_editor_edits_and_publishes_someone_elses_post(client, editor, someone_elses_post):
    client.force_login(editor)
    data = post_form_data(
        title="Relu par l’éditrice",
        slug=someone_elses_post.slug,
        author=someone_elses_post.author.pk,
        status=Status.PUBLISHED,
    )
    response = client.post(change_url(someone_elses_post), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    someone_elses_post.refresh_from_db()
    assert someone_elses_post.title == "Relu par l’éditrice"
    assert someone_elses_post.is_public


def test_a_contributor_has_no_status_field(client, contributor):
    client.force_login(contributor)
    form = client.get(ADD).context["adminform"].form
    assert "status" not in form.fields
    assert "author" not in form.fields


def test_a_contributor_crafting_a_published_status_still_saves_a_draft(client, contributor):
    other_author = AuthorFactory()
    client.force_login(contributor)
    response = client.post(ADD, post_form_data(status=Status.PUBLISHED, author=other_author.pk))
    assert response.status_code == 302
    post = Post.objects.get(title="Un article écrit dans l’admin")
    assert post.status == Status.DRAFT
    assert post.author == contributor.author
    assert not Post.objects.published().exists()


def test_a_contributor_cannot_change_their_post_once_an_editor_published_it(client, contributor):
    post = PostFactory(author=contributor.author, title="Publié par l’éditrice")
    client.force_login(contributor)
    response = client.post(
        change_url(post), post_form_data(title="Modifié après publication", slug=post.slug)
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "Publié par l’éditrice"


def test_a_contributor_edits_their_own_draft(client, contributor):
    post = PostFactory(author=contributor.author, draft=True)
    client.force_login(contributor)
    response = client.post(change_url(post), post_form_data(title="Brouillon retravaillé", slug=post.slug))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Brouillon retravaillé"
    assert post.status == Status.DRAFT


def test_an_author_publishes_their_own_post_as_themselves(client, author_user):
    client.force_login(author_user)
    response = client.post(ADD, post_form_data(status=Status.PUBLISHED))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.author == author_user.author
    assert post.is_public


def test_the_publish_action_refuses_a_contributor(client, contributor):
    post = PostFactory(author=contributor.author, draft=True)
    client.force_login(contributor)
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == Status.DRAFT


def test_the_publish_action_publishes_for_an_editor(client, editor, someone_elses_post):
    client.force_login(editor)
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [someone_elses_post.pk]})
    someone_elses_post.refresh_from_db()
    assert someone_elses_post.is_public


def test_a_staff_user_without_a_profile_gets_one_when_writing(client):
    user = UserFactory(username="nouvelle", role="Author")
    client.force_login(user)
    response = client.post(ADD, post_form_data(status=Status.PUBLISHED))
    assert response.status_code == 302
    assert Post.objects.get().author.user == user


def test_view_on_site_opens_the_draft_preview_on_this_host(client, editor, someone_elses_post):
    client.force_login(editor)
    content = client.get(change_url(someone_elses_post)).content.decode()
    assert f'href="{someone_elses_post.get_absolute_url()}" class="viewsitelink"' in content
    assert client.get(someone_elses_post.get_absolute_url()).status_code == 200


class TestPostPublishService:
    def test_a_contributor_may_not_publish_even_their_own_post(self, contributor):
        post = PostFactory(author=contributor.author, draft=True)
        with pytest.raises(PermissionDenied):
            post_publish(post=post, by=contributor)
        post.refresh_from_db()
        assert post.status == Status.DRAFT

    def test_an_author_may_not_publish_someone_elses_post(self, author_user, someone_elses_post):
        with pytest.raises(PermissionDenied):
            post_publish(post=someone_elses_post, by=author_user)

    def test_an_author_publishes_their_own_post_now(self, author_user):
        post = post_publish(post=PostFactory(author=author_user.author, draft=True), by=author_user)
        assert post.is_public

    def test_a_superuser_publishes_anything(self, superuser, someone_elses_post):
        assert post_publish(post=someone_elses_post, by=superuser).is_public


def test_the_markdown_preview_is_sanitized(client, contributor):
    client.force_login(contributor)
    response = client.post(
        "/markdownx/markdownify/",
        {"content": "## Titre\n\n<script>alert(1)</script><img src=x onerror=alert(2)>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="titre">Titre</h2>' in html
    assert "<script" not in html
    assert "onerror" not in html


def test_the_post_form_has_the_live_markdown_preview(client, author_user):
    client.force_login(author_user)
    content = client.get(ADD).content.decode()
    assert 'class="vLargeTextField markdownx-editor"' in content
    assert 'class="markdownx-preview"' in content
    assert "markdownx/js/markdownx.min.js" in content


@pytest.mark.parametrize(("role", "status"), [("contributor", 403), ("author_user", 403), ("editor", 200)])
def test_only_editors_manage_pages(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:blog_page_add")).status_code == status


def test_a_contributor_sees_and_edits_only_their_own_author_profile(client, contributor, editor):
    client.force_login(contributor)
    assert client.get(reverse("admin:authors_author_change", args=[editor.author.pk])).status_code == 302
    form = (
        client.get(reverse("admin:authors_author_change", args=[contributor.author.pk]))
        .context["adminform"]
        .form
    )
    assert "user" not in form.fields
    assert "bio" in form.fields
