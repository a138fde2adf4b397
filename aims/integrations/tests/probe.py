"""How the tenancy, role and error matrices reach the integration routes (see
aims.testing.tenancy): one integration token per world, and a push that names the world's AI
system."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from aims.integrations.services import integration_token_create
from aims.testing.tenancy import Multipart


def build(world, ctx, tag: str) -> None:
    """An integration token of the world, named with `tag`."""
    with transaction.atomic():
        token, raw = integration_token_create(ctx=ctx, name=f"{tag} secret pipeline")
    world.extra["integration_token"] = token
    world.extra["integration_secret"] = raw
    world.secrets += [token.name, str(token.pk), token.prefix]


def _push(s, i) -> Multipart:
    return Multipart({
        "title": "Probe evaluation report", "effective_from": "2026-01-01",
        "effective_to": "2026-03-31", "controls": "A.6.2.4", "systems": str(s.system.pk),
        "file": SimpleUploadedFile("probe-eval.json", b'{"accuracy": 0.9}\n',
                                   content_type="application/json")})


PATH_PARAMS = {"integration_token_id": lambda w: w.extra["integration_token"].pk}
ORG_UNIQUE_PARAMS = {"integration_token_id"}
WEB_PARAMS = {"integration_token_id": PATH_PARAMS["integration_token_id"]}
WRITE_PERMS = {"integration-tokens": "members.manage"}
ROUTE_PERMS = {
    ("GET", "/orgs/{slug}/integration-tokens"): "members.manage",
    ("POST", "/orgs/{slug}/evidence/push"): "evidence.change",
}
BODIES = {
    ("POST", "/orgs/{slug}/integration-tokens"): lambda s, i: {"name": "Probe pipeline"},
    ("POST", "/orgs/{slug}/evidence/push"): _push,
}
