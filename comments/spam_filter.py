"""
The moderation rule of the local spam score (naive Bayes, `comments.bayes`): trained in the
background on this site's own verdicts, spam against approved, and stored in the database
(`SpamModel`). Off until COMMENTS_SPAM_MIN_VERDICTS comments of each kind exist. It sends
nothing to anyone; its score is written in the verdict's reason.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from . import bayes
from .bayes import submission_text
from .models import Comment, SpamModel
from .moderation import Verdict

logger = logging.getLogger(__name__)

RULE_NAME = "spam_score"
# The verdicts learnt from: the newest of each kind, enough for a good model, bounded in time.
TRAINING_LIMIT = 20000


# The parsed model, by row id: a submission costs one small query, not a parse of the model.
_loaded = {}


NOT_ASKED = object()


def current_model(pk=NOT_ASKED):
    """
    The latest model's data (or None): read from the database once per process and model.
    `pk`: the latest model's id when it is known already (Submission.facts), else asked.
    """
    if pk is NOT_ASKED:
        pk = SpamModel.objects.values_list("pk", flat=True).first()
    if pk is None:
        return None
    if pk not in _loaded:
        _loaded.clear()
        _loaded[pk] = SpamModel.objects.values_list("data", flat=True).get(pk=pk)
    return _loaded[pk]


def spam_score(submission):
    """Spam above COMMENTS_SPAM_SCORE_SPAM, held above COMMENTS_SPAM_SCORE_HOLD, no opinion below."""
    model = current_model(submission.facts["spam_model"])
    if model is None:
        return None
    probability = bayes.score(
        model,
        submission_text(
            author_name=submission.author_name, author_url=submission.author_url, body=submission.body
        ),
    )
    values = {"score": number_format(probability, 2)}
    if probability >= settings.COMMENTS_SPAM_SCORE_SPAM:
        values["threshold"] = number_format(settings.COMMENTS_SPAM_SCORE_SPAM, 2)
        return Verdict.spam(_("Local spam score %(score)s (spam from %(threshold)s).") % values)
    if probability >= settings.COMMENTS_SPAM_SCORE_HOLD:
        values["threshold"] = number_format(settings.COMMENTS_SPAM_SCORE_HOLD, 2)
        return Verdict.pending(_("Local spam score %(score)s (held from %(threshold)s).") % values)
    return None


spam_score.rule_name = RULE_NAME


def spam_model_train():
    """
    Learn from the site's verdicts (spam and approved comments, not those this filter decided
    itself) and store the model; None, and the filter stays off, while there are too few.
    """
    learnt = Comment.objects.exclude(moderation_rule=RULE_NAME).order_by("-created_at")
    texts = {}
    for status in (Comment.Status.SPAM, Comment.Status.APPROVED):
        rows = learnt.filter(status=status).values_list("author_name", "author_url", "body")[:TRAINING_LIMIT]
        texts[status] = [submission_text(author_name=n, author_url=u, body=b) for n, u, b in rows]
    spam, approved = texts[Comment.Status.SPAM], texts[Comment.Status.APPROVED]
    if min(len(spam), len(approved)) < settings.COMMENTS_SPAM_MIN_VERDICTS:
        SpamModel.objects.all().delete()  # too few now (a purge, an erase): off again
        return None
    with transaction.atomic():
        model = SpamModel.objects.create(
            spam_count=len(spam), approved_count=len(approved), data=bayes.train(spam, approved)
        )
        SpamModel.objects.exclude(pk=model.pk).delete()
    return model


@task()
def train_spam_model(*, requested_at=None):
    """
    Retrain, unless a model newer than the verdict that asked for it exists already: a
    moderator's burst of verdicts is learnt in one training.
    """
    latest = SpamModel.objects.values_list("trained_at", flat=True).first()
    if requested_at and latest and latest >= datetime.fromisoformat(requested_at):
        return "skipped"
    model = spam_model_train()
    return "off" if model is None else f"trained on {model.spam_count} spam, {model.approved_count} approved"


def request_training():
    """After a moderator's verdict: retrain in the background, a little later, once it commits."""
    transaction.on_commit(partial(_enqueue_training, timezone.now()), robust=True)


def _enqueue_training(requested_at):
    job = train_spam_model
    if job.get_backend().supports_defer:
        job = job.using(run_after=requested_at + timedelta(seconds=settings.COMMENTS_SPAM_TRAINING_DELAY))
    job.enqueue(requested_at=requested_at.isoformat())
