"""A container's health probe: `python -m aims.ops.healthcheck` exits 0 when this machine's
app server answers /healthz, 1 otherwise. It imports no Django (it runs every few seconds).

The request names a host the server accepts (the first of AIMS_ALLOWED_HOSTS), or Django would
refuse a probe sent to 127.0.0.1 when only the public name is allowed.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def probe_host(allowed: str) -> str:
    """A Host header that the ALLOWED_HOSTS in `allowed` (comma-separated) accepts."""
    for entry in (h.strip() for h in allowed.split(",")):
        if not entry or entry == "*":
            continue
        return "aims" + entry if entry.startswith(".") else entry
    return "localhost"


def main() -> int:
    port = os.environ.get("AIMS_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": probe_host(os.environ.get("AIMS_ALLOWED_HOSTS", ""))})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
