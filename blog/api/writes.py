"""Writing pages, categories and tags through the API: editors (blog.permissions), through blog.services."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from core.api import fields as api_fields
from core.api.fields import SlugRelatedField

from ..models import Category, Page, Tag, validate_not_reserved
from ..permissions import (
    can_add_term,
    can_change_term,
    can_create_page,
    can_delete_page,
    can_delete_term,
    can_edit_page,
)
from ..services import page_create, page_delete, page_update, term_create, term_delete, term_update
from .preconditions import ConditionalWrites, etag, expected_version
from .serializers import EARLIEST_YEAR

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]


def _slug_field(model, *, reserved=False):
    validators = [UniqueValidator(queryset=model.objects.all())]
    if reserved:
        validators.insert(0, validate_not_reserved)
    max_length = model._meta.get_field("slug").max_length
    return api_fields.SlugField(
        allow_unicode=True,
        max_length=max_length,
        required=False,
        allow_blank=True,
        validators=validators,
        help_text=_("Made from the name or title when left blank."),
    )


class CategoryWriteSerializer(serializers.ModelSerializer):
    serializer_field_mapping = api_fields.STRICT_FIELD_MAPPING
    slug = _slug_field(Category)
    parent = SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The parent’s slug, or null."),
    )

    class Meta:
        model = Category
        fields = ["name", "slug", "description", "parent"]
        extra_kwargs = {"name": {"required": True, "allow_blank": False}}


class TagWriteSerializer(serializers.ModelSerializer):
    serializer_field_mapping = api_fields.STRICT_FIELD_MAPPING
    slug = _slug_field(Tag)

    class Meta:
        model = Tag
        fields = ["name", "slug"]
        extra_kwargs = {"name": {"required": True, "allow_blank": False}}


class PageWriteSerializer(serializers.ModelSerializer):
    serializer_field_mapping = api_fields.STRICT_FIELD_MAPPING
    slug = _slug_field(Page, reserved=True)

    class Meta:
        model = Page
        fields = [
            "title", "slug", "body", "status", "published_at", "menu_order", "show_in_menu",
            "seo_title", "meta_description", "canonical_url",
        ]  # fmt: skip
        extra_kwargs = {"title": {"required": True, "allow_blank": False}}

    def validate_published_at(self, value):
        if value is not None and value.year < EARLIEST_YEAR:
            raise serializers.ValidationError(_("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})
        return value


class TermPolicy(permissions.BasePermission):
    """Reads for all; writes for those blog.permissions lets manage the view's terms (editors)."""

    def has_permission(self, request, view):
        name = view.term_model._meta.model_name
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "create":
            return can_add_term(request.user, name)
        if view.action == "destroy":
            return can_delete_term(request.user, name)
        return can_change_term(request.user, name)


class PagePolicy(permissions.BasePermission):
    def has_permission(self, request, view):
        return (
            request.method in permissions.SAFE_METHODS
            or view.action != "create"
            or can_create_page(request.user)
        )

    def has_object_permission(self, request, view, page):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "destroy":
            return can_delete_page(request.user, page)
        return can_edit_page(request.user, page)


class WritesThroughServices:
    """POST, PATCH and DELETE for a read-by-slug view; the answer is the object as a read gives it."""

    http_method_names = WRITE_METHODS
    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return self.write_serializer_class
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            obj = self.write_create(serializer.validated_data)
        return Response(self._answer(obj), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            obj = self.write_update(serializer.instance, serializer.validated_data)
        return Response(self._answer(obj))

    def _answer(self, obj):
        self.action = "retrieve"  # the read shape (a detail serializer where there is one)
        obj = self.get_queryset().get(pk=obj.pk)
        return self.get_serializer_class()(obj, context=self.get_serializer_context()).data


class TermWrites(WritesThroughServices):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, TermPolicy]

    def write_create(self, data):
        return term_create(model=self.term_model, by=self.request.user, **data)

    def write_update(self, term, data):
        return term_update(term=term, by=self.request.user, **data)

    def perform_destroy(self, instance):
        term_delete(term=instance, by=self.request.user)


class PageWrites(ConditionalWrites, WritesThroughServices):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, PagePolicy]
    write_serializer_class = PageWriteSerializer

    def write_create(self, data):
        return page_create(by=self.request.user, **data)

    def write_update(self, page, data):
        return page_update(page=page, by=self.request.user, **data)

    def partial_update(self, request, *args, **kwargs):
        # As a post's: If-Match required, judged before the body (blog.api.preconditions).
        page = self.get_object()
        expected = expected_version(request, page, required=True)
        serializer = self.get_serializer(page, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            page = self._conditionally(
                page_update,
                page=page,
                by=request.user,
                expected_version=expected,
                **serializer.validated_data,
            )
        response = Response(self._answer(page))
        response["ETag"] = etag(page)
        return response

    def perform_destroy(self, instance):
        page_delete(page=instance, by=self.request.user)
