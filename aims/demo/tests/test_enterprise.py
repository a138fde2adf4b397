"""The enterprise-sized organisation, built small: the same code at a fraction of the size."""

import pytest
from django.core.management import call_command

from aims.accounts.models import User
from aims.activity.models import Event
from aims.activity.services import log_verify
from aims.compliance.models import ComplianceItem
from aims.demo.enterprise import ENTERPRISE, Sizes, scale_create
from aims.evidence.models import Blob, Evidence, EvidenceLink
from aims.evidence.storage import blob_check
from aims.impact.models import ImpactAssessment
from aims.inventory.models import AISystem
from aims.orgs.models import Membership, Organization
from aims.readiness.engine import evaluate
from aims.risks.models import Risk
from aims.tasks.models import Task
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

SMALL = Sizes(systems=6, risks=60, assessments=12, evidence=250, tasks=30, members=12)
ROLES = ("owner", "admin", "editor", "viewer", "auditor")


def _counts(org) -> dict[str, int]:
    return {model.__name__: model.objects.for_org(org).count()
            for model in (AISystem, Risk, ImpactAssessment, Evidence, EvidenceLink, Task, Blob)}


def test_the_organisation_has_the_sizes_asked_for_valid_records_and_an_intact_log(settings,
                                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = scale_create(slug="big", sizes=SMALL, tenants=2, password="pw-for-tests-1")
    org = result.org
    assert result.created and result.tenants_created == 2
    assert _counts(org) == {"AISystem": 6, "Risk": 60, "ImpactAssessment": 12, "Evidence": 250,
                            "EvidenceLink": 250, "Task": 30, "Blob": 3}
    assert Membership.objects.filter(org=org).count() == 12
    # The demo users hold their roles here and in every client organisation.
    for slug in ("big", "big-client-001", "big-client-002"):
        roles = dict(Membership.objects.filter(org__slug=slug, user__email__endswith=
                                               "@example.com").values_list("user__email", "role"))
        assert roles == {f"{r}@example.com": r for r in ROLES}
    # Records as the services leave them: each passes its model's validation.
    for model in (AISystem, Risk, ImpactAssessment, Evidence, Task):
        for obj in model.objects.for_org(org)[:20]:
            obj.full_clean()
    assert Risk.controls.through.objects.filter(risk__org=org).count() > 0
    assert not ComplianceItem.objects.for_org(org).filter(
        requirement__kind="annex_a_control", applicable__isnull=True).exists()
    # Every bulk row has its sealed event, and the chain holds.
    verified = log_verify(org=org)
    assert verified.ok and verified.checked == Event.objects.filter(org=org).count()
    assert Event.objects.filter(org=org, object_type="risks.risk").count() == 60
    assert all(blob_check(b) == "ok" for b in Blob.objects.for_org(org))
    owner = User.objects.get(email="owner@example.com")
    assert evaluate(ctx=ctx_for(org, owner), as_of=org.created_at.date()).findings


def test_the_command_builds_a_fraction_and_a_second_run_changes_nothing(settings, tmp_path,
                                                                         capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", scale="enterprise", org="big", factor=0.005, tenants=1,
                 password="pw-for-tests-1")
    out = capsys.readouterr().out
    assert "Created organisation 'big'" in out and "1 of 1 client organisations" in out
    assert "owner@example.com" in out
    org = Organization.objects.get(slug="big")
    small = ENTERPRISE.scaled(0.005)
    assert _counts(org)["Risk"] == small.risks == 100
    assert _counts(org)["Evidence"] == small.evidence == 500
    before = (_counts(org), Event.objects.count(), User.objects.count(),
              Organization.objects.count(), Membership.objects.count())
    call_command("demo", scale="enterprise", org="big", factor=0.005, tenants=1,
                 password="pw-for-tests-1")
    assert "Already present: organisation 'big'" in capsys.readouterr().out
    assert before == (_counts(org), Event.objects.count(), User.objects.count(),
                      Organization.objects.count(), Membership.objects.count())


def test_the_command_refuses_sizes_that_make_no_sense():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--factor"):
        call_command("demo", scale="enterprise", factor=0)
