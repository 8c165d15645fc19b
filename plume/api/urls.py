"""The API's addresses: /api/v1/ (versioned endpoints), /api/schema/ and /api/docs/."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, permissions, routers
from rest_framework.decorators import api_view, permission_classes, schema

from blog.api.media import MediaViewSet
from blog.api.views import AuthorViewSet, CategoryViewSet, PageViewSet, PostViewSet, TagViewSet
from comments.api.moderation import ModerationCommentViewSet
from comments.api.public import PageCommentsView, PageCommentTokenView, PostCommentsView, PostCommentTokenView
from comments.api.reader import CommentReportView, OwnCommentView

router = routers.SimpleRouter()
router.register("posts", PostViewSet, basename="post")
router.register("authors", AuthorViewSet, basename="author")
router.register("categories", CategoryViewSet, basename="category")
router.register("tags", TagViewSet, basename="tag")
router.register("pages", PageViewSet, basename="page")
router.register("media", MediaViewSet, basename="media")
router.register("moderation/comments", ModerationCommentViewSet, basename="moderation-comment")


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([permissions.AllowAny])
@schema(None)
def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer in the API's JSON error shape, not an HTML page."""
    raise exceptions.NotFound()


v1_patterns = [
    path("posts/<str:slug>/comments/", PostCommentsView.as_view(), name="post-comments"),
    path("posts/<str:slug>/comments/token/", PostCommentTokenView.as_view(), name="post-comment-token"),
    path("comments/<int:pk>/", OwnCommentView.as_view(), name="comment"),
    path("comments/<int:pk>/report/", CommentReportView.as_view(), name="comment-report"),
    path("pages/<str:slug>/comments/", PageCommentsView.as_view(), name="page-comments"),
    path("pages/<str:slug>/comments/token/", PageCommentTokenView.as_view(), name="page-comment-token"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from /api/docs/?script: no inline script, so the site's CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
