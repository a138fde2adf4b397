"""The operator's routes for the matrices: health checks and metrics answer without a session
(/metrics checks its own token or the caller's address; see test_health)."""

PUBLIC_WEB = {"healthz", "readyz", "metrics"}


def build(world, ctx, tag: str) -> None:
    """The operator's routes hold no organisation's records."""
