"""
Moderation words match whole words: a blocked "con" is not found in "conseil", nor "sexe" in
"unisexe", while the word itself, in any case and beside punctuation, still is; a word that
ends in punctuation ("203.0.113.") still matches as a prefix, as moderators use it for IPs.
"""

import pytest

from comments import moderation
from comments.models import Comment, ModerationWord
from tests.factories import PostFactory

from .test_comment_moderation_rules import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def blocked(post, word, body):
    ModerationWord.objects.update_or_create(word=word, action=ModerationWord.Action.BLOCK)
    return moderation.blocked_words(submission(post, body=body))


@pytest.mark.parametrize(
    ("word", "body"),
    [
        ("con", "Merci pour ce conseil."),
        ("con", "Une belle construction, déconcertante."),
        ("sexe", "Une coupe unisexe."),
        ("viagra", "viagrafalls est une ville imaginaire"),
    ],
)
def test_a_blocked_word_inside_a_longer_french_word_does_not_match(post, word, body):
    assert blocked(post, word, body) is None


@pytest.mark.parametrize(
    ("word", "body"),
    [
        ("con", "Quel CON !"),
        ("con", "con."),
        ("sexe", "«sexe»"),
        ("acheter maintenant", "Cliquez : acheter maintenant !"),
        ("été", "L’été dernier"),
    ],
)
def test_the_word_itself_still_matches_in_any_case_beside_punctuation(post, word, body):
    verdict = blocked(post, word, body)
    assert verdict is not None and verdict.status == Comment.Status.SPAM


def test_an_accented_letter_is_part_of_the_word(post):
    # "ete" is not in "été" nor "achète": accented letters are letters.
    assert blocked(post, "ete", "Un bel été, ça ne s’achète pas.") is None


def test_a_moderation_word_matches_whole_words_too(post):
    ModerationWord.objects.create(word="crypto", action=ModerationWord.Action.MODERATE)
    assert moderation.moderation_words(submission(post, body="La cryptographie moderne.")) is None
    verdict = moderation.moderation_words(submission(post, body="Parlons crypto."))
    assert verdict.status == Comment.Status.PENDING


def test_a_word_ending_in_punctuation_stays_a_prefix(post):
    ModerationWord.objects.create(word="203.0.113.", action=ModerationWord.Action.BLOCK)
    assert moderation.blocked_words(submission(post, ip_address="203.0.113.0")).status == Comment.Status.SPAM
    assert moderation.blocked_words(submission(post, ip_address="198.51.100.0")) is None
