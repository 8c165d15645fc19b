from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.links import absolute_url


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 100; larger sizes are capped); a malformed size is a 400."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        # DRF reads an empty `?page=` as page 1; the schema says a whole number, so it is a 400.
        value = request.query_params.get(self.page_query_param)
        if value is not None and value not in self.last_page_strings and not value.isdigit():
            raise exceptions.ValidationError({self.page_query_param: [_("Give a whole number from 1.")]})
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isdigit() and int(value) > 0):
            raise exceptions.ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return super().get_page_size(request)

    # DRF's two link methods, with the page's address from `core.links` (PLUME_SITE_URL)
    # instead of `build_absolute_uri()`, which echoes the Host header.
    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self._this_page_url(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        page_number = self.page.previous_page_number()
        if page_number == 1:
            return remove_query_param(self._this_page_url(), self.page_query_param)
        return replace_query_param(self._this_page_url(), self.page_query_param, page_number)

    def _this_page_url(self):
        return absolute_url(self.request.get_full_path(), request=self.request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "Results per page, at most %(max)s (a larger size is capped)."
                ) % {"max": self.max_page_size}
        return parameters
