"""The media endpoint: upload images (multipart), list them, change their alt text, delete them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.response import Response

from core.api import fields as api_fields
from core.api.caching import HttpCachingMixin
from core.api.fields import absolute_uri
from core.api.images import RenditionSerializer, renditions
from core.api.shaping import ShapedResponseMixin

from ..models import Media
from ..permissions import can_change_media, can_delete_media, can_upload_media
from ..services import media_create, media_delete, media_update


class MediaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    type = serializers.CharField(source="mime_type", read_only=True)
    renditions = serializers.SerializerMethodField(
        help_text=_("Copies in several widths, in WebP and the original format; empty until they are made.")
    )

    class Meta:
        model = Media
        fields = [
            "id",
            "url",
            "alt_text",
            "caption",
            "width",
            "height",
            "type",
            "size",
            "created",
            "renditions",
        ]
        read_only_fields = ["id", "url", "width", "height", "type", "size", "created", "renditions"]

    def get_url(self, media) -> str:
        return absolute_uri(self.context, media.url)

    @extend_schema_field(RenditionSerializer)
    def get_renditions(self, media):
        return renditions(self.context, media.sizes)


class MediaChangeSerializer(serializers.ModelSerializer):
    serializer_field_mapping = api_fields.STRICT_FIELD_MAPPING

    class Meta:
        model = Media
        fields = ["alt_text", "caption"]


class MediaUploadSerializer(MediaChangeSerializer):
    file = serializers.FileField(
        help_text=_("A JPEG, PNG, WebP or GIF image; its EXIF and other metadata are removed.")
    )

    class Meta(MediaChangeSerializer.Meta):
        fields = ["file", "alt_text", "caption"]


class MediaPolicy(permissions.BasePermission):
    """blog.permissions, asked early; the services ask again when they write."""

    def has_permission(self, request, view):
        return view.action != "create" or can_upload_media(request.user)

    def has_object_permission(self, request, view, media):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "destroy":
            return can_delete_media(request.user, media)
        return can_change_media(request.user, media)


@extend_schema_view(
    list=extend_schema(summary="List images", tags=["media"]),
    retrieve=extend_schema(summary="An image, with its renditions", tags=["media"]),
    create=extend_schema(
        summary="Upload an image",
        description="Authors and editors. multipart/form-data with `file`: JPEG, PNG, WebP or GIF, "
        "checked by its content, at most PLUME_MEDIA_MAX_BYTES; EXIF and other metadata are "
        "removed (the orientation applied first). Renditions are made in the background.",
        request={"multipart/form-data": MediaUploadSerializer},
        responses={201: MediaSerializer},
        tags=["media"],
    ),
    partial_update=extend_schema(
        summary="Change an image's alternative text or caption",
        description="Its uploader, or an editor.",
        request=MediaChangeSerializer,
        responses={200: MediaSerializer},
        tags=["media"],
    ),
    destroy=extend_schema(
        summary="Delete an image", description="Its uploader, or an editor.", tags=["media"]
    ),
)
class MediaViewSet(ShapedResponseMixin, HttpCachingMixin, viewsets.ModelViewSet):
    # Reads are open: the images are public at their addresses anyway.
    queryset = Media.objects.all()
    serializer_class = MediaSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, MediaPolicy]
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["created"]
    ordering = ["-created", "-pk"]
    filterset_fields = []

    def get_parsers(self):
        # Multipart for the upload only; a change is JSON, as every other write of the API.
        if getattr(self, "action", None) in (None, "create"):
            return super().get_parsers()
        return [parsers.JSONParser()]

    def initialize_request(self, request, *args, **kwargs):
        request = super().initialize_request(request, *args, **kwargs)
        if self.action != "create":
            request.parsers = [parsers.JSONParser()]
        return request

    def get_serializer_class(self):
        if self.action == "create":
            return MediaUploadSerializer
        if self.action == "partial_update":
            return MediaChangeSerializer
        return MediaSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        media = media_create(by=request.user, **serializer.validated_data)
        return Response(self._answer(media), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        media = media_update(media=serializer.instance, by=request.user, **serializer.validated_data)
        return Response(self._answer(media))

    def perform_destroy(self, instance):
        media_delete(media=instance, by=self.request.user)

    def _answer(self, media):
        return MediaSerializer(media, context=self.get_serializer_context()).data
