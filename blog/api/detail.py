"""
The post detail most readers ask for, read the fast way: an anonymous (or non-previewing)
GET of `/api/v1/posts/<slug>/` with no filter, ordering or expansion in its query goes
through `blog.selectors.readable_post` (one prepared query and the post's taxonomies), not
through the viewset's queryset and filters. The object permissions are checked as always;
any other request takes DRF's way.
"""

from django.http import Http404

from core.api.shaping import FIELDS_PARAM

from ..permissions import PREVIEW_ALL, PREVIEW_OWN, preview_scope
from ..selectors import readable_post


class PublishedDetailMixin:
    # Below SurrogateKeysMixin in the bases, so that the post still names its keys.

    def get_object(self):
        request = self.request
        plain = (
            self.action == "retrieve"
            and request.method in ("GET", "HEAD")
            and set(request.query_params) <= {FIELDS_PARAM}
            and preview_scope(request.user) not in (PREVIEW_ALL, PREVIEW_OWN)
        )
        if not plain:
            return super().get_object()
        post = readable_post(request.user, self.kwargs[self.lookup_field])
        if post is None:
            raise Http404
        self.check_object_permissions(request, post)
        return post
