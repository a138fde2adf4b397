"""The command line: `aims evidence push` as a CI pipeline runs it, a separate process talking
HTTP to a running server; `aims token …-integration` and `aims evidence model-card` on the
installation's database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aims.activity.models import Event
from aims.evidence.models import Blob, Evidence
from aims.integrations.models import IntegrationToken

from .conftest import issue

DATA = Path(__file__).parent / "data"


def _aims(tmp_path, *args, **env):
    """`aims …` in its own process, as a pipeline step runs it."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("AIMS_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "aims.cli", *args],
                          env={**base, "AIMS_VAR_DIR": str(tmp_path / "var"), **env},
                          capture_output=True, text=True, timeout=180)


@pytest.mark.django_db(transaction=True)
def test_pipeline_pushes_a_file_and_a_model_card_to_a_live_server(live_server, tmp_path,
                                                                  admin_ctx, org, system):
    token, raw = issue(admin_ctx, controls=["A.6.2.4", *("A.6.2.2", "A.9.4", "A.6.2.7",
                                                         "A.8.2", "A.7.2", "A.7.5")])
    report = tmp_path / "eval.html"
    report.write_text("<html>AUC 0.91 on the 2025 hold-out set</html>")
    common = ["--url", live_server.url, "--org", org.slug, "--token-env", "AIMS_TOKEN"]
    done = _aims(tmp_path, "evidence", "push", *common, "--file", str(report),
                 "--title", "Nightly evaluation report", "--from", "2026-01-01",
                 "--to", "2026-03-31", "--control", "A.6.2.4", "--system", system.name,
                 AIMS_TOKEN=raw)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("EV-001  Nightly evaluation report  sha256:")
    evidence = Evidence.objects.for_org(org).get()
    assert evidence.file_name == "eval.html" and evidence.blob.size == report.stat().st_size
    assert Event.objects.get(org=org, object_id=str(evidence.pk)).actor_label == \
        token.actor_label
    assert IntegrationToken.objects.for_org(org).get().last_used_at is not None

    done = _aims(tmp_path, "evidence", "push", *common, "--file", str(DATA / "claims_card.md"),
                 "--model-card", "--system", str(system.pk), AIMS_TOKEN=raw)
    assert done.returncode == 0, done.stderr
    assert "Model card of claims-triage-bert" in done.stdout
    assert Evidence.objects.for_org(org).count() == 6

    # Refusals name the field and the rule, exit non-zero, write nothing.
    done = _aims(tmp_path, "evidence", "push", *common, "--file", str(report), "--title", "x",
                 "--from", "2026-02-01", "--to", "2026-01-01", "--control", "A.6.2.4",
                 AIMS_TOKEN=raw)
    assert done.returncode != 0 and "422" in done.stderr and "effective_to" in done.stderr
    done = _aims(tmp_path, "evidence", "push", *common, "--link", "https://ci.example.com/1",
                 "--title", "x", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--control", "A.7.4", AIMS_TOKEN=raw)
    assert done.returncode != 0 and "403" in done.stderr and "A.7.4" in done.stderr
    done = _aims(tmp_path, "evidence", "push", *common, "--link", "https://ci.example.com/1",
                 "--title", "x", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--control", "A.6.2.4", AIMS_TOKEN="aimsi_wrong")
    assert done.returncode != 0 and "the token was not accepted" in done.stderr
    done = _aims(tmp_path, "evidence", "push", *common, "--link", "https://ci.example.com/1",
                 "--title", "x")
    assert done.returncode != 0 and "AIMS_TOKEN is empty or not set" in done.stderr
    assert Evidence.objects.for_org(org).count() == 6
    assert Blob.objects.for_org(org).count() == 2


@pytest.mark.django_db
def test_integration_token_commands(org, system, capsys):
    call_command("token", "create-integration", "--org", org.slug, "--name", "claims CI",
                 "--control", "A.6.2.4", "--system", system.name, "--expires-days", "30")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("aimsi_")
    token = IntegrationToken.objects.for_org(org).get()
    assert token.systems == [str(system.pk)] and token.expires_at is not None
    call_command("token", "list-integration", "--org", org.slug)
    out = capsys.readouterr().out
    assert f"{token.pk}  {token.prefix}…  claims CI  active  never used" in out
    call_command("token", "revoke-integration", "--org", org.slug, str(token.pk))
    assert "Revoked claims CI" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not found"):
        call_command("token", "revoke-integration", "--org", org.slug, "nope")
    with pytest.raises(CommandError, match="not a control"):
        call_command("token", "create-integration", "--org", org.slug, "--name", "x",
                     "--control", "A.99")


@pytest.mark.django_db
def test_model_card_command(org, system, capsys, tmp_path):
    call_command("evidence", "model-card", "--org", org.slug, "--system", str(system.pk),
                 str(DATA / "mlflow_run.json"))
    out = capsys.readouterr().out
    assert out.startswith("MLflow metadata of fraud-scorer-v7 on Claims triage model:")
    assert "EMPTY: Limitations: the metadata holds no limitations tag." in out
    assert Evidence.objects.for_org(org).count() == 4
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some notes,\nwith no headings and no metadata.\n")
    with pytest.raises(CommandError, match="not a model card"):
        call_command("evidence", "model-card", "--org", org.slug, "--system", system.name,
                     str(bad))
    assert Evidence.objects.for_org(org).count() == 4
