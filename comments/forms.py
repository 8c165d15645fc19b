from django import forms
from django.core.validators import URLValidator
from django.forms.boundfield import BoundField
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Subscription
from .selectors import find_parent

AUTHOR_COOKIE = "comment_author"


class WebsiteField(forms.URLField):
    """A commenter's website: http(s) only, so that no javascript: address is ever stored."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentDataForm(forms.Form):
    """
    The fields of a comment, validated the same way for the HTML form and the
    API (through `services.comment_submit`). For a signed-in reader, name and
    e-mail come from the account and are not asked for.
    """

    author_name = forms.CharField(label=_("Name"), max_length=100)
    author_email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("will not be published"))
    author_url = WebsiteField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    body = forms.CharField(label=_("Comment"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Unchecked by default: following a discussion is asked for, then confirmed by e-mail.
    notify = forms.BooleanField(
        label=_("Notify me of replies"),
        required=False,
        help_text=_("We first send you an e-mail to confirm; nothing else is sent until you do."),
    )
    # The HTML form leaves this to the confirmation page; the API may say it at once.
    notify_scope = forms.ChoiceField(choices=Subscription.Scope.choices, required=False)

    def __init__(self, *args, user=None, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            del self.fields["author_name"]
            del self.fields["author_email"]

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\x00", "")
        if not body.strip():
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return body

    def clean_parent(self):
        """The comment replied to, as stored (see `selectors.attach_point`); only checked with a post."""
        parent_id = self.cleaned_data.get("parent")
        if not parent_id or self.post is None:
            return parent_id
        return find_parent(post=self.post, parent_id=parent_id)


class CommentEditForm(forms.Form):
    """A reader's edit of their own comment: its text only (name and e-mail are who sent it)."""

    body = forms.CharField(label=_("Comment"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_body(self):
        return CommentDataForm.clean_body(self)


class ModeratorEditForm(forms.Form):
    """A moderator's correction of a comment: its text, its writer's name and website."""

    author_name = forms.CharField(label=_("Name"), max_length=100)
    author_url = WebsiteField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    body = forms.CharField(label=_("Comment"), max_length=10000)

    def clean_body(self):
        return CommentDataForm.clean_body(self)

    def clean_author_name(self):
        name = self.cleaned_data["author_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please give a name."), code="required")
        return name


class FreshFieldGroup(BoundField):
    """
    A field of the post page's comment form as every new visitor gets it (not submitted, no
    value to show): the same label, help text and input each time, so that group is rendered
    once per process, field and language, not through the form templates on every post page.
    A submitted form (its values, its errors) or a remembered name is rendered as usual.
    """

    rendered = {}

    def as_field_group(self):
        if self.form.is_bound or self.value() not in (None, ""):
            return super().as_field_group()
        field = self.field
        key = (
            type(self.form), self.form.prefix, self.form.auto_id, self.html_name, translation.get_language(),
            str(self.label), str(self.help_text), field.required, repr(sorted(field.widget.attrs.items())),
        )  # fmt: skip
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = super().as_field_group()
        return html


class CommentForm(CommentDataForm):
    """The "Leave a comment" form on the post page: the data fields plus consent and the signed token."""

    bound_field_class = FreshFieldGroup

    consent = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    timestamp = forms.CharField(widget=forms.HiddenInput, required=False)
    security_hash = forms.CharField(widget=forms.HiddenInput, required=False)
    # Hidden from people by the template; robots fill it in (see moderation.honeypot).
    honeypot = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, post=None, **kwargs):
        super().__init__(*args, user=user, post=post, **kwargs)
        self.order_fields(["author_name", "author_email", "author_url", "body", "consent", "notify"])
        for name in ("author_name", "author_email", "body"):
            if name in self.fields:
                self.fields[name].label = f"{self.fields[name].label} *"
        autocomplete = {"author_name": "name", "author_email": "email", "author_url": "url"}
        for name, value in autocomplete.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = value


class CommentReplyForm(forms.Form):
    """A moderator's reply, from the admin."""

    body = forms.CharField(label=_("Your reply"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


class CommentReportForm(forms.Form):
    # The page's input stops at 500 characters; a longer reason (a robot, an old page) is cut
    # rather than refused, since the report itself is what matters.
    reason = forms.CharField(label=_("Why? (optional)"), required=False)

    def clean_reason(self):
        return self.cleaned_data["reason"][:500]


class SubscriptionConfirmForm(forms.Form):
    """The confirmation page's one choice: what the reader follows."""

    scope = forms.ChoiceField(
        label=_("Notify me of"), choices=Subscription.Scope.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, subscription, **kwargs):
        super().__init__(*args, initial={"scope": subscription.scope}, **kwargs)
        if subscription.comment_id is None:  # nothing of theirs to follow replies to
            self.fields["scope"].choices = [
                choice for choice in Subscription.Scope.choices if choice[0] == Subscription.Scope.POST
            ]
