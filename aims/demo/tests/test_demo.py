import pytest
from django.core.management import call_command

from aims.activity.services import log_verify
from aims.compliance.selectors import soa_list
from aims.core.justification import justification_problem
from aims.inventory.selectors import ai_system_list
from aims.orgs.models import Membership, Organization
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent(capsys):
    call_command("demo", password="pw-for-tests-1")
    out = capsys.readouterr().out
    assert "owner@example.com" in out and "auditor@example.com" in out
    org = Organization.objects.get(slug="demo")
    roles = dict(Membership.objects.filter(org=org).values_list("user__email", "role"))
    assert roles == {f"{r}@example.com": r for r in ("owner", "admin", "editor", "viewer", "auditor")}
    owner = Membership.objects.get(org=org, role="owner").user
    ctx = ctx_for(org, owner)
    systems = list(ai_system_list(ctx=ctx))
    assert len(systems) >= 6
    assert {"high", "limited", "minimal"} <= {s.eu_risk_class for s in systems}
    assert {"provider", "deployer", "user"} <= {r for s in systems for r in s.roles}
    excluded = [i for i in soa_list(ctx=ctx) if i.applicable is False]
    assert excluded and all(justification_problem(i.justification) is None for i in excluded)
    assert log_verify(org=org).ok

    events = log_verify(org=org).checked
    call_command("demo", password="pw-for-tests-2")
    assert Organization.objects.filter(slug="demo").count() == 1
    assert log_verify(org=org).checked == events
    assert owner.__class__.objects.get(email="owner@example.com").check_password("pw-for-tests-2")


def test_demo_prints_the_address_aims_serves_on(capsys, monkeypatch):
    monkeypatch.delenv("AIMS_BASE_URL", raising=False)
    monkeypatch.setenv("AIMS_PORT", "8123")
    call_command("demo", password="pw-for-tests-1")
    assert "Sign in at http://127.0.0.1:8123/ " in capsys.readouterr().out
    monkeypatch.setenv("AIMS_BASE_URL", "https://aims.example.org")
    call_command("demo", password="pw-for-tests-1")
    assert "Sign in at https://aims.example.org/ " in capsys.readouterr().out
    call_command("demo", password="pw-for-tests-1", url="http://10.0.0.5:9000/")
    assert "Sign in at http://10.0.0.5:9000/ " in capsys.readouterr().out
