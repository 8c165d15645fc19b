"""Mojibake repair: the seed article's "dĂ©jĂ " becomes "déjà", and clean text is left alone."""

from pathlib import Path

import ftfy
import pytest
from django.core.management import call_command
from django.utils import translation

from blog.models import Post
from comments.models import Comment
from core.text import repair

from .factories import AuthorFactory, CommentFactory, PageFactory, PostFactory

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "article-mistral-3.txt"
MOJIBAKE_MARKERS = ("Ă", "Ĺ", "Ä")

# Sentences of the seed article, as it is stored: UTF-8 read as Windows-1250, beside real "’" and "è".
SEED_SENTENCES = {
    "La course Ă l’intelligence artificielle s’accĂ©lère Ă une vitesse folle.": (
        "La course à l’intelligence artificielle s’accélère à une vitesse folle."
    ),
    "Il est nĂ©cessaire d’ĂŞtre rĂ©aliste : le terrain de jeu est aujourd’hui dominĂ© par une poignĂ©e "
    "d’acteurs amĂ©ricains.": (
        "Il est nécessaire d’être réaliste : le terrain de jeu est aujourd’hui dominé par une poignée "
        "d’acteurs américains."
    ),
    "Le chemin vers le sommet est encore long et semĂ© d’embĂ»ches pour la pĂ©pite française.": (
        "Le chemin vers le sommet est encore long et semé d’embûches pour la pépite française."
    ),
    "Pour entraĂ®ner ses futurs grands modèles, Mistral aura besoin d’un accès massif.": (
        "Pour entraîner ses futurs grands modèles, Mistral aura besoin d’un accès massif."
    ),
    "Actuellement, oĂą la technologie est devenue un enjeu de pouvoir.": (
        "Actuellement, où la technologie est devenue un enjeu de pouvoir."
    ),
    "est-il dĂ©jĂ trop tard ?": "est-il déjà trop tard ?",
}

SHORT_FIELDS = {
    "Ă bientĂ´t": "à bientôt",
    "Ă‰tĂ© 2024": "Été 2024",
    "RĂ©sumĂ©": "Résumé",
    "Simone DuprĂ©": "Simone Dupré",
}

CLEAN_TEXTS = [
    "PĂŞUNE ȘI ȚARĂ ; PĂȘUNE",
    "Mistral 3 LLM : déjà trop tard pour concurrencer GPT-4 ?",
    "L’été à Noël, naïve, œuvre, « guillemets » — et 5 € ; Ça coûte cher.",
    "Straße, Grüße, Ärger ; Żółw ; ȘTIINȚĂ și țară ; Москва ; 東京",
    "Du Markdown : **gras**, `code`, &lt;échappé&gt; et [un lien](https://example.org/é).",
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their source language, whatever the site's default."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("broken", "expected"), SEED_SENTENCES.items())
def test_seed_sentences_are_repaired_keeping_their_curly_apostrophes(broken, expected):
    assert repair(broken) == expected


def test_ftfy_alone_leaves_seed_sentences_broken_which_is_why_repair_goes_further():
    sentence = next(iter(SEED_SENTENCES))
    # uncurl_quotes=False keeps French apostrophes, and then ftfy gives up on the whole line;
    # the defaults would straighten every apostrophe and still leave "accĂ©lère" (a real è beside it).
    assert "Ă" in ftfy.fix_text(sentence, uncurl_quotes=False)
    assert "Ă" in ftfy.fix_text(sentence)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in ../shared/seed/")
def test_the_whole_seed_article_is_repaired():
    text = SEED.read_text(encoding="utf-8")
    fixed = repair(text)
    assert not any(marker in fixed for marker in MOJIBAKE_MARKERS)
    assert fixed.count("’") == text.count("’")
    assert fixed.splitlines()[0] == text.splitlines()[0]  # the title was not broken
    assert repair(fixed) == fixed


@pytest.mark.parametrize(("broken", "expected"), SHORT_FIELDS.items())
def test_short_fields_with_a_single_broken_letter_are_repaired(broken, expected):
    assert repair(broken) == expected


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_text_is_left_as_it_is(text):
    assert repair(text) == text


@pytest.mark.django_db
def test_repair_text_fixes_posts_pages_comments_and_bios_and_rerenders_them(capsys):
    broken_body = "## Les dĂ©fis\n\nLa course Ă l’intelligence artificielle s’accĂ©lère."
    post = PostFactory(title="RĂ©sumĂ©", body=broken_body)
    page = PageFactory(body="Ă€ propos de nous, dĂ©jĂ  dix ans.")
    comment = CommentFactory(post=post, body="TrĂ¨s bien, merci !")
    author = AuthorFactory(bio="RĂ©dactrice passionnĂ©e.")
    clean = PostFactory(title="Déjà propre", author=author)

    call_command("repair_text")

    post.refresh_from_db()
    assert post.title == "Résumé"
    assert post.body == "## Les défis\n\nLa course à l’intelligence artificielle s’accélère."
    assert post.toc[0]["title"] == "Les défis"
    assert "s’accélère" in post.body_html
    page.refresh_from_db()
    assert page.body_html == "<p>À propos de nous, déjà dix ans.</p>"
    comment.refresh_from_db()
    assert comment.body == "Très bien, merci !"
    assert "Très bien" in comment.body_html
    author.refresh_from_db()
    assert author.bio == "Rédactrice passionnée."
    assert "Rédactrice" in author.bio_html
    clean_updated_at = clean.updated_at
    clean.refresh_from_db()
    assert clean.updated_at == clean_updated_at  # nothing to repair: not saved

    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert lines["Posts"] == ["2", "1", "2"]  # checked, repaired, fields repaired


@pytest.mark.django_db
def test_repair_text_dry_run_counts_but_changes_nothing(capsys):
    post = PostFactory(body="DĂ©jĂ  vu.")
    CommentFactory(post=post, body="Ă bientĂ´t")
    call_command("repair_text", "--dry-run")
    post.refresh_from_db()
    assert post.body == "DĂ©jĂ  vu."
    assert Comment.objects.get().body == "Ă bientĂ´t"
    out = capsys.readouterr().out
    assert "Dry run" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    assert lines["Posts"] == ["1", "1", "1"]
    assert lines["Comments"] == ["1", "1", "1"]
    assert Post.objects.get().body == "DĂ©jĂ  vu."
