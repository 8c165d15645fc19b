"""Every moderation rule alone, then the pipeline in order."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments import moderation
from comments.exceptions import CommentFlood, CommentsClosed
from comments.models import Comment, ModerationWord
from comments.moderation import Submission, comment_form_token, moderate
from tests.factories import CommentFactory, PostFactory

from .comments_support import aged_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory()


def submission(post, **overrides):
    values = {
        "post": post,
        "author_name": "Zoé",
        "author_email": "zoe@example.net",
        "author_url": "",
        "body": "Merci pour cet article.",
        "ip_address": "203.0.113.0",
        "user_agent": "Mozilla/5.0",
        "token": aged_token(post),
    }
    values.update(overrides)
    return Submission(**values)


# Each rule alone --------------------------------------------------------------


def test_honeypot_filled_is_spam(post):
    token = {**aged_token(post), "honeypot": "http://cheap.example"}
    verdict = moderation.honeypot(submission(post, token=token))
    assert verdict.status == Comment.Status.SPAM
    assert verdict.reason


def test_honeypot_empty_has_no_opinion(post):
    assert moderation.honeypot(submission(post)) is None


def test_form_sent_faster_than_allowed_is_spam(post, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 3
    verdict = moderation.form_timestamp(submission(post, token=comment_form_token(post=post)))
    assert verdict.status == Comment.Status.SPAM
    assert "3" in verdict.reason


def test_form_sent_after_the_delay_has_no_opinion(post):
    assert moderation.form_timestamp(submission(post, token=aged_token(post, seconds=4))) is None


@pytest.mark.parametrize(
    "token",
    [
        {},
        {"timestamp": "1000", "security_hash": "0" * 40},
        {"timestamp": "abc", "security_hash": "x"},
    ],
)
def test_missing_or_forged_timestamp_is_spam(post, token):
    assert moderation.form_timestamp(submission(post, token=token)).status == Comment.Status.SPAM


def test_backdated_timestamp_does_not_match_its_signature(post):
    token = aged_token(post, seconds=1)
    token["timestamp"] = str(int(token["timestamp"]) - 3600)
    assert moderation.form_timestamp(submission(post, token=token)).status == Comment.Status.SPAM


def test_token_of_another_post_does_not_match(post):
    other = PostFactory()
    verdict = moderation.form_timestamp(submission(post, token=aged_token(other)))
    assert verdict.status == Comment.Status.SPAM


def test_closed_post_is_refused(post):
    post.allow_comments = False
    verdict = moderation.closed_comments(submission(post))
    assert isinstance(verdict.refusal, CommentsClosed)


def test_post_older_than_the_limit_is_refused(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = PostFactory(published_at=timezone.now() - timedelta(days=31))
    recent = PostFactory(published_at=timezone.now() - timedelta(days=29))
    assert isinstance(moderation.closed_comments(submission(old)).refusal, CommentsClosed)
    assert moderation.closed_comments(submission(recent)) is None


def test_draft_post_is_refused():
    draft = PostFactory(draft=True)
    assert isinstance(moderation.closed_comments(submission(draft)).refusal, CommentsClosed)


def test_same_address_within_flood_delay_is_refused(post, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    with time_machine.travel(timezone.now() - timedelta(seconds=5)):
        assert moderation.flood(submission(post)) is None
    verdict = moderation.flood(submission(post))
    assert isinstance(verdict.refusal, CommentFlood)
    assert 9 <= verdict.refusal.retry_after <= 11


def test_same_address_after_flood_delay_has_no_opinion(post, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    with time_machine.travel(timezone.now() - timedelta(seconds=16)):
        assert moderation.flood(submission(post)) is None
    assert moderation.flood(submission(post, ip_address="198.51.100.0")) is None
    assert moderation.flood(submission(post)) is None


def test_blocked_word_in_any_field_is_spam(post):
    ModerationWord.objects.create(word="Casino", action=ModerationWord.Action.BLOCK)
    for field in ("author_name", "author_email", "author_url", "body", "user_agent"):
        verdict = moderation.blocked_words(submission(post, **{field: "le meilleur CASINO en ligne"}))
        assert verdict.status == Comment.Status.SPAM, field
        assert "Casino" in verdict.reason


def test_blocked_word_matches_the_address(post):
    ModerationWord.objects.create(word="203.0.113.", action=ModerationWord.Action.BLOCK)
    assert moderation.blocked_words(submission(post)).status == Comment.Status.SPAM


def test_moderation_word_holds_for_review(post):
    ModerationWord.objects.create(word="crypto", action=ModerationWord.Action.MODERATE)
    verdict = moderation.moderation_words(submission(post, body="Parlons Crypto."))
    assert verdict.status == Comment.Status.PENDING
    assert "crypto" in verdict.reason
    assert moderation.blocked_words(submission(post, body="Parlons Crypto.")) is None


def test_more_links_than_allowed_is_pending(post, settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "Voir https://a.example, [b](http://b.example) et www.c.example"
    verdict = moderation.too_many_links(submission(post, body=body))
    assert verdict.status == Comment.Status.PENDING
    assert "3" in verdict.reason


def test_links_up_to_the_limit_have_no_opinion(post, settings):
    settings.COMMENTS_MAX_LINKS = 2
    assert moderation.too_many_links(submission(post, body="https://a.example https://b.example")) is None


def test_name_and_email_of_an_earlier_approved_comment_are_approved(post):
    CommentFactory(author_name="Zoé", author_email="Zoe@Example.net", status=Comment.Status.APPROVED)
    assert moderation.known_author(submission(post)).status == Comment.Status.APPROVED


def test_email_with_only_pending_or_spam_comments_is_not_known(post):
    CommentFactory(author_email="zoe@example.net", status=Comment.Status.PENDING)
    CommentFactory(author_email="zoe@example.net", status=Comment.Status.SPAM)
    assert moderation.known_author(submission(post)) is None


def test_default_is_pending(post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "pending"
    assert moderation.default_status(submission(post)).status == Comment.Status.PENDING


def test_default_can_be_approved_by_setting(post, settings):
    settings.COMMENTS_DEFAULT_STATUS = "approved"
    assert moderation.default_status(submission(post)).status == Comment.Status.APPROVED


# The pipeline, in order ---------------------------------------------------------


def test_plain_comment_goes_through_every_rule_to_the_default(post):
    decision = moderate(submission(post))
    assert (decision.rule, decision.status) == ("default_status", Comment.Status.PENDING)


def test_first_verdict_wins_honeypot_before_known_author(post):
    CommentFactory(author_name="Zoé", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    token = {**aged_token(post), "honeypot": "x"}
    decision = moderate(submission(post, token=token))
    assert (decision.rule, decision.status) == ("honeypot", Comment.Status.SPAM)


def test_blocked_word_wins_over_moderation_word_and_known_author(post):
    CommentFactory(author_name="Zoé", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    ModerationWord.objects.create(word="promo", action=ModerationWord.Action.BLOCK)
    ModerationWord.objects.create(word="promo", action=ModerationWord.Action.MODERATE)
    decision = moderate(submission(post, body="Code promo !"))
    assert decision.rule == "blocked_words"


def test_too_many_links_hold_even_a_known_author(post, settings):
    settings.COMMENTS_MAX_LINKS = 0
    CommentFactory(author_name="Zoé", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    decision = moderate(submission(post, body="https://a.example"))
    assert (decision.rule, decision.status) == ("too_many_links", Comment.Status.PENDING)


def test_known_author_is_approved_through_the_pipeline(post):
    CommentFactory(author_name="Zoé", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    assert moderate(submission(post)).rule == "known_author"


def test_refusals_come_before_spam_verdicts(post):
    post.allow_comments = False
    token = {**aged_token(post), "honeypot": "x"}
    assert moderate(submission(post, token=token)).rule == "closed_comments"


def test_rules_and_their_order_come_from_settings(post, settings):
    settings.COMMENTS_MODERATION_RULES = [
        "comments.moderation.known_author",
        "comments.moderation.honeypot",
        "comments.moderation.default_status",
    ]
    CommentFactory(author_name="Zoé", author_email="zoe@example.net", status=Comment.Status.APPROVED)
    token = {**aged_token(post), "honeypot": "x"}
    assert moderate(submission(post, token=token)).rule == "known_author"
