"""Small pieces every app's API uses."""


from django.http import HttpRequest, HttpResponse

from aims.orgs.context import Ctx, ctx_for_user


def api_ctx(request: HttpRequest, slug: str) -> Ctx:
    """The caller's context in `slug`; 404 for non-members exactly as for unknown slugs."""
    return ctx_for_user(request.auth, slug)


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
