"""Risk records others may link to, and the methodology every organisation starts with."""

from django.urls import reverse

from aims.records import hooks
from aims.records.kinds import RecordKind
from aims.risks.gates import risks_check
from aims.risks.services import methodology_default_create, methodology_upgrade

KINDS = [
    RecordKind(key="risk", model="risks.Risk", label="Risk",
               url=lambda o, slug: reverse("risks:detail", kwargs={"slug": slug, "risk_id": o.pk})),
]
HOOKS = {
    hooks.ORG_SEED: methodology_default_create,
    hooks.INSTANCE_UPGRADE: methodology_upgrade,
    hooks.DEPLOYMENT_CHECKS: risks_check,
}
