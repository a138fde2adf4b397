"""`aims remind`: one digest per member and organisation a day, of what is overdue or due."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from aims.orgs.context import ctx_for_cli
from aims.risks.services import action_create, risk_create
from aims.tasks.models import ReminderLog
from aims.tasks.reminders import digests, reminders_send
from aims.tasks.services import task_complete
from aims.testing.factories import add_member, ctx_for

TODAY = datetime.date.today()
pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def work(ctx, members, make_task):
    """The editor: one overdue, one due in 3 days, one in 30 days, one done; the admin: a
    treatment action due tomorrow; the viewer: nothing due."""
    editor, admin = members["editor"], members["admin"]
    tasks = {
        "overdue": make_task(title="Sign the AI policy", owner=editor.pk, due_date=days(-2)),
        "soon": make_task(title="Review the model card", owner=editor.pk, due_date=days(3)),
        "later": make_task(title="Plan the next audit", owner=editor.pk, due_date=days(30)),
        "done": make_task(title="Already done", owner=editor.pk, due_date=days(-5)),
        "viewer_later": make_task(title="Far off", owner=members["viewer"].pk,
                                  due_date=days(60)),
    }
    task_complete(ctx=ctx, task_id=tasks["done"].pk, version=1)
    risk = risk_create(ctx=ctx, data={"title": "Drift goes unnoticed", "category": "bias"})
    action = action_create(ctx=ctx, risk_id=risk.pk, data={
        "title": "Add a drift monitor", "owner": admin.pk, "due_date": days(1)})
    return {**tasks, "risk": risk, "action": action}


def test_digest_lists_only_what_is_due(ctx, members, work):
    found = {d.user: d for d in digests(ctx=ctx, today=TODAY, days=7,
                                        base_url="https://aims.example.com")}
    assert set(found) == {members["editor"], members["admin"]}
    editor = found[members["editor"]]
    assert [x.title for x in editor.overdue] == ["Sign the AI policy"]
    assert [x.title for x in editor.soon] == ["Review the model card"]
    assert editor.overdue[0].url == (f"https://aims.example.com/o/{ctx.org.slug}/tasks/"
                                     f"{work['overdue'].pk}/")
    admin = found[members["admin"]]
    assert [x.title for x in admin.soon] == ["Add a drift monitor"]
    assert admin.soon[0].url.endswith(f"/risks/{work['risk'].pk}/#actions")


def test_send_once_a_day_with_text_and_html(org, members, work):
    ctx = ctx_for_cli(org.slug)
    run = reminders_send(ctx=ctx, days=7, base_url="https://aims.example.com/")
    assert len(run.sent) == 2 and len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [members["editor"].email])
    assert message.subject == f"[{org.name}] Your AIMS work: 1 overdue, 1 due within 7 days"
    assert "OVERDUE" in message.body and "T-001 Sign the AI policy" in message.body
    assert f"https://aims.example.com/o/{org.slug}/tasks/{work['overdue'].pk}/" in message.body
    assert "Plan the next audit" not in message.body and "Already done" not in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="https://aims.example.com/o/{org.slug}/tasks/{work["soon"].pk}/"' in html
    assert ReminderLog.objects.for_org(org).count() == 2

    again = reminders_send(ctx=ctx, days=7, base_url="https://aims.example.com")
    assert again.sent == [] and len(again.already) == 2 and len(mail.outbox) == 2
    tomorrow = reminders_send(ctx=ctx, days=7, base_url="https://aims.example.com",
                              today=days(1))
    assert len(tomorrow.sent) == 2 and len(mail.outbox) == 4


def test_dry_run_sends_and_logs_nothing(org, work):
    run = reminders_send(ctx=ctx_for_cli(org.slug), base_url="http://x", dry_run=True)
    assert len(run.sent) == 2
    assert mail.outbox == [] and ReminderLog.objects.for_org(org).count() == 0


def test_longer_window_includes_later_work(org, members, work):
    run = reminders_send(ctx=ctx_for_cli(org.slug), days=90, base_url="http://x")
    assert {d.user for d in run.sent} == {members["editor"], members["admin"],
                                          members["viewer"]}


def test_former_members_are_not_reminded(org, members, work):
    from aims.orgs.models import Membership

    # Leaving releases their tasks through the members service; here the row simply goes.
    Membership.objects.filter(org=org, user=members["admin"]).delete()
    run = reminders_send(ctx=ctx_for_cli(org.slug), base_url="http://x")
    assert members["admin"] not in {d.user for d in run.sent}


def test_one_digest_per_organisation(org, other_org, members, work, make_task):
    editor = members["editor"]
    add_member(other_org, "editor", email=editor.email)
    other_ctx = ctx_for(other_org, editor)
    make_task(ctx=other_ctx, title="Globex work", owner=editor.pk, due_date=days(2))
    call_command("remind", "--base-url", "https://aims.example.com")
    to_editor = [m for m in mail.outbox if m.to == [editor.email]]
    assert sorted(m.subject.split("]")[0] for m in to_editor) == [
        f"[{org.name}", f"[{other_org.name}"]
    globex = next(m for m in to_editor if other_org.name in m.subject)
    assert "Globex work" in globex.body and "Sign the AI policy" not in globex.body


def test_a_failed_delivery_is_retried(org, members, work, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def fail(self, *a, **k):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", fail)
    run = reminders_send(ctx=ctx_for_cli(org.slug), base_url="http://x")
    assert len(run.failed) == 2 and ReminderLog.objects.for_org(org).count() == 0
    monkeypatch.undo()
    run = reminders_send(ctx=ctx_for_cli(org.slug), base_url="http://x")
    assert len(run.sent) == 2


def test_command_options(org, work, capsys):
    call_command("remind", "--org", org.slug, "--dry-run", "--days", "3")
    out = capsys.readouterr().out
    assert "would remind editor@acme.example.com of 2 items (1 overdue)" in out
    assert mail.outbox == []
    with pytest.raises(CommandError):
        call_command("remind", "--org", "no-such-org")
    with pytest.raises(CommandError):
        call_command("remind", "--days", "-1")
    with pytest.raises(CommandError):
        call_command("remind", "--base-url", "ftp://x")


def test_base_url_from_the_environment(org, members, work, monkeypatch):
    monkeypatch.setenv("AIMS_BASE_URL", "https://grc.northwind.example")
    call_command("remind", "--org", org.slug)
    assert all("https://grc.northwind.example/o/acme/" in m.body for m in mail.outbox)
