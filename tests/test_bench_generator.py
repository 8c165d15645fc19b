"""The benchmark data generator makes the data set it announces, and only once."""

from dataclasses import replace

import pytest
from django.db.models import F
from django.utils import timezone

from authors.models import Author
from bench.generate import GeneratorError, Params, generate, read_marker
from blog.models import Category, Post, Tag
from comments.models import Comment
from core.markdown import render

from .factories import PostFactory

SMALL = Params(
    posts=12, comments=60, authors=3, categories=7, tags=10, drafts=2, scheduled=3,
    bodies=3, words=300, headings=8, big_post_comments=25,
)  # fmt: skip


def quiet(*args):
    pass


@pytest.fixture
def small_data_set(db):
    return generate(SMALL, log=quiet)


def test_generator_creates_the_announced_numbers_of_rows(small_data_set):
    assert Post.objects.published().count() == 12
    assert Post.objects.filter(status="draft").count() == 2
    assert Post.objects.filter(status="published", published_at__gt=timezone.now()).count() == 3
    assert Author.objects.count() == 3
    assert Category.objects.count() == 7
    assert Tag.objects.count() == 10
    assert Comment.objects.approved().count() == 60


def test_generated_categories_form_a_hierarchy_of_three_levels(small_data_set):
    grandchild = (
        Category.objects.filter(parent__parent__isnull=False).select_related("parent__parent").first()
    )
    assert grandchild is not None
    assert grandchild.parent.parent.parent is None
    assert grandchild.pk in grandchild.parent.parent.descendant_ids()


def test_every_post_has_categories_and_tags(small_data_set):
    assert not Post.objects.filter(categories__isnull=True).exists()
    assert not Post.objects.filter(tags__isnull=True).exists()


def test_post_bodies_are_rendered_by_the_markdown_pipeline_with_eight_headings(small_data_set):
    post = Post.objects.published().first()
    rendered = render(post.body)
    assert post.body_html == str(rendered)
    assert post.toc == rendered.toc
    assert post.word_count == rendered.word_count > 250
    assert post.body_html.count("<h2") + post.body_html.count("<h3") == 8
    assert post.summary


def test_the_big_post_gets_its_threaded_comments(small_data_set):
    big_post = Post.objects.get(slug=small_data_set["big_post_slug"])
    comments = Comment.objects.approved().filter(post=big_post)
    assert comments.count() == 25
    assert comments.filter(parent__isnull=True).exists()
    assert comments.filter(parent__parent__isnull=False).exists(), "replies to replies"
    assert not Comment.objects.exclude(parent=None).exclude(parent__post=F("post")).exists()


def test_replies_are_never_older_than_what_they_answer(small_data_set):
    for reply in Comment.objects.exclude(parent=None).select_related("parent", "post"):
        assert reply.created_at > reply.parent.created_at > reply.post.published_at


def test_the_search_query_finds_some_posts_but_not_all(small_data_set):
    found = Post.objects.published().search(small_data_set["search_query"]).count()
    assert 0 < found < Post.objects.published().count()


def test_generator_run_again_with_the_same_parameters_changes_nothing(small_data_set):
    post_ids = list(Post.objects.values_list("pk", flat=True))
    messages = []
    info = generate(SMALL, log=messages.append)
    assert info == small_data_set
    assert list(Post.objects.values_list("pk", flat=True)) == post_ids
    assert messages == ["Benchmark data set already present with these parameters: nothing to do."]


def test_generator_run_with_other_parameters_replaces_the_data_set(small_data_set):
    bigger = replace(SMALL, posts=15, comments=40)
    generate(bigger, log=quiet)
    assert Post.objects.published().count() == 15
    assert Comment.objects.count() == 40
    assert Author.objects.count() == 3
    assert read_marker()["params"]["posts"] == 15


def test_generator_refuses_a_database_holding_other_content(db):
    PostFactory(title="Un vrai article")
    with pytest.raises(GeneratorError, match="--reset"):
        generate(SMALL, log=quiet)
    assert Post.objects.get().title == "Un vrai article"


def test_generator_replaces_other_content_when_told_to(db):
    PostFactory(title="Un vrai article")
    generate(SMALL, reset=True, log=quiet)
    assert not Post.objects.filter(title="Un vrai article").exists()
    assert Post.objects.published().count() == 12


def test_wxr_generator_writes_a_wordpress_export_with_the_requested_posts(tmp_path):
    from defusedxml import ElementTree

    from bench.wxr import write_wxr

    path = tmp_path / "export.xml"
    with path.open("w", encoding="utf-8") as out:
        assert write_wxr(out, posts=20, tags=5, bodies=2, words=200, comments_per_post=3) == 20
    wp = "{http://wordpress.org/export/1.2/}"
    channel = ElementTree.parse(path).getroot().find("channel")
    items = channel.findall("item")
    assert len(items) == 20
    assert {item.findtext(f"{wp}post_type") for item in items} == {"post"}
    assert "<h2>" in items[0].findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert len(channel.findall(f"{wp}tag")) == 5
    published = [item for item in items if item.findtext(f"{wp}status") == "publish"]
    assert len(published[0].findall(f"{wp}comment")) == 3
