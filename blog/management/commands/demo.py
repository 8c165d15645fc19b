import importlib
import importlib.util
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from authors import roles
from authors.models import Author
from blog.management import demo_content as content
from blog.models import Category, Page, Post, Status, Tag

DEMO_AUTHORS = {
    "simone": {
        "display_name": "Simone",
        "role_title": "Rédactrice principale",
        "bio": content.SIMONE_BIO,
        "role": roles.EDITOR,
        "website": "https://example.org/simone",
    },
    "julien": {
        "display_name": "Julien Marchand",
        "role_title": "Journaliste tech",
        "bio": content.JULIEN_BIO,
        "role": roles.AUTHOR,
        "website": "",
    },
}
LONG_ARTICLE_SLUG = "ia-generative-en-europe-la-partie-est-elle-vraiment-perdue"


class Command(BaseCommand):
    help = "Load the French demo blog (idempotent: what already exists is left as it is)."

    def handle(self, *args, **options):
        with transaction.atomic():
            password = self.create_admin()
            authors = {
                username: self.create_author(username, **data) for username, data in DEMO_AUTHORS.items()
            }
            categories = self.create_categories()
            long_article = self.create_posts(authors, categories)
            self.create_pages(authors["simone"])
        self.add_demo_discussion(long_article)

        if password:
            self.stdout.write(self.style.SUCCESS("Demo blog ready. Admin login (shown only this once):"))
            self.stdout.write(f"    user: admin    password: {password}")
        else:
            self.stdout.write(
                "Demo blog ready. The admin user already exists; its password was printed on the "
                "first run (reset it with `manage.py changepassword admin`)."
            )

    def create_admin(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return None
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.org", password)
        return password

    def create_author(self, username, *, role, **profile):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
        )
        if created:
            # Demo writers exist to sign articles; nobody logs in as them.
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
        author, _ = Author.objects.get_or_create(user=user, defaults=profile)
        return author

    def create_categories(self):
        categories = {}
        for slug, name, parent_slug, description in content.CATEGORIES:
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "parent": categories.get(parent_slug), "description": description},
            )
        return categories

    def create_posts(self, authors, categories):
        now = timezone.now()
        long_article = self.create_post(
            slug=LONG_ARTICLE_SLUG,
            title=content.LONG_ARTICLE_TITLE,
            author=authors["simone"],
            body=content.LONG_ARTICLE,
            excerpt=content.LONG_ARTICLE_EXCERPT,
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=1),
            sticky=True,
            categories=[categories["modeles-de-langage"], categories["startups"]],
            tags=["Mistral AI", "LLM", "Europe", "Open source"],
            image=("europe", "Des points lumineux sur un fond bleu nuit, comme une carte de l’Europe"),
        )
        for post in content.SHORT_POSTS:
            self.create_post(
                title=post["title"],
                author=authors[post["author"]],
                body=post["body"],
                status=Status.PUBLISHED,
                published_at=now - timedelta(days=post["days_ago"]),
                categories=[categories[slug] for slug in post["categories"]],
                tags=post["tags"],
                image=post.get("image"),
            )
        for post, status, published_at in [
            (content.DRAFT_POST, Status.DRAFT, None),
            (
                content.SCHEDULED_POST,
                Status.PUBLISHED,
                now + timedelta(days=content.SCHEDULED_POST["days_ahead"]),
            ),
        ]:
            self.create_post(
                title=post["title"],
                author=authors[post["author"]],
                body=post["body"],
                status=status,
                published_at=published_at,
                categories=[categories[slug] for slug in post["categories"]],
                tags=post["tags"],
            )
        return long_article

    def create_post(self, *, title, categories, tags, slug="", image=None, **fields):
        """The post with that slug (or title), created with its classification the first time."""
        existing = Post.objects.filter(**({"slug": slug} if slug else {"title": title})).first()
        if existing is not None:
            return existing
        post = Post(title=title, slug=slug, **fields)
        if image:
            # An uploaded featured image, as an editor would add it (the file ships in static/).
            name, post.featured_image_alt = image
            with open(finders.find(f"img/demo/{name}.jpg"), "rb") as file:
                post.featured_image.save(f"{name}.jpg", File(file), save=False)
        post.full_clean()
        post.save()
        post.categories.set(categories)
        post.tags.set([self.tag(name) for name in tags])
        return post

    def tag(self, name):
        tag = Tag.objects.filter(name=name).first()
        return tag or Tag.objects.create(name=name)

    def create_pages(self, author):
        for page in content.PAGES:
            Page.objects.get_or_create(
                slug=page["slug"],
                defaults={
                    "title": page["title"],
                    "body": page["body"],
                    "author": author,
                    "status": Status.PUBLISHED,
                    "published_at": timezone.now(),
                    "menu_order": page["menu_order"],
                },
            )

    def add_demo_discussion(self, post):
        """Comments on the long article, when the comments app provides them (comments.demo)."""
        if importlib.util.find_spec("comments.demo") is None:
            return
        demo = importlib.import_module("comments.demo")
        create_demo_discussion = getattr(demo, "create_demo_discussion", None)
        if create_demo_discussion is not None:
            create_demo_discussion(post)
