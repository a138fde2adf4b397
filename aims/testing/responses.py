"""Reading a response in tests, streamed or not."""

from __future__ import annotations


def body(response) -> bytes:
    """The whole body: a streamed response (a large export) is read to its end."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
