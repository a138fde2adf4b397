"""The same judgement through every door: `aims readiness`, the API and its exit codes."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aims.readiness.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("readiness", *args, stdout=out)
    except SystemExit as exc:
        assert isinstance(exc.code, int), exc.code
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_cli_and_api_give_the_same_json(org, build, api):
    build.system()
    code, text = cli("--org", org.slug, "--format", "json")
    from_cli = json.loads(text)
    response = api.get(f"/api/v1/orgs/{org.slug}/readiness")
    assert response.status_code == 200
    assert response.json() == from_cli
    assert from_cli["organization"] == org.slug and from_cli["as_of"] == TODAY.isoformat()
    assert from_cli["verdict"] == "not_ready"
    assert {f["rule"] for f in from_cli["findings"]} >= {"IA-MISSING", "SOA-UNDECIDED"}
    ia = next(f for f in from_cli["findings"] if f["rule"] == "IA-MISSING")
    assert ia["object"]["kind"] == "ai_system" and ia["severity"] == "major"
    assert [c["ref"] for c in from_cli["clauses"]] == ["4", "5", "6", "7", "8", "9", "10"]
    assert from_cli["domains"][0]["ref"] == "A.2" and 0 <= from_cli["score"] <= 100
    assert code == 1


def test_as_of_in_the_future_through_both_doors(org, build, api):
    build.risk(next_review=TODAY + datetime.timedelta(days=3))
    later = (TODAY + datetime.timedelta(days=30)).isoformat()
    _, text = cli("--org", org.slug, "--format", "json", "--as-of", later)
    response = api.get(f"/api/v1/orgs/{org.slug}/readiness", {"as_of": later})
    assert response.json() == json.loads(text)
    assert "RISK-REVIEW-OVERDUE" in {f["rule"] for f in response.json()["findings"]}
    today = api.get(f"/api/v1/orgs/{org.slug}/readiness").json()
    assert "RISK-REVIEW-OVERDUE" not in {f["rule"] for f in today["findings"]}


def test_exit_codes(org, build):
    code, text = cli("--org", org.slug)
    assert code == 1 and "NOT READY" in text and "SOA-UNDECIDED" in text
    with pytest.raises(CommandError) as exc:
        call_command("readiness", "--org", "no-such-org", stdout=io.StringIO())
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("readiness", "--org", org.slug, "--as-of", "31/12/2026",
                     stdout=io.StringIO())
    assert exc.value.returncode == 2 and "YYYY-MM-DD" in str(exc.value)


def test_fail_on_minor_is_stricter_than_major(org, ctx, build, monkeypatch):
    from aims.readiness import engine
    from aims.readiness.rules import rule_get

    # Judge with one minor rule only: it fails --fail-on minor, passes the default.
    monkeypatch.setattr(engine, "all_rules", lambda: (rule_get("RISK-NO-OWNER"),))
    build.risk(owner=None)
    assert cli("--org", org.slug)[0] == 0
    assert cli("--org", org.slug, "--fail-on", "minor")[0] == 1


def test_save_keeps_a_snapshot(org):
    from aims.readiness.models import Snapshot

    cli("--org", org.slug, "--save")
    snapshot = Snapshot.objects.for_org(org).get()
    assert snapshot.as_of == TODAY and snapshot.result["organization"] == org.slug


def test_every_member_reads_readiness_and_only_admins_save_it(org, members, api_client_for):
    url = f"/api/v1/orgs/{org.slug}/readiness"
    for role in ("owner", "admin", "editor", "viewer", "auditor"):
        assert api_client_for(members[role]).get(url).status_code == 200, role
    for role, status in (("viewer", 403), ("auditor", 403), ("editor", 403), ("admin", 201)):
        r = api_client_for(members[role]).post(f"{url}/snapshots", {})
        assert r.status_code == status, (role, r.content)


def test_the_daily_reminder_run_saves_one_snapshot_a_day(org):
    from aims.readiness.models import Snapshot

    for _ in range(2):
        out = io.StringIO()
        call_command("remind", "--org", org.slug, stdout=out)
    snapshot = Snapshot.objects.for_org(org).get()
    assert snapshot.kind == "daily" and snapshot.as_of == TODAY
    assert f"{org.slug}: readiness {snapshot.score}/100" not in out.getvalue()  # second run
    dry = io.StringIO()
    call_command("remind", "--org", org.slug, "--dry-run", stdout=dry)
    assert Snapshot.objects.for_org(org).count() == 1


def test_plan_generation_is_idempotent_and_resolves_what_was_fixed(org, owner_ctx, build):
    from aims.readiness.selectors import plan_get
    from aims.readiness.services import plan_generate
    from aims.tasks.models import Task

    target = TODAY + datetime.timedelta(days=300)
    system = build.system()
    new = plan_generate(ctx=owner_ctx, target_date=target)
    keys = {s.key for s in new}
    assert f"IA-MISSING:ai_system:{system.pk}" in keys
    assert {"CERT-STAGE1", "CERT-INTERNAL-AUDIT", "CERT-REVIEW"} <= keys
    assert len(keys) == len(new)  # one step per finding
    steps = {s.key: s for s in plan_get(ctx=owner_ctx).steps.all()}
    ia_task = steps[f"IA-MISSING:ai_system:{system.pk}"].task
    assert ia_task.kind == "plan_step" and ia_task.due_date <= target
    assert ia_task.priority == "high" and ia_task.due_date >= TODAY
    tasks_before = Task.objects.for_org(org).count()
    assert plan_generate(ctx=owner_ctx) == []  # nothing new: no second task for anything
    assert Task.objects.for_org(org).count() == tasks_before
    build.approved_assessment(system)
    plan_generate(ctx=owner_ctx)
    ia_task.refresh_from_db()
    assert ia_task.status == "done" and "no longer finds" in ia_task.completion_note
    step = plan_get(ctx=owner_ctx).steps.get(key=f"IA-MISSING:ai_system:{system.pk}")
    assert step.resolved_at is not None
