"""Handing a pack to the browser: written to a temporary file, then streamed from it."""

from __future__ import annotations

import tempfile

from django.http import FileResponse

from aims.exchange.pack import Period, audit_pack_write, pack_filename
from aims.orgs.context import Ctx

SPOOL = 8 * 1024 * 1024  # a small pack stays in memory; a large one goes to disk


def audit_pack_response(*, ctx: Ctx, period: Period) -> FileResponse:
    """The pack as a download. It is complete before the first byte is sent, so a refusal or
    an error is an ordinary error response, never a truncated ZIP; memory stays flat because
    the file is read back in chunks."""
    # Handed to the response, which closes it once sent.
    fh = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115
    try:
        audit_pack_write(ctx=ctx, period=period, out=fh)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    response = FileResponse(fh, content_type="application/zip", as_attachment=True,
                            filename=pack_filename(ctx, period))
    response["X-Content-Type-Options"] = "nosniff"
    return response
