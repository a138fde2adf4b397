"""The checked document a dry-run page hands back to its confirmation, packed small.

A catalog may be 10 MB of JSON; sent back as is it would pass the size every plain form field
is held to. Compressed and base64-encoded it is a tenth of that. Unpacking is bounded, so a
forged field cannot expand into more than an upload may be.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from aims.core.errors import ValidationError
from aims.oscal.validation import MAX_BYTES


def pack(content: bytes) -> str:
    return base64.b64encode(zlib.compress(content, 6)).decode("ascii")


def unpack(text: str, *, field: str = "file") -> bytes:
    """The bytes `pack` made `text` from; a field error for anything else, or for more than an
    upload may hold."""
    try:
        packed = base64.b64decode(text.encode("ascii"), validate=True)
        inflate = zlib.decompressobj()
        content = inflate.decompress(packed, MAX_BYTES + 1)
    except (ValueError, binascii.Error, zlib.error, UnicodeEncodeError):
        raise ValidationError({field: [
            "The checked file did not come back intact: upload it again."]}) from None
    if len(content) > MAX_BYTES or inflate.unconsumed_tail or not inflate.eof:
        raise ValidationError({field: [
            f"The checked file is larger than {MAX_BYTES // (1024 * 1024)} MB: upload it "
            "again."]})
    return content
