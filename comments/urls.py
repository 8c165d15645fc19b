from django.urls import path

from . import feeds, views

app_name = "comments"

# Included before blog.urls: "<slug>/comments/feed/" must not reach the post view.
urlpatterns = [
    path("comments/feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("comments/feed/atom/", feeds.LatestCommentsAtomFeed(), name="feed-atom"),
    path("comments/post/<int:pk>/", views.post_comment, name="post"),
    path("comments/<int:pk>/report/", views.report_comment, name="report"),
    path("<str:slug>/comments/feed/", feeds.PostCommentsFeed(), name="post-feed"),
    path("<str:slug>/comments/feed/atom/", feeds.PostCommentsAtomFeed(), name="post-feed-atom"),
]
