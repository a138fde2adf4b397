"""Query allowances shared by the tests' query budgets."""

# Every web page renews the signed-in session, so an idle one can expire
# (AIMS_SESSION_IDLE_MINUTES): reading it, then saving it (an UPDATE inside a savepoint) are
# three queries on each web page.
SESSION = 3


def budget(url: str, queries: int) -> int:
    """The query bound of a request: `queries` for an API call, plus the session's on a web
    page."""
    return queries if url.startswith("/api/") else queries + SESSION
