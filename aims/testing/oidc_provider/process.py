"""Run the test OpenID Connect provider in a second process for the length of a test."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# People known to the test OpenID Connect provider (aims.testing.oidc_provider): who signs in
# there, and whether the provider vouches for their e-mail address.
SSO_PASSWORD = "idp-password-for-tests"
SSO_USERS = [
    {"username": "alice", "email": "alice@acme.example.com", "name": "Alice Adams"},
    {"username": "mallory", "email": "victim@acme.example.com", "name": "Mallory",
     "verified": False},
    {"username": "newbie", "email": "newbie@acme.example.com", "name": "Nora Newbie"},
    {"username": "tess", "email": "tess@acme.example.com", "name": "Tess Totp"},
]


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str

    def app(self, provider_id: str, name: str) -> dict:
        """The entry of AIMS_OIDC_PROVIDERS (as the settings turn it into allauth's app)."""
        return {"provider_id": provider_id, "name": name, "client_id": self.client_id,
                "secret": self.client_secret,
                "settings": {"server_url": self.issuer, "oauth_pkce_enabled": True}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_provider(*, redirect_uri: str, users: list[dict],
                     client_id: str = "aims-test-client",
                     client_secret: str = "aims-test-client-secret") -> Iterator[Provider]:
    """Start the provider on a free port of 127.0.0.1 (aims's live server is on localhost, so
    the two keep separate cookies) and wait until its discovery document answers."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aims.testing.oidc_provider.serve", "--port", str(port),
         "--redirect-uri", redirect_uri, "--client-id", client_id,
         "--client-secret", client_secret, "--users", json.dumps(users)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"The OIDC provider stopped: {proc.stdout.read() if proc.stdout else ''}")
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration",
                                            timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("The OIDC provider did not start within 120 s.")
            time.sleep(0.3)
        yield Provider(issuer=issuer, client_id=client_id, client_secret=client_secret)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
