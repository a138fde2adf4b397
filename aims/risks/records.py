"""Risk records others may link to, the methodology every organisation starts with, and the
register's export as a background job."""

from django.urls import reverse

from aims.jobs.kinds import JobKind
from aims.records import hooks
from aims.records.kinds import RecordKind
from aims.risks.exports import risk_xlsx_clean, risk_xlsx_run
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
JOBS = [
    JobKind(key="risks.xlsx", label="AI risk register (XLSX)", perm="org.view",
            run=risk_xlsx_run, clean=risk_xlsx_clean),
]
