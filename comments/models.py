from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet, Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.translation import gettext_lazy as _

from blog import post_or_page
from core.markdown import render

from .content import on, on_ids, thread_keys
from .permissions import moderatable_comments
from .threads import page_number, per_page_setting


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of a public comment."""
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def moderatable_by(self, user):
        """The comments `user` may moderate (the rule: `comments.permissions`)."""
        return moderatable_comments(user, self)

    def for_reader(self, post, *, pending_ids=(), user=None):
        """
        What one reader sees under `post` (a post or a page, see comments.content): the
        approved comments, plus their own held ones (by id from their session, or by account), in one query. A
        comment the pipeline took for spam is shown to its writer as awaiting
        moderation too: a person caught by mistake sees it is not lost.
        """
        own_pending = Q(pk__in=list(pending_ids))
        if user is not None and user.is_authenticated:
            own_pending |= Q(user=user)
        return self.filter(**on(post)).filter(
            Q(status=Comment.Status.APPROVED)
            | (Q(status__in=[Comment.Status.PENDING, Comment.Status.SPAM]) & own_pending)
        )

    def tree(self, *, max_depth=None):
        """
        Evaluate the queryset (one query) and return its root comments, each with
        `children` and `depth` set for display (see `comments.threads.build_tree`).
        """
        from .threads import build_tree

        return build_tree(self.order_by("created_at", "pk"), max_depth=max_depth)


def changed_comments_keys(post_id, page_id=None):
    """
    The surrogate keys (core.surrogate) a change to a public comment on post `post_id` (or,
    with no post, page `page_id`) purges: its thread, its post (the comment count on its page
    and in every list) and the comments feed.
    """
    return thread_keys(post_id=post_id, page_id=page_id)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    # On a post or on a page, exactly one of the two (comment_on_post_or_page).
    # The page key has no index of its own: comment_page_status_idx starts with it.
    post, page = post_or_page.foreign_keys("comments", page_index=False)
    parent = models.ForeignKey(
        "self",
        # Deleting a comment never deletes its replies: `lift_replies` (pre_delete) moves
        # them up first. CASCADE or SET_NULL would be decided before that signal runs.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("user"),
    )
    author_name = models.CharField(_("name"), max_length=100)
    author_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(_("rendered comment"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.COMMENT)
    moderation_rule = models.CharField(_("moderation rule"), max_length=50, blank=True)
    moderation_reason = models.CharField(_("moderation reason"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The last change of its text after it was posted (shown as "edited"), and by whom: empty
    # for its writer (within COMMENTS_EDIT_WINDOW), a moderator's account otherwise.
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("edited by"),
    )
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)
    # The form token it was sent with (its nonce and a short hash of the sender, see
    # comments.tokens): a reader uses a token once.
    form_token = models.CharField(
        _("form token"), max_length=48, null=True, blank=True, unique=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [
            ("moderate_comment", _("Can moderate comments on own posts")),
            ("moderate_others_comments", _("Can moderate comments on others’ posts")),
        ]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_post_status_idx"),
            models.Index(fields=["page", "status", "created_at"], name="comment_page_status_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_email_status_idx"),
            models.Index(fields=["ip_address", "-created_at"], name="comment_ip_idx"),
            # "An earlier approved comment from this e-mail" and the personal data tools
            # match e-mail addresses ignoring case (author_email__iexact).
            models.Index(Upper("author_email"), "status", name="comment_email_upper_idx"),
        ]
        constraints = [post_or_page.exactly_one("comment_on_post_or_page")]

    def __str__(self):
        return _("%(name)s on %(post)s") % {"name": self.author_name, "post": self.post_id or self.page_id}

    def save(self, *args, **kwargs):
        self.body_html = render(self.body, comment=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its permalink: the post page of comments it shows on (`?cpage=N` past the first)."""
        if "cpage" not in self.__dict__:
            comment_pages([self])  # one query; lists call comment_pages on all their comments
        query = f"?cpage={self.cpage}" if self.cpage > 1 else ""
        return f"{self.content.get_absolute_url()}{query}#comment-{self.pk}"

    @property
    def content(self):
        """What it is on: its post, or its page."""
        return self.page if self.post_id is None and self.page_id is not None else self.post

    @property
    def on_content(self):
        """The filter for the comments of the same thread ({"post_id": …} or {"page_id": …})."""
        return on_ids(self.post_id, self.page_id)

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED


