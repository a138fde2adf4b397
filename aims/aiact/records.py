"""EU AI Act obligations others may link to (evidence, tasks), and bringing every classified
AI system's obligations up to date after an upgrade."""

from django.urls import reverse

from aims.aiact.services import obligation_items_upgrade
from aims.records import hooks
from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="aiact_obligation", model="aiact.ObligationItem", label="EU AI Act obligation",
               select_related=("ai_system",),
               title=lambda o: f"{o.ref} ({o.get_role_display()}) — {o.ai_system.name}",
               url=lambda o, slug: reverse("aiact:obligation", kwargs={
                   "slug": slug, "item_id": o.pk})),
]
HOOKS = {
    hooks.INSTANCE_UPGRADE: obligation_items_upgrade,
}
