"""`aims classify`: the same service as the API, from a file of answers."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from aims.activity.models import Event
from aims.aiact.models import ClassificationVersion, ObligationItem
from aims.aiact.tests.probe import HIGH_RISK
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="CV ranker", roles=["provider", "deployer"],
                          eu_risk_class="unassessed")


def run(*args) -> str:
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return out.getvalue()


def test_classifies_from_a_file_and_refreshes_obligations(org, system, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(HIGH_RISK))
    text = run("--org", org.slug, "--system", str(system.pk), "--answers", str(answers))
    assert "CV ranker: High risk (classification version 1)" in text
    assert "Art. 6(3), last subparagraph" in text and "Art. 9" in text
    saved = ClassificationVersion.objects.for_org(org).get(ai_system=system)
    assert saved.result_class == "high" and saved.saved_by is None
    assert ObligationItem.objects.for_org(org).filter(ai_system=system).exists()
    assert Event.objects.filter(org=org, actor_label="aims classify").exists()
    answers.write_text(json.dumps({"answers": {**HIGH_RISK, "annex_iii": []}}))
    out = json.loads(run("--org", org.slug, "--system", str(system.pk), "--answers",
                         str(answers), "--format", "json"))
    assert out["version"] == 2 and out["class"] == "limited"
    assert not ObligationItem.objects.for_org(org).get(ai_system=system, ref="Art. 9").applies


def test_refusals_name_the_question_and_save_nothing(org, system, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**HIGH_RISK, "profiling": "maybe"}))
    with pytest.raises(CommandError) as exc:
        run("--org", org.slug, "--system", str(system.pk), "--answers", str(answers))
    assert exc.value.returncode == 2 and "answers.profiling" in str(exc.value)
    answers.write_text("{not json")
    with pytest.raises(CommandError) as exc:
        run("--org", org.slug, "--system", str(system.pk), "--answers", str(answers))
    assert "not JSON" in str(exc.value)
    answers.write_text(json.dumps(HIGH_RISK))
    with pytest.raises(CommandError) as exc:
        run("--org", "nowhere", "--system", str(system.pk), "--answers", str(answers))
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        run("--org", org.slug, "--system", str(system.pk), "--answers", str(answers),
            "--based-on", "3")
    assert exc.value.returncode == 1
    assert not ClassificationVersion.objects.for_org(org).exists()
