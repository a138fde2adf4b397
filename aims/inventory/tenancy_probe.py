"""How the tenancy, role and error matrices reach the AI system change-log routes (see
aims.core.testing.tenancy). The change log is append-only, so it has no item routes."""

from __future__ import annotations

from aims.core.testing.factories import make_ai_system
from aims.inventory.services import system_change_record


def build(world, ctx, tag: str) -> None:
    """A further AI system with one logged change; the world's own system keeps an empty log,
    so it stays deletable (a system with a change log must be retired instead)."""
    system = make_ai_system(ctx, name=f"{tag} Telematics Pricing Model", owner=world.editor.pk)
    change = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": f"{tag} confidential retraining on broker data", "significant": False})
    world.extra.update(changed_system=system, system_change=change)
    world.secrets += [system.name, change.description, str(system.pk), str(change.pk)]


BODIES = {
    ("POST", "/orgs/{slug}/ai-systems/{system_id}/changes"):
        lambda s, i: {"description": "Probe change: moved to a new cluster.",
                      "significant": False},
}
