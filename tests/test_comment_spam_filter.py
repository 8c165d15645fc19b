"""
The local spam score: naive Bayes in pure Python, trained in the background on the site's own
verdicts (spam against approved), stored in the database, off until enough verdicts exist,
its score written in the verdict's reason.
"""

import pytest

from comments import bayes, spam_filter
from comments.models import Comment, SpamModel
from comments.services import comment_moderate
from tests.factories import CommentFactory, PostFactory, UserFactory

from .comments_support import submit
from .test_comment_moderation_rules import submission

pytestmark = pytest.mark.django_db

SPAM = [
    "Gagnez au casino en ligne, bonus gratuit : https://casino-royal.example",
    "Crédit rapide sans justificatif, argent en 24h https://pret-facile.example",
    "Pilules pas cher, livraison discrète, promo https://pharma.example",
]
HAM = [
    "Merci pour cet article très clair sur les modèles de langage.",
    "Je ne suis pas d’accord avec le deuxième paragraphe sur la régulation européenne.",
    "Une question : les données d’entraînement sont-elles publiques ?",
]


def verdicts(count):
    post = PostFactory()
    for index in range(count):
        CommentFactory(post=post, status=Comment.Status.SPAM, body=f"{SPAM[index % 3]} n°{index}")
        CommentFactory(post=post, status=Comment.Status.APPROVED, body=f"{HAM[index % 3]} ({index})")


def test_the_filter_is_off_until_enough_verdicts_exist(settings):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 10
    verdicts(9)
    assert spam_filter.spam_model_train() is None
    assert not SpamModel.objects.exists()
    assert spam_filter.spam_score(submission(PostFactory(), body=SPAM[0])) is None


def test_trained_on_the_sites_verdicts_it_marks_spam_and_says_its_score(settings):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 10
    verdicts(12)
    model = spam_filter.spam_model_train()
    assert (model.spam_count, model.approved_count) == (12, 12)
    post = PostFactory()
    verdict = spam_filter.spam_score(submission(post, body="Casino en ligne, bonus gratuit !"))
    assert verdict.status == Comment.Status.SPAM
    assert "0.9" in verdict.reason or "0,9" in verdict.reason or "1.00" in verdict.reason
    assert spam_filter.spam_score(submission(post, body="Merci, article très clair.")) is None


def test_it_runs_in_the_pipeline_and_its_reason_is_stored(settings):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 10
    verdicts(12)
    spam_filter.spam_model_train()
    comment = submit(PostFactory(), body="Casino en ligne, bonus gratuit https://casino-royal.example")
    assert (comment.status, comment.moderation_rule) == (Comment.Status.SPAM, "spam_score")
    assert comment.moderation_reason


def test_a_moderators_verdict_retrains_in_the_background(settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 10
    verdicts(10)
    pending = CommentFactory(status=Comment.Status.PENDING, body="Encore un casino bonus")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=pending, action="spam", by=UserFactory(is_superuser=True))
    assert SpamModel.objects.get().spam_count == 11  # the immediate backend ran the task


def test_a_burst_of_verdicts_is_learnt_once(settings):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 1
    verdicts(2)
    first = spam_filter.spam_model_train()
    older_request = (first.trained_at.replace(year=first.trained_at.year - 1)).isoformat()
    assert spam_filter.train_spam_model.call(requested_at=older_request) == "skipped"
    assert SpamModel.objects.get().pk == first.pk
    # Asked for after the model was made (a verdict since): trained again.
    later_request = first.trained_at.replace(microsecond=0).replace(year=first.trained_at.year + 1)
    assert spam_filter.train_spam_model.call(requested_at=later_request.isoformat()).startswith("trained")
    assert SpamModel.objects.get().pk != first.pk


def test_its_own_verdicts_are_not_learnt(settings):
    settings.COMMENTS_SPAM_MIN_VERDICTS = 1
    verdicts(2)
    CommentFactory(status=Comment.Status.SPAM, moderation_rule="spam_score", body="auto")
    assert spam_filter.spam_model_train().spam_count == 2


def test_the_score_is_naive_bayes_over_words_and_link_hosts():
    model = bayes.train(SPAM * 2, HAM * 2)
    assert "host:casino-royal.example" in model["tokens"]["spam"]
    assert (
        bayes.score(model, "bonus casino")
        > 0.9
        > 0.1
        > bayes.score(model, "Merci pour cet article très clair")
    )
    assert bayes.score(bayes.train([], HAM), "casino") == 0.0
