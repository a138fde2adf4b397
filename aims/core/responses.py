"""Files handed to the browser: the same for the web UI and the API."""

from collections.abc import Iterable

from django.http import FileResponse, HttpResponse, StreamingHttpResponse


def file_response(content: bytes | Iterable[bytes], content_type: str,
                  filename: str) -> HttpResponse | StreamingHttpResponse:
    """A generated file as a download; content given as pieces streams as they are made, so
    a large export is never held whole in memory."""
    response: HttpResponse | StreamingHttpResponse
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stream_response(fh, content_type: str, filename: str) -> FileResponse:
    """A stored file streamed as a download under its original (cleaned) name. The name is
    encoded by Django (RFC 6266/5987), and browsers are told not to sniff another type."""
    response = FileResponse(fh, content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
