import socket

import pytest


@pytest.fixture
def unused_port() -> int:
    """A local port nothing listens on (bound and released just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
