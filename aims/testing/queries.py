"""Query allowances shared by the tests' query budgets, and the check that a page's queries do
not grow with the record."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from aims.testing.responses import body

# Every web page reads the signed-in session and renews it, so an idle one can expire
# (AIMS_SESSION_IDLE_MINUTES): one query to read it and, at most once a minute
# (aims.accounts.sessions), two more to save it (an UPDATE inside a savepoint). A page's first
# request after signing in does both.
SESSION = 3


def budget(url: str, queries: int) -> int:
    """The query bound of a request: `queries` for an API call, plus the session's on a web
    page."""
    return queries if url.startswith("/api/") else queries + SESSION


def assert_flat(pages: dict[str, tuple[Callable[[], Any], int]], grow: Callable[[int], None],
                assert_max_num_queries: Callable[[int], Any],
                steps: tuple[int, ...] = (5, 40)) -> dict[str, Any]:
    """Grow the record by each of `steps` in turn and fetch every page after each growth,
    once to warm up (token last use, session) and once counted: each page stays within its
    bound and runs as many queries at every size. `pages` maps a name to (fetch, bound);
    pages that grow the same way share one growth instead of each building its own. Returns
    the last response of each page."""
    counts: dict[str, list[int]] = {name: [] for name in pages}
    last: dict[str, Any] = {}
    for step in steps:
        grow(step)
        for name, (fetch, bound) in pages.items():
            assert fetch().status_code == 200, f"{name}: warm-up"
            try:
                with assert_max_num_queries(bound) as captured:
                    response = fetch()
                    body(response)  # a streamed export reads the database as it is sent
            except pytest.fail.Exception as failure:
                pytest.fail(f"{name}: {failure}")
            assert response.status_code == 200, f"{name}: {response.content[:300]!r}"
            counts[name].append(len(captured))
            last[name] = response
    grew = {name: c for name, c in counts.items() if len(set(c)) > 1}
    assert not grew, "queries grew with the record: " + "; ".join(
        f"{name} ran {' then '.join(map(str, c))}" for name, c in grew.items())
    return last


def growths(cases) -> dict[str, Callable[..., None]]:
    """The cases' ways of growing the record, by name: one test per growth checks every page
    that grows that way (cases have `name`, `path`, `grow` and `bound`)."""
    return {case.grow.__name__: case.grow for case in cases}


def pages_growing(cases, growth: str, *, url: Callable[[str], str],
                  client: Callable[[str], Any],
                  bound: Callable[[str, int], int] = budget
                  ) -> dict[str, tuple[Callable[[], Any], int]]:
    """assert_flat's pages for the cases that grow by `growth`: each case's path made a URL by
    `url`, fetched with `client(url)`, within `bound(url, case.bound)` queries."""
    pages: dict[str, tuple[Callable[[], Any], int]] = {}
    for case in cases:
        if case.grow.__name__ == growth:
            address = url(case.path)
            fetcher = client(address)
            pages[case.name] = (functools.partial(fetcher.get, address),
                                bound(address, case.bound))
    return pages
