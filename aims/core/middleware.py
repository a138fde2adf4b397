"""Responses that differ for htmx requests say so, so a cache or Back never serves a fragment
in place of a page."""

from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
