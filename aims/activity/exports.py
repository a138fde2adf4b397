"""The activity log as CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils import timezone

from aims.activity.selectors import EventFilters, event_list
from aims.core.tables import FORMATS, Column, csv_chunks
from aims.orgs.context import Ctx

COLUMNS = [Column(t) for t in ("Seq", "Time (UTC)", "Actor", "Action", "Object type",
                               "Object id", "Object", "Changes", "Previous hash", "Hash")]


def activity_rows(*, ctx: Ctx, filters: EventFilters | None = None) -> Iterator[list]:
    """The filtered log as rows of COLUMNS, oldest first, read from the database in chunks."""
    events = (event_list(ctx=ctx, filters=filters).order_by("seq")
              .values_list("seq", "at", "actor_label", "action", "object_type", "object_id",
                           "object_repr", "changes", "prev_hash", "hash"))
    return (
        [seq, at.isoformat(), actor, action, object_type, object_id, object_repr,
         json.dumps(changes, ensure_ascii=False, sort_keys=True), prev_hash, hash_]
        for seq, at, actor, action, object_type, object_id, object_repr, changes, prev_hash,
        hash_ in events.iterator(chunk_size=2000)
    )


def activity_export_csv(*, ctx: Ctx, filters: EventFilters | None = None
                        ) -> tuple[Iterator[bytes], str, str]:
    """(content, content type, file name) of the filtered log, oldest first; the content
    comes in pieces, read from the database as they are sent (a long log never sits whole in
    memory)."""
    name = f"{ctx.org.slug}-activity-{timezone.localdate():%Y%m%d}.csv"
    return csv_chunks(COLUMNS, activity_rows(ctx=ctx, filters=filters)), FORMATS["csv"], name
