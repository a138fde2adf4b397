"""Integration tokens and pushed evidence through the services."""

import datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.evidence.models import Blob, Evidence, EvidenceLink
from aims.integrations import services
from aims.integrations.models import IntegrationToken
from aims.integrations.services import (
    evidence_push,
    integration_ctx,
    integration_token_authenticate,
    integration_token_revoke,
    model_card_import,
)
from aims.testing.factories import ctx_for, make_org

from .conftest import PERIOD, issue, report

pytestmark = pytest.mark.django_db


def stored_files(org) -> list[Path]:
    root = Path(default_storage.path(f"evidence/{org.pk}"))
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_only_owners_and_admins_issue_tokens(org, members):
    for role in ("editor", "viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            issue(ctx_for(org, members[role]))
    token, raw = issue(ctx_for(org, members["admin"]), controls=["A.6.2.4"], expires_in_days=30)
    assert raw.startswith("aimsi_") and token.prefix == raw[:12]
    assert token.token_hash != raw and len(token.token_hash) == 64
    assert raw not in str(IntegrationToken.objects.for_org(org).values())
    assert token.controls == ["A.6.2.4"] and token.created_by == members["admin"]
    event = Event.objects.get(org=org, object_id=str(token.pk))
    assert event.action == "create" and "token_hash" not in event.changes
    assert event.changes["name"]["after"] == "claims-model CI"


@pytest.mark.parametrize("kwargs,field", [
    ({"name": "  "}, "name"),
    ({"expires_in_days": 0}, "expires_in_days"),
    ({"controls": ["A.99.1"]}, "controls"),
    ({"systems": ["no such system"]}, "systems"),
    ({"systems": ["00000000-0000-0000-0000-000000000000"]}, "systems"),
])
def test_bad_token_requests_name_the_field(admin_ctx, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        issue(admin_ctx, **kwargs)
    assert field in exc.value.errors
    assert not IntegrationToken.objects.for_org(admin_ctx.org).exists()


def test_systems_are_named_by_id_or_name(admin_ctx, system, other_system):
    token, _ = issue(admin_ctx, systems=["claims TRIAGE model", str(other_system.pk)])
    assert token.systems == [str(system.pk), str(other_system.pk)]


def test_authenticate_revoke_and_expiry(admin_ctx, org):
    token, raw = issue(admin_ctx)
    assert integration_token_authenticate(raw=raw) == token
    assert IntegrationToken.objects.for_org(org).get().last_used_at is not None
    assert integration_token_authenticate(raw=raw + "x") is None
    assert integration_token_authenticate(raw="aims_" + raw[6:]) is None
    with pytest.raises(NotFound):
        integration_token_revoke(ctx=admin_ctx, token_id="not-a-uuid")
    integration_token_revoke(ctx=admin_ctx, token_id=token.pk)
    integration_token_revoke(ctx=admin_ctx, token_id=token.pk)  # twice: no second event
    assert Event.objects.filter(org=org, object_id=str(token.pk)).count() == 2
    assert integration_token_authenticate(raw=raw) is None
    expired, raw2 = issue(admin_ctx, expires_in_days=1)
    IntegrationToken.objects.for_org(org).filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert integration_token_authenticate(raw=raw2) is None


def test_another_organisations_admin_cannot_revoke(admin_ctx, other_org):
    token, _ = issue(admin_ctx)
    owner = other_org.memberships.get(role="owner").user
    with pytest.raises(NotFound):
        integration_token_revoke(ctx=ctx_for(other_org, owner), token_id=token.pk)


def test_a_push_is_logged_with_the_token_as_actor(admin_ctx, org, system):
    token, _ = issue(admin_ctx)
    ctx = integration_ctx(token)
    evidence = evidence_push(ctx=ctx, token=token, title="Eval report Q1", upload=report(),
                             controls=["A.6.2.4"], systems=[str(system.pk)], **PERIOD)
    assert (evidence.kind, evidence.effective_from, evidence.uploaded_by) == (
        "file", datetime.date(2026, 1, 1), None)
    assert evidence.source == "Pushed by integration token “claims-model CI”"
    links = set(EvidenceLink.objects.for_org(org).filter(evidence=evidence)
                .values_list("subject_kind", flat=True))
    assert links == {"ai_system", "compliance_item"}
    event = Event.objects.get(org=org, object_id=str(evidence.pk))
    assert event.actor is None
    assert event.actor_label == f"integration token “claims-model CI” ({token.pk})"


def test_a_link_can_be_pushed_instead_of_a_file(admin_ctx, system):
    token, _ = issue(admin_ctx)
    evidence = evidence_push(ctx=integration_ctx(token), token=token, title="MLflow run",
                             url="https://mlflow.example.com/#/runs/1", systems=[system.name],
                             **PERIOD)
    assert evidence.kind == "link" and evidence.blob is None


def test_scope_limits_are_403_before_anything_is_written(admin_ctx, org, system, other_system):
    token, _ = issue(admin_ctx, controls=["A.6.2.4"], systems=[str(system.pk)])
    ctx = integration_ctx(token)
    before = (Evidence.objects.for_org(org).count(), Blob.objects.for_org(org).count(),
              Event.objects.filter(org=org).count())
    for controls, systems in ((["A.7.4"], []), (["A.6.2.4"], [str(other_system.pk)]),
                              ([], [other_system.name])):
        with pytest.raises(PermissionDenied):
            evidence_push(ctx=ctx, token=token, title="x", upload=report(), controls=controls,
                          systems=systems, **PERIOD)
    assert (Evidence.objects.for_org(org).count(), Blob.objects.for_org(org).count(),
            Event.objects.filter(org=org).count()) == before
    evidence_push(ctx=ctx, token=token, title="ok", upload=report(), controls=["A.6.2.4"],
                  systems=[str(system.pk)], **PERIOD)


def test_another_organisations_system_is_not_found(admin_ctx, system):
    other = make_org("initech", "Initech")
    other_ctx = ctx_for(other, other.memberships.get(role="owner").user)
    with pytest.raises(ValidationError) as exc:
        evidence_push(ctx=other_ctx, title="x", upload=report(), systems=[str(system.pk)],
                      **PERIOD)
    assert "systems" in exc.value.errors


@pytest.mark.parametrize("kwargs,field", [
    ({"controls": [], "systems": []}, "controls"),
    ({"controls": ["A.99"]}, "controls"),
    ({"upload": None}, "file"),
    ({"url": "https://x.example.com"}, "url"),  # both a file and a url
    ({"effective_from": None}, "effective_from"),
    ({"effective_to": datetime.date(2025, 1, 1)}, "effective_to"),
    ({"title": ""}, "title"),
    ({"upload": None, "url": "not a url"}, "url"),
])
def test_bad_pushes_name_the_field_and_leave_no_file(admin_ctx, org, kwargs, field):
    token, _ = issue(admin_ctx)
    data = {"title": "Eval", "upload": report(b"orphan check " + field.encode()),
            "controls": ["A.6.2.4"], **PERIOD, **kwargs}
    with pytest.raises(ValidationError) as exc:
        evidence_push(ctx=integration_ctx(token), token=token, **data)
    assert field in exc.value.errors, exc.value.errors
    assert not Evidence.objects.for_org(org).exists()
    assert not Blob.objects.for_org(org).exists()
    assert not stored_files(org)


def test_members_push_with_evidence_change(org, members, system):
    with pytest.raises(PermissionDenied):
        evidence_push(ctx=ctx_for(org, members["viewer"]), title="x", upload=report(),
                      systems=[str(system.pk)], **PERIOD)
    e = evidence_push(ctx=ctx_for(org, members["editor"]), title="x", upload=report(),
                      systems=[str(system.pk)], **PERIOD)
    assert e.uploaded_by == members["editor"] and e.source == "Pushed over the API"


def test_model_card_becomes_evidence_on_the_mapped_controls(ctx, org, system):
    content = (Path(__file__).parent / "data" / "claims_card.md").read_bytes()
    done = model_card_import(ctx=ctx, system_id=system.pk, content=content,
                             file_name="README.md")
    assert [e.title for e in done.evidence] == [
        "Model card of claims-triage-bert", "Intended use of claims-triage-bert",
        "Limitations of claims-triage-bert", "Training data of claims-triage-bert",
        "Evaluation results of claims-triage-bert"]
    assert done.evidence[0].kind == "file" and done.evidence[0].file_name == "README.md"
    assert all(e.kind == "note" for e in done.evidence[1:])
    refs = {}
    for e in done.evidence:
        links = EvidenceLink.objects.for_org(org).filter(evidence=e)
        assert links.filter(subject_kind="ai_system", subject_id=system.pk).exists()
        refs[e.title.split(" of ")[0]] = sorted(
            ComplianceRef.ref(link.subject_id) for link in links
            if link.subject_kind == "compliance_item")
    assert refs == {"Model card": ["A.6.2.7"], "Intended use": ["A.6.2.2", "A.9.4"],
                    "Limitations": ["A.6.2.7", "A.8.2"], "Training data": ["A.7.2", "A.7.5"],
                    "Evaluation results": ["A.6.2.4"]}
    assert done.unlinked == [] and done.card.gaps == []
    assert Event.objects.filter(org=org, object_type="evidence.evidence").count() == 5


class ComplianceRef:
    @staticmethod
    def ref(pk):
        from aims.compliance.models import ComplianceItem

        return ComplianceItem.all_orgs.select_related("requirement").get(pk=pk).requirement.ref


def test_model_card_gaps_are_kept_on_the_card_evidence(ctx, system):
    done = model_card_import(ctx=ctx, system_id=system.pk,
                             content=b"# m\n\n## Limitations\n\nSlow.\n")
    assert len(done.evidence) == 2
    assert "The card leaves empty: No YAML front matter" in done.evidence[0].description


def test_a_hostile_card_writes_nothing(ctx, org, system):
    before = Event.objects.filter(org=org).count()
    with pytest.raises(ValidationError) as exc:
        model_card_import(ctx=ctx, system_id=system.pk, content=b"---\nx: [\n---\n# m\n")
    assert list(exc.value.errors) == ["file"]
    assert Event.objects.filter(org=org).count() == before
    assert not Evidence.objects.for_org(org).exists() and not Blob.objects.for_org(org).exists()


def test_model_card_with_a_limited_token(admin_ctx, system, other_system):
    token, _ = issue(admin_ctx, systems=[str(system.pk)])
    content = b"# m\n\n## Limitations\n\nSlow.\n"
    with pytest.raises(PermissionDenied):
        model_card_import(ctx=integration_ctx(token), token=token, system_id=other_system.pk,
                          content=content)
    narrow, _ = issue(admin_ctx, name="narrow", controls=["A.6.2.4"])
    with pytest.raises(PermissionDenied) as exc:
        model_card_import(ctx=integration_ctx(narrow), token=narrow, system_id=system.pk,
                          content=content)
    assert "not to A.6.2.7" in exc.value.message
    done = model_card_import(ctx=integration_ctx(token), token=token, system_id=system.pk,
                             content=content)
    assert "pushed by integration token" in done.evidence[0].source


def test_prefix_is_not_a_personal_token(admin_ctx):
    from aims.accounts.services import token_authenticate

    _, raw = issue(admin_ctx)
    assert token_authenticate(raw=raw) is None
    assert services.TOKEN_PREFIX == "aimsi_"
