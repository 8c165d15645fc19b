import importlib.machinery
import sys
import types
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from blog.models import Category, Page, Post, Tag

pytestmark = pytest.mark.django_db

LONG_ARTICLE = "ia-generative-en-europe-la-partie-est-elle-vraiment-perdue"


def run_demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts():
    return [model.objects.count() for model in (Post, Page, Category, Tag, get_user_model())]


def test_demo_builds_the_french_blog():
    run_demo()
    simone = Post.objects.get(slug=LONG_ARTICLE).author
    assert simone.display_name == "Simone"
    assert simone.role_title == "Rédactrice principale"
    assert simone.bio_html.startswith("<p>")
    assert Post.objects.values("author").distinct().count() == 2
    assert Category.objects.filter(parent__isnull=False).exists()
    assert Page.objects.published().filter(slug="a-propos").exists()
    assert Page.objects.published().filter(slug="politique-de-confidentialite").exists()
    assert Post.objects.filter(status="draft").count() == 1
    assert sum(post.is_scheduled for post in Post.objects.all()) == 1
    assert Post.objects.published().count() >= 4


def test_the_long_article_has_six_sections_or_more_and_bullet_lists():
    run_demo()
    article = Post.objects.get(slug=LONG_ARTICLE)
    levels = [entry["level"] for entry in article.toc]
    sub_levels = [child["level"] for entry in article.toc for child in entry["children"]]
    assert len(levels) + len(sub_levels) >= 6
    assert set(levels) == {2} and set(sub_levels) == {3}
    assert "<ul>" in article.body_html


def test_the_admin_password_is_printed_once_and_the_demo_is_idempotent():
    first = run_demo()
    assert "password:" in first
    password = first.split("password:")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    before = counts()
    second = run_demo()
    assert "password:" not in second
    assert "already exists" in second
    assert counts() == before


def test_the_demo_post_page_shows_its_sommaire(client):
    run_demo()
    content = client.get(f"/{LONG_ARTICLE}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sommaire" in content
    assert "Rédactrice principale" in content


def test_the_demo_asks_the_comments_app_for_a_discussion_when_it_offers_one(monkeypatch):
    received = []
    module = types.ModuleType("comments.demo")
    module.__spec__ = importlib.machinery.ModuleSpec("comments.demo", loader=None)
    module.create_demo_discussion = received.append
    monkeypatch.setitem(sys.modules, "comments.demo", module)
    run_demo()
    assert [post.slug for post in received] == [LONG_ARTICLE]
