"""Counting related rows per listed row by correlated subquery: the database counts for the
rows of the page only, after paging, instead of grouping the whole table before it."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(qs: QuerySet, field: str, outer: str = "pk") -> Coalesce:
    """How many rows of `qs` have `field` equal to the outer row's `outer` (0 for none)."""
    sub = (qs.filter(**{field: OuterRef(outer)}).order_by().values(field)
           .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def counts_together(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """{name: how many rows the queryset holds}, for every queryset of `querysets` in one
    query: each counted as `.count()` would count it, side by side in one SELECT, instead of
    one round trip each. The querysets may be of any models, on the default database."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets.values()):
        # The ids only: annotations a list shows are not computed to be counted (a grouped
        # queryset stays grouped by id, one row per record, as .count() counts it).
        sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
