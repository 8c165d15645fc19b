"""Bad WordPress exports: a clear message, exit code 1, no traceback, and the database as it was."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, load_command_class
from django.utils import translation

from authors.models import Author
from blog.models import Category, Page, Post, Tag
from comments.models import Comment
from wordpress.importer import wordpress_import
from wordpress.wxr import WxrError

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
BLOG = FIXTURES / "blog.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language, whatever the site's default."""
    with translation.override("en"):
        yield


def snapshot():
    models = (Post, Page, Category, Tag, Comment, Author, get_user_model())
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models} | {
        "titles": sorted(Post.objects.values_list("title", flat=True))
    }


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("not-xml.xml", "Not a valid XML file"),
        ("atom.xml", "not a WordPress export"),
        ("plain-rss.xml", "not a WordPress export"),
        ("unknown-version.xml", "Unsupported WXR version “2.0”"),
        ("xxe.xml", "Refused"),
        ("entity-bomb.xml", "Refused"),
    ],
)
def test_bad_file_is_refused_with_a_clear_message(fixture, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_wordpress", str(FIXTURES / fixture))
    assert not Post.objects.exists()


def test_xxe_payload_never_reaches_the_database():
    with pytest.raises(WxrError):
        wordpress_import(path=FIXTURES / "xxe.xml")
    assert not Post.objects.exists()
    assert not Post.objects.filter(title__contains="root:").exists()


def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_wordpress", str(tmp_path / "absent.xml"))
    with pytest.raises(CommandError, match="is a directory"):
        call_command("import_wordpress", str(tmp_path))


def test_file_truncated_midway_leaves_the_database_as_it_was(tmp_path):
    wordpress_import(path=BLOG)
    before = snapshot()
    # The same site, edited, whose new export broke off in the middle of an item.
    text = BLOG.read_text(encoding="utf-8").replace("Un brouillon", "Un brouillon modifié")
    text = text.replace("Mistral 3 LLM : déjà trop tard", "Titre changé")
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(text[: text.index("<wp:post_id>105</wp:post_id>")], encoding="utf-8")
    with pytest.raises(CommandError, match="truncated"):
        call_command("import_wordpress", str(truncated))
    assert snapshot() == before


def test_file_truncated_midway_on_an_empty_site_creates_nothing(tmp_path):
    text = BLOG.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(text[: text.index("<wp:post_id>105</wp:post_id>")], encoding="utf-8")
    with pytest.raises(WxrError):
        wordpress_import(path=truncated)
    assert all(not pks for pks in snapshot().values())


def test_unknown_default_author_is_refused_before_anything_is_read():
    with pytest.raises(CommandError, match="No author has the slug “nobody”"):
        call_command("import_wordpress", str(BLOG), "--default-author", "nobody")
    assert not Post.objects.exists()


def test_command_exits_with_code_1_and_no_traceback(capsys):
    command = load_command_class("wordpress", "import_wordpress")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_wordpress", str(FIXTURES / "xxe.xml")])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Refused" in err
    assert "Traceback" not in err


def test_a_value_no_field_can_hold_refuses_the_import_with_its_item_and_field(tmp_path):
    # The per-row validation is cheaper than full_clean, not looser: what the database
    # would refuse is reported as the item's, field by field, and nothing is saved.
    text = BLOG.read_text(encoding="utf-8")
    too_long = "<wp:postmeta><wp:meta_key>_plume_meta_description</wp:meta_key>"
    too_long += f"<wp:meta_value><![CDATA[{'x' * 400}]]></wp:meta_value></wp:postmeta>"
    position = text.index("<wp:post_id>105</wp:post_id>")
    path = tmp_path / "too-long.xml"
    path.write_text(text[:position] + too_long + text[position:], encoding="utf-8")
    with pytest.raises(CommandError, match=r"cannot be imported: meta_description: .*at most 320 characters"):
        call_command("import_wordpress", str(path))
    assert not Post.objects.exists()
