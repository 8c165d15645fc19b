"""What the comments API reads and writes: the public thread and submission, and the moderators' view."""

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from authors.api import AuthorProfileSerializer
from blog.api.serializers import PageListSerializer, PostListSerializer
from blog.models import Page, Post
from core.api import fields as api_fields
from core.api.fields import AbsoluteURLField, absolute_uri
from core.api.schema import ErrorSerializer
from core.api.shaping import ExpandableSerializerMixin

from ..models import Comment, Subscription

# Public -----------------------------------------------------------------------


class PublicCommentSerializer(ExpandableSerializerMixin, serializers.ModelSerializer):
    """An approved comment as anyone may see it: never the e-mail address or the IP."""

    # ?expand=author: the public profile of a commenter with an author profile (staff, the
    # blog's writers), as the authors endpoint and the posts' ?expand=author give it; null for
    # anyone else. Profiles are public (/api/v1/authors/); the account (e-mail) never is.
    expandable_fields = {
        "author": lambda: AuthorProfileSerializer(
            source="user.author",
            read_only=True,
            allow_null=True,
            help_text=_("The commenter’s author profile (staff and writers), or null."),
        )
    }
    # Each level of replies is shaped as the comments above it (?fields=, ?expand=).
    recursive_fields = ("replies",)
    author_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))

    class Meta:
        model = Comment
        fields = [
            "id",
            "parent",
            "author_name",
            "author_url",
            "body_html",
            "created_at",
            "edited_at",
            "replies",
        ]
        read_only_fields = fields


# Declared after the class so the field can nest the serializer itself (drf-spectacular's recipe).
PublicCommentSerializer._declared_fields["replies"] = PublicCommentSerializer(
    source="children", many=True, read_only=True
)


class CommentThreadSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Approved comments in the whole thread."))
    threads = serializers.IntegerField(help_text=_("Top-level threads in the whole thread."))
    page = serializers.IntegerField(help_text=_("This page of threads (from 1)."))
    pages = serializers.IntegerField(help_text=_("Pages of threads."))
    next = serializers.URLField(allow_null=True, help_text=_("The next page of threads, or null."))
    previous = serializers.URLField(allow_null=True, help_text=_("The previous page of threads, or null."))
    comments_open = serializers.BooleanField(help_text=_("Whether the post (or page) takes new comments."))
    results = PublicCommentSerializer(
        many=True,
        help_text=_("This page's top-level comments, each with its whole subtree nested in replies."),
    )


class CommentSubmitSerializer(serializers.Serializer):
    """
    What a client sends: types and lengths are checked here (and documented);
    the moderation service then validates and decides, as it does for the HTML form.
    """

    author_name = api_fields.CharField(max_length=100, help_text=_("Not needed when authenticated."))
    author_email = api_fields.EmailField(
        max_length=254, help_text=_("Not needed when authenticated; never published.")
    )
    author_url = api_fields.CharField(max_length=500, required=False, allow_blank=True)
    body = api_fields.CharField(
        max_length=10000, help_text=_("Plain text; paragraphs, emphasis, links and inline code.")
    )
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("The id of the comment replied to.")
    )
    notify = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Notify me of replies: a confirmation e-mail is sent first, and nothing else until its "
            "link is followed."
        ),
    )
    notify_scope = serializers.ChoiceField(
        choices=Subscription.Scope.choices,
        required=False,
        default=Subscription.Scope.REPLIES,
        help_text=_("replies: replies to this comment; post: every new comment on the post."),
    )
    timestamp = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged.")
    )
    security_hash = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged.")
    )
    honeypot = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged (empty).")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # The account gives the name and e-mail (see services.account_identity).
            for name in ("author_name", "author_email"):
                self.fields[name].required = False
                self.fields[name].allow_blank = True


CommentCreatedSerializer = inline_serializer(
    name="CommentCreated",
    fields={
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(
            choices=[Comment.Status.APPROVED, Comment.Status.PENDING],
            help_text=_("approved: published now; pending: a moderator will decide."),
        ),
        "message": serializers.CharField(help_text=_("A message to show the reader, in their language.")),
        "edit_token": serializers.CharField(
            allow_null=True,
            help_text=_(
                "Send it in the X-Comment-Edit-Token header to edit (PATCH) or delete (DELETE) "
                "/api/v1/comments/{id}/ until editable_until; null when reader edits are off."
            ),
        ),
        "editable_until": serializers.DateTimeField(allow_null=True),
    },
)
CommentTokenSerializer = inline_serializer(
    name="CommentToken",
    fields={
        "timestamp": serializers.CharField(),
        "security_hash": serializers.CharField(),
        "honeypot": serializers.CharField(allow_blank=True),
    },
)
CommentTokenErrorSerializer = inline_serializer(
    name="CommentTokenError",
    fields={
        **copy.deepcopy(ErrorSerializer._declared_fields),
        "token": inline_serializer(
            name="CommentTokenFresh",
            fields=copy.deepcopy(CommentTokenSerializer._declared_fields),
            required=False,
            help_text=_(
                "When the token was expired or already used: a fresh one, to send the comment again."
            ),
        ),
    },
)


# Moderation -------------------------------------------------------------------


class ModeratedPostSerializer(serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Post
        fields = ["id", "slug", "title", "url"]
        read_only_fields = fields


class ModeratedPageSerializer(serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Page
        fields = ["id", "slug", "title", "url"]
        read_only_fields = fields


class ModerationCommentSerializer(ExpandableSerializerMixin, serializers.ModelSerializer):
    """A comment as its moderators see it: with the e-mail, the truncated IP and why it is where it is."""

    # ?expand=: its post (page) as the posts (pages) list gives it, instead of a link's worth;
    # the comment it answers as its moderators see it (whose own parent stays an id).
    expandable_fields = {
        "post": lambda: PostListSerializer(read_only=True, allow_null=True),
        "page": lambda: PageListSerializer(read_only=True, allow_null=True),
        "parent": lambda: ModerationCommentSerializer(read_only=True, allow_null=True),
    }

    post = ModeratedPostSerializer(read_only=True, allow_null=True, help_text=_("Its post, or null."))
    page = ModeratedPageSerializer(
        read_only=True, allow_null=True, help_text=_("Its page (comments on a page), or null.")
    )
    author_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    open_reports = serializers.IntegerField(read_only=True, help_text=_("Readers’ reports not yet resolved."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "post", "page", "parent", "author_name", "author_email", "author_url", "body", "body_html",
            "status", "kind", "moderation_rule", "moderation_reason", "ip_address", "user_agent",
            "created_at", "edited_at", "open_reports", "url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, comment):
        return absolute_uri(self.context, comment.get_absolute_url())


class ModerationReplySerializer(serializers.Serializer):
    body = api_fields.CharField(max_length=10000, help_text=_("The reply, published at once."))
