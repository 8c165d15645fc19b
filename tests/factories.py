"""Factories for every model; tests build their data from these."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from authors.models import Author
from blog.models import Category, Page, Post, Status, Tag
from comments.models import Comment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("motdepasse-solide-42")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """`UserFactory(role="Editor")` puts the user in that role's group and makes them staff."""
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
            user.is_staff = True
            user.save(update_fields=["is_staff"])


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Autrice {n}")
    role_title = "Rédactrice"
    bio = "Passionnée d’*intelligence artificielle*."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Catégorie {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Étiquette {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article numéro {n}")
    author = factory.SubFactory(AuthorFactory)
    body = "## Première partie\n\nUn paragraphe.\n\n## Seconde partie\n\nUn autre paragraphe.\n"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3)),
        )

    @factory.post_generation
    def categories(post, create, extracted, **kwargs):
        if create and extracted:
            post.categories.add(*extracted)

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if create and extracted:
            post.tags.add(*extracted)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    body = "Une page statique."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author_name = factory.Sequence(lambda n: f"Lecteur {n}")
    author_email = factory.Sequence(lambda n: f"lecteur{n}@example.net")
    body = "Merci pour cet article !"
    status = Comment.Status.APPROVED
