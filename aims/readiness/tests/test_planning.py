"""Planning rules (clause 6, A.5, the SoA): each fires on the record at fault and stays quiet
on a record in order."""

from __future__ import annotations

import datetime

import pytest

from aims.inventory.services import system_change_record
from aims.readiness.tests.conftest import TODAY, findings
from aims.risks.models import RiskMethodology

pytestmark = pytest.mark.django_db


def rules_of(found) -> list[str]:
    return [f.rule for f in found]


def test_no_methodology_is_major_and_a_methodology_is_enough(ctx, org):
    assert findings(ctx, "RISK-METHODOLOGY-MISSING") == []
    RiskMethodology.objects.for_org(org).delete()
    [f] = findings(ctx, "RISK-METHODOLOGY-MISSING")
    assert f.severity == "major" and f.refs == ("6.1.2",) and f.subject is None


def test_systems_in_scope_without_any_risk(ctx, build):
    assert findings(ctx, "RISK-NONE") == []  # nothing in scope: nothing to assess yet
    build.system()
    [f] = findings(ctx, "RISK-NONE")
    assert f.severity == "major" and "1 AI system is in scope" in f.message
    build.risk()
    assert findings(ctx, "RISK-NONE") == []


def test_risk_without_owner(ctx, build):
    owned = build.risk(title="Owned risk")
    orphan = build.risk(title="Nobody's risk", owner=None)
    found = findings(ctx, "RISK-NO-OWNER")
    assert [f.subject.id for f in found] == [str(orphan.pk)]
    assert found[0].subject.kind == "risk" and orphan.ref in found[0].message
    assert str(owned.pk) not in [f.subject.id for f in found]


def test_unrated_and_untreated_risks(ctx, build):
    unrated = build.risk(title="Unrated")
    untreated = build.risk(title="Rated, undecided", inherent_likelihood=4, inherent_impact=4)
    treated = build.risk(title="Rated and treated", inherent_likelihood=4, inherent_impact=4,
                         treatment_option="avoid",
                         treatment_rationale="We stopped offering the product that used this model entirely.")
    assert [f.subject.id for f in findings(ctx, "RISK-UNRATED")] == [str(unrated.pk)]
    untreated_ids = [f.subject.id for f in findings(ctx, "RISK-NO-TREATMENT")]
    assert untreated_ids == [str(untreated.pk)]
    assert str(treated.pk) not in untreated_ids


def test_review_overdue_as_of_a_day(ctx, build):
    risk = build.risk(next_review=TODAY + datetime.timedelta(days=10))
    assert findings(ctx, "RISK-REVIEW-OVERDUE") == []
    later = TODAY + datetime.timedelta(days=11)
    [f] = findings(ctx, "RISK-REVIEW-OVERDUE", as_of=later)
    assert f.subject.id == str(risk.pk) and f.severity == "minor"


def test_residual_above_threshold_needs_the_owners_sign_off(ctx, build):
    risk = build.risk(inherent_likelihood=5, inherent_impact=5, treatment_option="mitigate",
                      treatment_rationale="Retraining with reweighted data lowers the gap between groups.",
                      controls=["A.7.4"], residual_likelihood=4, residual_impact=4)
    [f] = findings(ctx, "RISK-SIGNOFF-MISSING")
    assert f.subject.id == str(risk.pk)
    low = build.risk(title="Low residual", inherent_likelihood=5, inherent_impact=5,
                     treatment_option="mitigate", treatment_rationale="Every decline is reviewed by a credit officer before it is sent.",
                     controls=["A.9.2"], residual_likelihood=1, residual_impact=2)
    assert str(low.pk) not in [f.subject.id for f in findings(ctx, "RISK-SIGNOFF-MISSING")]


