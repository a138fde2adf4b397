"""Writes: the organisation's choice of frameworks to report against."""

from __future__ import annotations

from django.db import transaction

from aims.catalog.selectors import reportable_frameworks
from aims.core.errors import ValidationError
from aims.frameworks.models import ReportingChoice
from aims.orgs.context import Ctx
from aims.records import writes

PERM = "frameworks.manage"


def _codes(frameworks) -> list[str]:
    if not isinstance(frameworks, (list, tuple)) or not all(isinstance(c, str) for c in frameworks):
        raise ValidationError({"frameworks": ["Give a list of framework codes."]})
    known = list(reportable_frameworks().values_list("code", flat=True))
    wanted = list(dict.fromkeys(c.strip() for c in frameworks if c.strip()))
    if unknown := [c for c in wanted if c not in known]:
        raise ValidationError({"frameworks": [
            f"Not a framework you can report against: {', '.join(unknown)}. "
            f"Use any of: {', '.join(known)}."]})
    return sorted(wanted, key=known.index)


@transaction.atomic
def reporting_frameworks_set(*, ctx: Ctx, frameworks: list[str],
                             version: int | None) -> ReportingChoice:
    """Replace the frameworks ctx.org reports against at `version`. Before the first choice the
    (empty) choice reads as version 1; saving it makes version 2, so two people making the
    first choice at once are caught like any other concurrent edit."""
    ctx.require(PERM)
    codes = _codes(frameworks)
    choice = ReportingChoice.objects.for_org(ctx.org).select_for_update().first()
    if choice is None:
        writes.check_version(ReportingChoice(org=ctx.org), version)
        return writes.create(ctx=ctx, obj=ReportingChoice(org=ctx.org, frameworks=codes,
                                                          version=2))
    return writes.change(ctx=ctx, obj=choice, data={"frameworks": codes}, version=version)
