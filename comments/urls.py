from django.urls import path

from . import edit_views, feeds, subscription_views, views

app_name = "comments"

# Included before blog.urls: "<slug>/comments/feed/" must not reach the post view.
urlpatterns = [
    path("comments/feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("comments/feed/atom/", feeds.LatestCommentsAtomFeed(), name="feed-atom"),
    path("comments/post/<int:pk>/", views.post_comment, name="post"),
    path("comments/page/<int:pk>/", views.page_comment, name="page"),
    path("comments/<int:pk>/report/", views.report_comment, name="report"),
    path(
        "comments/subscriptions/confirm/<str:token>/", subscription_views.confirm, name="subscription-confirm"
    ),
    path("comments/unsubscribe/<str:key>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("comments/subscriptions/<str:address_key>/", subscription_views.subscriptions, name="subscriptions"),
    path(
        "comments/subscriptions/<str:address_key>/<int:pk>/remove/",
        subscription_views.remove,
        name="subscription-remove",
    ),
    # Under the thread's own address: the edit cookie is limited to it (comments.reader_cookies).
    path("<str:slug>/comments/<int:pk>/edit/", edit_views.edit_comment, name="edit"),
    path("<str:slug>/comments/<int:pk>/delete/", edit_views.delete_comment, name="delete"),
    path("<str:slug>/comments/feed/", feeds.PostCommentsFeed(), name="post-feed"),
    path("<str:slug>/comments/feed/atom/", feeds.PostCommentsAtomFeed(), name="post-feed-atom"),
]
