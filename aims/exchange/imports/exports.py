"""Each importable register as a file, in the columns its import takes."""

from __future__ import annotations

from django.utils import timezone

from aims.compliance.exports import soa_export
from aims.core.errors import ValidationError
from aims.core.tables import FORMATS, render
from aims.exchange.imports.kinds import KINDS
from aims.orgs.context import Ctx


def register_export(*, ctx: Ctx, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of register `kind` in `fmt` (csv or xlsx)."""
    if kind not in KINDS:
        raise ValidationError(f"One of: {', '.join(KINDS)}.", field="kind")
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    k = KINDS[kind]
    ctx.require(k.view_perm)
    if kind == "soa":  # the SoA has its own export, with the risks each control treats
        return soa_export(ctx=ctx, fmt=fmt)
    content = render(fmt, k.columns, k.export_rows(ctx), sheet=k.sheet,
                     title=f"{ctx.org.name} — {k.label}")
    return content, FORMATS[fmt], f"{ctx.org.slug}-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"
