"""The activity log as CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils import timezone

from aims.activity.selectors import EventFilters, event_list
from aims.core.tables import FORMATS, Column, to_csv
from aims.orgs.context import Ctx

COLUMNS = [Column(t) for t in ("Seq", "Time (UTC)", "Actor", "Action", "Object type",
                               "Object id", "Object", "Changes", "Previous hash", "Hash")]


def activity_rows(*, ctx: Ctx, filters: EventFilters | None = None) -> Iterator[list]:
    """The filtered log as rows of COLUMNS, oldest first, read in chunks."""
    return (
        [e.seq, e.at.isoformat(), e.actor_label, e.action, e.object_type, e.object_id,
         e.object_repr, json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
         e.prev_hash, e.hash]
        for e in event_list(ctx=ctx, filters=filters).order_by("seq").iterator(chunk_size=2000)
    )


def activity_export_csv(*, ctx: Ctx, filters: EventFilters | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the filtered log, oldest first."""
    name = f"{ctx.org.slug}-activity-{timezone.localdate():%Y%m%d}.csv"
    return to_csv(COLUMNS, activity_rows(ctx=ctx, filters=filters)), FORMATS["csv"], name
