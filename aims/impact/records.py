"""Impact assessment records others may link to, and how assessments react to the inventory
and the risk register (see aims.records)."""

from django.urls import reverse

from aims.impact.gates import impact_check
from aims.impact.services import assessment_flag_for_change, risk_delete_check
from aims.records import hooks
from aims.records.kinds import RecordKind

KINDS = [
    RecordKind(key="impact_assessment", model="impact.ImpactAssessment",
               label="Impact assessment", select_related=("ai_system",),
               url=lambda o, slug: reverse("impact:detail",
                                           kwargs={"slug": slug, "assessment_id": o.pk})),
]
HOOKS = {
    hooks.DEPLOYMENT_CHECKS: impact_check,
    hooks.SIGNIFICANT_CHANGE: assessment_flag_for_change,
    hooks.before_delete("risks.Risk"): risk_delete_check,
}
