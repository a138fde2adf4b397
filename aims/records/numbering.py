"""Per-organisation running numbers for references such as R-007 or EV-012."""

from __future__ import annotations

from aims.core.models import TenantModel
from aims.orgs.context import Ctx
from aims.orgs.models import Organization


def next_number(model: type[TenantModel], *, ctx: Ctx, field: str = "number") -> int:
    """The next free number of `model` in ctx.org. The organisation row is the lock, so two
    people adding records at once get consecutive numbers, not the same one."""
    Organization.objects.select_for_update().filter(pk=ctx.org.pk).first()
    last = model.objects.for_org(ctx.org).order_by(f"-{field}").values_list(field, flat=True)
    return (last.first() or 0) + 1
