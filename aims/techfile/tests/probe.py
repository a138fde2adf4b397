"""How the tenancy, role and error matrices reach the EU AI Act document routes (see
aims.testing.tenancy): the world's AI system is high-risk; it gets a public notice link."""

from __future__ import annotations

from aims.techfile.services import notice_link_create


def build(world, ctx, tag: str) -> None:
    link = notice_link_create(ctx=ctx, system_id=world.system.pk, data={
        "contact": f"{tag} write to ai-questions@example.com"})
    world.extra.update(notice_link=link)
    world.secrets += [str(link.pk), link.raw_token, link.token_hash, link.contact]


def _link(w):
    return w.extra["notice_link"]


N = "/orgs/{slug}/ai-systems/{system_id}/transparency-notice"
PATH_PARAMS = {"kind": lambda w: "technical-file", "link_id": lambda w: _link(w).pk}
ORG_UNIQUE_PARAMS = {"link_id"}
VERSIONED_BY = {"link_id": lambda w: _link(w).version}
BODIES = {
    ("POST", N + "/links"): lambda s, i: {"contact": "Probe: call the service desk."},
    ("POST", N + "/links/{link_id}/revoke"): lambda s, i: {"version": _link(i).version},
}
WEB_PARAMS = {"kind": lambda w: "technical-file", "link_id": lambda w: _link(w).pk,
              "token": lambda w: _link(w).raw_token}
PUBLIC_WEB = {"notice_public"}