def lift_replies(sender, instance, origin=None, **kwargs):
    """
    pre_delete receiver: the replies of a comment being deleted move up to its parent
    (or to the top of the thread), so no reply, approved or not, goes with it.

    The parent is read from the database, not from `instance`: when a queryset deletes
    a comment and its parent together, whichever goes first has already lifted the
    other's replies, and every kept reply ends under its nearest kept ancestor.
    Deleting a post (or a page) takes its whole thread, so there is nothing to keep then.
    """
    content_models = tuple(Comment._meta.get_field(name).related_model for name in ("post", "page"))
    if isinstance(origin, content_models) or (
        isinstance(origin, QuerySet) and origin.model in content_models
    ):
        return
    own_parent = Comment.objects.filter(pk=instance.pk).values("parent_id")
    Comment.objects.filter(parent_id=instance.pk).update(
        parent_id=Subquery(own_parent[:1]), updated_at=timezone.now()
    )


class ModerationWord(models.Model):
    """A word the moderation pipeline looks for in every field of a submission."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Block: mark as spam")
        MODERATE = "moderate", _("Moderate: hold for review")

    word = models.CharField(
        _("word"),
        max_length=200,
        help_text=_(
            "Matched as a whole word or phrase, ignoring case, in the name, e-mail, website, text, IP "
            "and browser."
        ),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action, default=Action.MODERATE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["action", "word"]
        verbose_name = _("moderation word")
        verbose_name_plural = _("moderation words")
        constraints = [models.UniqueConstraint(fields=["word", "action"], name="moderation_word_unique")]

    def __str__(self):
        return self.word


class CommentReport(models.Model):
    """A reader's "Signaler" on an approved comment; one per reader and comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    # Who reported, as a hash (of the account id, or of the session for anonymous
    # readers): enough to refuse a second report, nothing that identifies a person.
    reporter_key = models.CharField(_("reporter"), max_length=64, editable=False)
    # Where from, as a keyed hash of the truncated address ("" when unknown): a client that
    # drops its cookies is still one reader, and reports are rate-limited per address.
    address_key = models.CharField(
        _("reporter address"), max_length=64, blank=True, default="", editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_reports",
        verbose_name=_("user"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    resolved = models.BooleanField(
        _("resolved"), default=False, help_text=_("Set when a moderator approves the comment again.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_key"], name="comment_report_once_per_reader")
        ]
        indexes = [models.Index(fields=["address_key", "created_at"], name="comment_report_address_idx")]

    def __str__(self):
        return _("Report on comment %(id)s") % {"id": self.comment_id}


def approved_comment_count():
    """
    The approved comments of the post `OuterRef("pk")`, for blog's `with_comment_count()`
    (registered in CommentsConfig.ready()). A correlated subquery rather than JOIN +
    GROUP BY: the database counts only for the rows a page shows, not for every post
    before the LIMIT.
    """
    approved = Comment.objects.approved().filter(post=models.OuterRef("pk")).order_by()
    counted = approved.values("post").annotate(n=models.Count("pk")).values("n")
    return models.functions.Coalesce(models.Subquery(counted), 0, output_field=models.IntegerField())


# Following a discussion --------------------------------------------------------

ADDRESS_KEY_SALT = "comments.subscriber-address"


def address_key(email):
    """
    An e-mail address as a signed key (an HMAC): what the "my subscriptions" link carries, so
    that the link lists an address's subscriptions without the address appearing in any URL.
    """
    return salted_hmac(ADDRESS_KEY_SALT, (email or "").strip().casefold()).hexdigest()


def new_subscription_key():
    return get_random_string(43)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """The one definition of a subscription that may be mailed: its address said yes."""
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Subscription(models.Model):
    """
    A reader's "Notify me of replies", double opt-in: nothing is sent to the address
    but the confirmation e-mail until its link is followed (`confirmed_at`).
    """

    class Scope(models.TextChoices):
        REPLIES = "replies", _("Replies to my comment")
        POST = "post", _("Every new comment on the post")

    # The thread followed: a post's or a page's, exactly one (subscription_on_post_or_page).
    post, page = post_or_page.foreign_keys("comment_subscriptions")
    # The comment whose replies are followed (and whose approval is announced to its writer).
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("comment"),
    )
    email = models.EmailField(_("e-mail"), max_length=254)
    address_key = models.CharField(_("address key"), max_length=64, editable=False, db_index=True)
    # What the one-click unsubscribe URL carries: random, so it cannot be guessed.
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False, default=new_subscription_key)
    scope = models.CharField(_("follows"), max_length=10, choices=Scope, default=Scope.REPLIES)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["post", "scope"], name="subscription_post_scope_idx"),
            models.Index(fields=["page", "scope"], name="subscription_page_scope_idx"),
            models.Index(Upper("email"), name="subscription_email_upper_idx"),
            models.Index(fields=["confirmed_at", "created_at"], name="subscription_unconfirmed_idx"),
        ]
        constraints = [post_or_page.exactly_one("subscription_on_post_or_page")]

    def __str__(self):
        return _("%(email)s follows %(post)s") % {"email": self.email, "post": self.post_id or self.page_id}

    def save(self, *args, **kwargs):
        self.address_key = address_key(self.email)
        super().save(*args, **kwargs)

    @property
    def content(self):
        """The post or the page whose thread it follows."""
        return self.page if self.post_id is None and self.page_id is not None else self.post

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class SentEmail(models.Model):
    """
    Every e-mail the comments app sends to a person (readers, authors, moderators): a record
    of it is their personal data too, exported and erased with the rest. It also keeps a
    reader from being told twice about the same comment.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Subscription confirmation")
        REPLY = "reply", _("Reply to a comment")
        NEW_COMMENT = "new_comment", _("New comment on a followed post")
        PUBLISHED = "published", _("Comment published")
        TO_MODERATE = "to_moderate", _("Comment to moderate")
        ON_MY_POST = "on_my_post", _("Comment published on the author’s post")

    email = models.EmailField(_("e-mail"), max_length=254)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    subject = models.CharField(_("subject"), max_length=255)
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_emails",
        verbose_name=_("about the comment"),
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_emails",
        verbose_name=_("subscription"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        indexes = [
            models.Index(Upper("email"), name="sentemail_email_upper_idx"),
            models.Index(fields=["comment", "kind"], name="sentemail_comment_kind_idx"),
        ]

    def __str__(self):
        return f"{self.email}: {self.subject}"


class SpamModel(models.Model):
    """
    The local spam filter's model (`comments.bayes`), trained on this site's own verdicts and
    kept here, so that every app server and worker scores with the same one. Only the latest
    row is used.
    """

    trained_at = models.DateTimeField(_("trained"), default=timezone.now, db_index=True)
    spam_count = models.PositiveIntegerField(_("spam comments learnt from"))
    approved_count = models.PositiveIntegerField(_("approved comments learnt from"))
    data = models.JSONField(_("model"))

    class Meta:
        ordering = ["-trained_at", "-pk"]
        verbose_name = _("spam model")
        verbose_name_plural = _("spam models")

    def __str__(self):
        return _("Spam model of %(date)s") % {"date": self.trained_at}


def comment_pages(comments):
    """
    Set `cpage` on each of `comments`: the page of its post's (or page's) approved thread it
    shows on (threads oldest first, COMMENTS_PER_PAGE to a page), in one query for all.
    A comment not in the approved thread (pending) counts as approved, as its writer sees it.
    """
    comments = list(comments)
    per_page = per_page_setting()
    if not per_page:
        for comment in comments:
            comment.cpage = 1
        return comments
    post_ids = {comment.post_id for comment in comments if comment.post_id is not None}
    page_ids = {comment.page_id for comment in comments if comment.post_id is None}
    rows = (
        Comment.objects.approved()
        .filter(Q(post_id__in=post_ids) | Q(page_id__in=page_ids))
        .order_by("created_at", "pk")
        .values_list("pk", "parent_id", "post_id", "page_id", "created_at")
    )
    parent_of, roots = {}, {}
    for pk, parent_id, post_id, page_id, created_at in rows:
        parent_of[pk] = parent_id
        roots.setdefault((post_id, page_id), []).append((pk, parent_id, created_at))
    # Display roots: comments whose parent is not in the approved thread (threads.build_tree).
    positions = {}
    for post_roots in roots.values():
        shown = [(created_at, pk) for pk, parent_id, created_at in post_roots if parent_id not in parent_of]
        positions.update({pk: index for index, (_created_at, pk) in enumerate(shown)})
    for comment in comments:
        root, seen = comment.pk, {comment.pk}
        parent = comment.parent_id
        while parent is not None and parent in parent_of and parent not in seen:
            root, parent = parent, parent_of[parent]
            seen.add(root)
        if root in positions:
            position = positions[root]
        else:  # a new thread not yet approved: after the approved threads older than it
            position = sum(
                1
                for pk, parent_id, created_at in roots.get((comment.post_id, comment.page_id), [])
                if parent_id not in parent_of and (created_at, pk) < (comment.created_at, comment.pk)
            )
        comment.cpage = page_number(position, per_page)
    return comments
