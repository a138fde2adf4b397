"""Paging a list page: a fixed page size keeps every list to a bounded number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, qs, per_page: int = PAGE_SIZE) -> dict:
    """Template context for one page of `qs`: page, and the query string minus `page`."""
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "querystring_without_page": params.urlencode()}
