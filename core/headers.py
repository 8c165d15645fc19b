"""Response headers that Django and django-csp do not send."""

from django.conf import settings


def permissions_policy(features):
    """
    `{"camera": [], "fullscreen": ["self"], "autoplay": ["*"]}` as a Permissions-Policy
    value: `camera=(), fullscreen=(self), autoplay=*`. Other origins are quoted.
    """

    def allowlist(origins):
        if list(origins) == ["*"]:
            return "*"
        return "(" + " ".join(origin if origin == "self" else f'"{origin}"' for origin in origins) + ")"

    return ", ".join(f"{feature}={allowlist(origins)}" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """
    `Permissions-Policy` on every response, from `settings.PERMISSIONS_POLICY`: the
    browser features a blog never uses (camera, microphone, geolocation, payment,
    USB…) are off, for the site's pages and for anything an author's Markdown or an
    embed could bring in. A view that sets its own header keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response
