"""The query parameters of the blog's lists: ?author=, ?category=, ?status=, ?show_in_menu= ..."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api.filters import IsoDateTimeFilter

from ..models import Category, Page, Post, Status
from ..search import search
from ..selectors import posts_in_category


class CategoryFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__slug", help_text=_("The parent category’s slug."))

    class Meta:
        model = Category
        fields = ["parent"]


class PostStatusFilter:
    PUBLISHED = "published"
    SCHEDULED = "scheduled"
    DRAFT = "draft"
    PENDING = "pending"
    ALL = "all"
    choices = [
        (PUBLISHED, _("Published and live (the default)")),
        (SCHEDULED, _("Published with a future date")),
        (DRAFT, _("Drafts")),
        (PENDING, _("Awaiting review")),
        (ALL, _("Everything you may see")),
    ]


class PostFilter(filters.FilterSet):
    author = filters.CharFilter(field_name="author__slug", help_text=_("An author’s slug."))
    category = filters.CharFilter(
        method="filter_category", help_text=_("A category’s slug; its subcategories are included.")
    )
    tag = filters.CharFilter(method="filter_tag", help_text=_("A tag’s slug."))
    search = filters.CharFilter(
        method="filter_search",
        help_text=_("Words to find; results are ranked (title, then excerpt, then body) unless ordered."),
    )
    published_after = IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    published_before = IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    status = filters.ChoiceFilter(
        choices=PostStatusFilter.choices,
        method="filter_status",
        help_text=_("Drafts and scheduled posts are listed only to those allowed to see them."),
    )

    class Meta:
        model = Post
        fields = ["author", "category", "tag", "search", "published_after", "published_before", "status"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.published()
        return queryset

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(slug=value).first()
        return queryset.none() if category is None else posts_in_category(category, queryset)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(pk__in=Post.tags.through.objects.filter(tag__slug=value).values("post_id"))

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == PostStatusFilter.PUBLISHED:
            return queryset.published()
        if value == PostStatusFilter.SCHEDULED:
            return queryset.scheduled()
        if value == PostStatusFilter.DRAFT:
            return queryset.filter(status=Status.DRAFT)
        if value == PostStatusFilter.PENDING:
            return queryset.filter(status=Status.PENDING)
        return queryset


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is a 400 rather than silently ignored, as Django's field does."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # A text input hands the raw value to the field (the default select maps unknowns to None).
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class PageFilter(filters.FilterSet):
    show_in_menu = StrictBooleanFilter(
        help_text=_("Only the pages shown (true) or not shown (false) in menus.")
    )

    class Meta:
        model = Page
        fields = ["show_in_menu"]
