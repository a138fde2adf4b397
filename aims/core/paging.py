"""Paging lists, in pages and in the API: a fixed page size keeps every list to a bounded
number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

PAGE_SIZE = 50
# Far beyond any real list, and inside every database's integer range: a larger offset or
# limit would reach the database as an out-of-range integer and fail there with a 500.
MAX_OFFSET = 10**9
MAX_LIMIT = 500


def paginate(request, qs, per_page: int = PAGE_SIZE, count: int | None = None) -> dict:
    """Template context for one page of `qs`: page, and the query string minus `page`.
    `count`, when the caller has counted `qs` already (beside other counts, in one query),
    spares the paginator counting it again."""
    paginator = Paginator(qs, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached property
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "querystring_without_page": params.urlencode()}


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset paging in the API whose parameters are checked (422) instead of failing
    in SQL."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