def test_mitigation_needs_a_control(ctx, build):
    bare = build.risk(inherent_likelihood=3, inherent_impact=3, treatment_option="mitigate",
                      treatment_rationale="The team will look into the causes and decide measures later.")
    build.risk(title="With a control", inherent_likelihood=3, inherent_impact=3,
               treatment_option="mitigate", treatment_rationale="Data quality checks run before every retraining of the model.",
               controls=["A.7.4"])
    assert [f.subject.id for f in findings(ctx, "RISK-MITIGATE-NO-CONTROL")] == [str(bare.pk)]


def test_a_control_treating_a_risk_must_be_applicable(ctx, build):
    build.risk(treatment_option="mitigate", treatment_rationale="Data quality checks run before every retraining of the model.",
               inherent_likelihood=3, inherent_impact=3, controls=["A.7.4"])
    # Linking the control made it applicable; the record is consistent.
    assert findings(ctx, "RISK-CONTROL-NOT-APPLICABLE") == []


def test_undecided_controls_are_a_major_finding_until_decided(ctx, build, org):
    found = findings(ctx, "SOA-UNDECIDED")
    assert len(found) == 38 and all(f.severity == "major" for f in found)
    assert found[0].subject.kind == "compliance_item" and found[0].refs[1] == "A.2.2"
    build.apply("A.2.2")
    assert "A.2.2" not in [f.refs[1] for f in findings(ctx, "SOA-UNDECIDED")]


def test_exclusion_justifications(ctx, build):
    good = build.exclude("A.10.4")
    assert findings(ctx, "SOA-JUSTIFICATION") == []
    # An exclusion saved before the rule existed, or loosened since, is still judged.
    from aims.compliance.models import ComplianceItem
    ComplianceItem.objects.for_org(good.org).filter(pk=good.pk).update(justification="n/a")
    [f] = findings(ctx, "SOA-JUSTIFICATION")
    assert f.refs == ("6.1.3", "A.10.4") and "placeholder" in f.message


def test_a_domain_the_record_makes_relevant_cannot_be_excluded_whole(ctx, build):
    for ref in ("A.5.2", "A.5.3", "A.5.4", "A.5.5"):
        build.exclude(ref)
    assert findings(ctx, "SOA-DOMAIN-EXCLUDED") == []  # no system in scope yet
    build.system()
    [f] = findings(ctx, "SOA-DOMAIN-EXCLUDED")
    assert f.refs == ("6.1.3", "A.5") and f.severity == "major"


def test_in_scope_system_needs_an_approved_impact_assessment(ctx, build):
    system = build.system()
    build.system(name="Out of scope tool", in_scope=False,
                 scope_justification="A vendor demo, not used on customer data.")
    [f] = findings(ctx, "IA-MISSING")
    assert (f.subject.kind, f.subject.id, f.severity) == ("ai_system", str(system.pk), "major")
    build.approved_assessment(system)
    assert findings(ctx, "IA-MISSING") == []


def test_assessment_stale_after_a_significant_change_or_past_its_due_date(ctx, build):
    system = build.system()
    a = build.approved_assessment(system)
    assert findings(ctx, "IA-STALE") == []
    [f] = findings(ctx, "IA-STALE", as_of=a.next_due + datetime.timedelta(days=1))
    assert "was due for re-assessment" in f.message
    system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Retrained on a new bureau's data.", "significant": True})
    [f] = findings(ctx, "IA-STALE")
    assert "significant change" in f.message and f.subject.id == str(system.pk)


def test_objectives(ctx, build):
    [f] = findings(ctx, "OBJ-NONE")
    assert f.severity == "major"
    on_track = build.objective(measured="3")
    assert findings(ctx, "OBJ-NONE") == [] and findings(ctx, "OBJ-OFF-TRACK") == []
    off = build.objective(title="Fewer wrong chatbot answers", measured="9")
    assert [f.subject.id for f in findings(ctx, "OBJ-OFF-TRACK")] == [str(off.pk)]
    assert findings(ctx, "OBJ-NOT-MEASURED") == []
    late = TODAY + datetime.timedelta(days=70)
    assert {f.subject.id for f in findings(ctx, "OBJ-NOT-MEASURED", as_of=late)} == {
        str(on_track.pk), str(off.pk)}
