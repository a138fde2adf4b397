"""Request and response handling shared by every page and API operation."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from aims.core.uploads import request_limit_for, too_large_message


class VaryOnHtmxMiddleware:
    """Responses that differ for htmx requests say so, so a cache or Back never serves a
    fragment in place of a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class RequestSizeLimitMiddleware:
    """413 for a request whose Content-Length passes its route's limit (see aims.core.uploads),
    before anything reads the body: the API in its error format, the web as a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            limit = request_limit_for(match)
            if length > limit:
                return self._refuse(request, too_large_message(length, limit))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, message: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message, "errors": {"body": [message]}}, status=413)
        return render(request, "413.html", {"message": message}, status=413)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (CONTENT_SECURITY_POLICY), with one exception: the interactive API
    documentation (Swagger UI, served locally) sets styles inline."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/api/") and request.path_info.endswith("/docs"):
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, "'unsafe-inline'"]}
        return parts
