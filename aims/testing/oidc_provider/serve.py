"""Start the test OpenID Connect provider: `python -m aims.testing.oidc_provider.serve --port N
--redirect-uri URL --client-id ID --client-secret S --users JSON`.

A fresh RS256 signing key and SQLite database are made in a temporary directory; the client
is registered as confidential, with the authorization-code grant and the given redirect URI;
each user of the JSON list ({"username", "password", "email", "name", "verified"}) can sign in.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--users", required=True)
    args = parser.parse_args(argv)

    state = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (state / "signing-key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    os.environ["OIDC_TEST_STATE_DIR"] = str(state)
    os.environ["DJANGO_SETTINGS_MODULE"] = "aims.testing.oidc_provider.settings"

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for person in json.loads(args.users):
        User.objects.create_user(
            username=person["username"], password=person["password"], email=person["email"],
            first_name=person.get("name", ""),
            last_name="" if person.get("verified", True) else "unverified")
    Application.objects.create(
        name="aims", client_id=args.client_id, client_secret=args.client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=args.redirect_uri, algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True)
    print("ready", flush=True)
    sys.stdout.flush()
    run("127.0.0.1", args.port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
