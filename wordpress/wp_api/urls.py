"""/wp-json/: WordPress's REST routes, read-only (see the README, "A WordPress-compatible API")."""

from django.urls import path, re_path

from . import index

app_name = "wp_api"

urlpatterns = [path("", index.IndexView.as_view(), name="index")]
urlpatterns += [path("wp/v2", index.NamespaceView.as_view(), name="namespace")]
urlpatterns += [path("wp/v2/", index.NamespaceView.as_view())]
for endpoint in index.ENDPOINTS:
    view = endpoint.as_view()
    urlpatterns += [
        path(f"wp/v2/{endpoint.route}", view, name=endpoint.route),
        path(f"wp/v2/{endpoint.route}/", view),
        re_path(rf"^wp/v2/{endpoint.route}/(?P<id>\d{{1,18}})/?$", view, name=f"{endpoint.route}-detail"),
    ]
urlpatterns += [re_path(r"^.*$", index.not_found)]
