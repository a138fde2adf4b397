"""An OSCAL profile brought in as SoA decisions: round trips, the dry run, hostile files,
permissions, and the three doors (API, CLI, web)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from aims.activity.models import Event
from aims.compliance.models import ComplianceItem
from aims.compliance.services import compliance_item_update
from aims.core.errors import PermissionDenied, ValidationError
from aims.oscal.exports import oscal_document, oscal_export
from aims.oscal.services import profile_import
from aims.oscal.validation import MAX_BYTES
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

DECISIONS = {
    "A.2.2": {"applicable": True, "inclusion_reason": "legal",
              "justification": "The AI policy is required by our regulator's model rules."},
    "A.6.2.6": {"applicable": True, "inclusion_reason": "risk_treatment", "justification": ""},
    "A.10.4": {"applicable": False, "inclusion_reason": "",
               "justification": "We have no customers who receive AI systems from us, so "
                                "customer-facing duties do not arise."},
    "A.7.5": {"applicable": False, "inclusion_reason": "",
              "justification": "No system uses data whose provenance is outside our own "
                               "ledgers and core banking\nrecords."},
}


def _decide(ctx, decisions=DECISIONS):
    for ref, data in decisions.items():
        item = ComplianceItem.objects.for_org(ctx.org).get(requirement__ref=ref)
        compliance_item_update(ctx=ctx, ref=ref, version=item.version, data=data)


def _state(org):
    return sorted(ComplianceItem.objects.for_org(org).filter(
        requirement__kind="annex_a_control").values_list(
        "requirement__ref", "applicable", "inclusion_reason", "justification", "version"))


def _decisions(org):
    return {ref: (a, r, " ".join(j.split())) for ref, a, r, j, _ in _state(org)
            if a is not None}


@pytest.fixture
def source_ctx(org, members):
    ctx = ctx_for(org, members["owner"])
    _decide(ctx)
    return ctx


@pytest.fixture
def target(other_org):
    from aims.orgs.models import Membership
    owner = Membership.objects.get(org=other_org, role="owner").user
    return ctx_for(other_org, owner)


def _profile_bytes(ctx) -> bytes:
    return oscal_export(ctx=ctx, model="profile")[0]


def test_profile_to_soa_to_profile_round_trips(source_ctx, target):
    content = _profile_bytes(source_ctx)
    before, events = _state(target.org), Event.objects.filter(org=target.org).count()

    report = profile_import(ctx=target, content=content, dry_run=True)
    assert {d.ref for d in report.changes} == set(DECISIONS)
    assert report.untouched == 38 - len(DECISIONS) and not report.problems
    assert _state(target.org) == before  # the dry run wrote nothing
    assert Event.objects.filter(org=target.org).count() == events

    report = profile_import(ctx=target, content=content, dry_run=False)
    assert report.applied and len(report.changes) == len(DECISIONS)
    assert _decisions(target.org) == _decisions(source_ctx.org)
    assert Event.objects.filter(org=target.org, action="oscal_profile_import").count() == 1

    # … and the target's profile says what the source's said.
    a = oscal_document(ctx=source_ctx, model="profile")["profile"]
    b = oscal_document(ctx=target, model="profile")["profile"]
    assert a["imports"] == b["imports"] and a["modify"] == b["modify"]

    # Importing again changes nothing (and says so).
    again = profile_import(ctx=target, content=content, dry_run=True)
    assert again.changes == []


def test_a_foreign_profile_without_aims_props_gets_a_default_reason(target):
    doc = {"profile": {
        "uuid": "0b8a2f4e-3c1d-4e5f-8a9b-0c1d2e3f4a5b",
        "metadata": {"title": "Baseline from another tool", "last-modified": "2026-01-01T00:00:00Z",
                     "version": "1", "oscal-version": "1.1.3"},
        "imports": [{"href": "https://example.org/iso42001.json",
                     "include-controls": [{"with-ids": ["A.2.2", "annex-a.6.2.4"]}]}]}}
    report = profile_import(ctx=target, content=json.dumps(doc).encode(), dry_run=False)
    assert {d.ref for d in report.changes} == {"A.2.2", "A.6.2.4"}
    assert any("Other" in n for n in report.notes)
    assert _decisions(target.org) == {"A.2.2": (True, "other", ""), "A.6.2.4": (True, "other", "")}


@pytest.mark.parametrize("content, says", [
    (b"{not json", "Not JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"catalog": {}}', "Not an OSCAL profile"),
    (b"[1, 2]", "Not an OSCAL profile"),
    (b'{"profile": {"uuid": "x"}}', "by NIST's schema"),
    (b"[" * 100_000 + b"]" * 100_000, ""),
    (b" " * (MAX_BYTES + 1), "at most 12 MB"),
])
def test_hostile_files_are_refused_naming_the_problem_and_write_nothing(target, content, says):
    before, events = _state(target.org), Event.objects.filter(org=target.org).count()
    with pytest.raises(ValidationError) as exc:
        profile_import(ctx=target, content=content, dry_run=False)
    assert "file" in exc.value.errors and says in exc.value.message
    assert _state(target.org) == before
    assert Event.objects.filter(org=target.org).count() == events


def test_an_unknown_control_is_named(source_ctx, target):
    doc = json.loads(_profile_bytes(source_ctx))
    doc["profile"]["imports"][0]["include-controls"][0]["with-ids"].append("ac-2")
    with pytest.raises(ValidationError, match="ac-2"):
        profile_import(ctx=target, content=json.dumps(doc).encode(), dry_run=True)


def test_a_refused_decision_refuses_the_whole_file(source_ctx, target):
    doc = json.loads(_profile_bytes(source_ctx))
    for alter in doc["profile"]["modify"]["alters"]:
        if alter["control-id"] == "annex-a.10.4":  # an exclusion without a justification
            alter["adds"][0]["props"] = [p for p in alter["adds"][0]["props"]
                                         if p["name"] != "justification"]
    content = json.dumps(doc).encode()
    report = profile_import(ctx=target, content=content, dry_run=True)
    assert [d.ref for d in report.problems] == ["A.10.4"]
    assert "justification" in report.problems[0].problem
    before = _state(target.org)
    with pytest.raises(ValidationError, match=r"A\.10\.4"):
        profile_import(ctx=target, content=content, dry_run=False)
    assert _state(target.org) == before  # not even the acceptable decisions


def test_access_is_checked_before_the_file_is_read(other_org):
    from aims.testing.factories import add_member
    viewer = ctx_for(other_org, add_member(other_org, "viewer"))
    with pytest.raises(PermissionDenied):
        profile_import(ctx=viewer, content=b"{not json", dry_run=True)


# ---------------------------------------------------------------------------- the doors


def test_api_export_and_import(source_ctx, target, api_client_for, members):
    api = api_client_for(members["viewer"])
    r = api.get(f"/api/v1/orgs/{source_ctx.org.slug}/oscal/profile")
    assert r.status_code == 200 and "profile" in r.json()
    r = api.get(f"/api/v1/orgs/{source_ctx.org.slug}/oscal/ssp?download=true")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert api.get(f"/api/v1/orgs/{source_ctx.org.slug}/oscal/nonsense").status_code == 422

    url = f"/api/v1/orgs/{target.org.slug}/oscal/profile/import"
    owner = api_client_for(target.user)
    upload = SimpleUploadedFile("p.json", _profile_bytes(source_ctx))
    r = owner.client.post(url, {"file": upload, "dry_run": "true"}, **owner.headers)
    assert r.status_code == 200, r.content
    assert r.json()["changed"] == len(DECISIONS) and r.json()["applied"] is False
    r = owner.client.post(url, {"file": SimpleUploadedFile("p.json", b"{oops")}, **owner.headers)
    assert r.status_code == 422 and "Not JSON" in r.content.decode()
    upload = SimpleUploadedFile("p.json", _profile_bytes(source_ctx))
    r = owner.client.post(url, {"file": upload}, **owner.headers)
    assert r.status_code == 200 and r.json()["applied"] is True
    assert _decisions(target.org) == _decisions(source_ctx.org)


def test_cli_export_and_import(source_ctx, target, tmp_path, capsys):
    out = tmp_path / "profile.json"
    call_command("export", "oscal", "--org", source_ctx.org.slug, "--model", "profile",
                 "-o", str(out))
    assert json.loads(out.read_text())["profile"]["imports"]
    before = _state(target.org)
    call_command("oscal", "import-profile", "--org", target.org.slug, str(out), "--dry-run")
    assert "A.10.4: not decided → excluded" in capsys.readouterr().out
    assert _state(target.org) == before
    call_command("oscal", "import-profile", "--org", target.org.slug, str(out))
    assert _decisions(target.org) == _decisions(source_ctx.org)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(CommandError, match="Not JSON"):
        call_command("oscal", "import-profile", "--org", target.org.slug, str(bad))


def test_web_download_and_import_with_a_dry_run(source_ctx, target, members):
    viewer = Client()
    viewer.force_login(members["viewer"])
    page = viewer.get(f"/o/{source_ctx.org.slug}/oscal/")
    assert page.status_code == 200
    for root in ("catalog", "system-security-plan", "plan-of-action-and-milestones"):
        assert root in page.content.decode()
    r = viewer.get(f"/o/{source_ctx.org.slug}/oscal/poam.json")
    assert r.status_code == 200 and "plan-of-action-and-milestones" in json.loads(r.content)
    assert viewer.get(f"/o/{source_ctx.org.slug}/oscal/import-profile/").status_code == 403

    owner = Client()
    owner.force_login(target.user)
    url = f"/o/{target.org.slug}/oscal/import-profile/"
    before = _state(target.org)
    r = owner.post(url, {"file": SimpleUploadedFile("p.json", _profile_bytes(source_ctx))})
    body = r.content.decode()
    assert r.status_code == 200 and "Dry run" in body and "A.10.4" in body
    assert _state(target.org) == before
    document = json.loads(_profile_bytes(source_ctx))
    r = owner.post(url, {"document": json.dumps(document)})
    assert r.status_code == 302 and r["Location"].endswith(f"/o/{target.org.slug}/soa/")
    assert _decisions(target.org) == _decisions(source_ctx.org)

    r = owner.post(url, {"file": SimpleUploadedFile("p.json", b"{oops")})
    assert r.status_code == 422 and "Not JSON" in r.content.decode()
