from django.urls import path

from . import feeds, views
from .sitemaps import sitemap, sitemap_section

app_name = "blog"

# A contract: the API, the WordPress importer and the tests rely on these addresses.
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("category/<str:slug>/", views.category, name="category"),
    path("category/<str:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("category/<str:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("tag/<str:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<str:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("author/<str:slug>/", views.author, name="author"),
    path("author/<str:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("author/<str:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("<str:slug>/", views.detail, name="detail"),
]
