"""Counting related rows per listed row by correlated subquery: the database counts for the
rows of the page only, after paging, instead of grouping the whole table before it."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(qs: QuerySet, field: str, outer: str = "pk") -> Coalesce:
    """How many rows of `qs` have `field` equal to the outer row's `outer` (0 for none)."""
    sub = (qs.filter(**{field: OuterRef(outer)}).order_by().values(field)
           .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))
