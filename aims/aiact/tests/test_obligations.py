"""Obligations by class × operator role, dated on the amended timeline (the dates come from the
EU AI Act framework's data file, not from code)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from aims.aiact.engine import classify
from aims.aiact.obligations import derive, operator_roles, rules
from aims.aiact.tests.test_engine import case

TIMELINE = json.loads((Path(__file__).parents[2] / "catalog" / "data" / "eu-ai-act.json")
                      .read_text())["timeline"]
D = datetime.date.fromisoformat

HIGH_CV = case(annex_iii=["4a"], profiling="yes", becomes_provider="no", public_service="no")
HIGH_PRODUCT = case(annex_i="11", third_party_assessment="yes", becomes_provider="no")
HIGH_CREDIT = case(annex_iii=["5b"], profiling="yes", becomes_provider="no")
CHATBOT = case(transparency=["50_1"])
PROHIBITED = case(prohibited=["5_1_f"], emotion_medical_safety="no")


def duties(answers, roles):
    r = classify(answers)
    return derive(cls=r.cls, facts=r.facts, system_roles=roles, timeline=TIMELINE)


def refs(answers, roles):
    return {(o.ref, o.role) for o in duties(answers, roles)}


def test_the_amended_dates_come_from_the_framework_data():
    dates = {t["key"]: t["date"] for t in TIMELINE}
    assert dates == {
        "general_provisions": "2025-02-02", "prohibitions": "2025-02-02",
        "prohibition_omnibus": "2026-12-02", "gpai": "2025-08-02", "gpai_legacy": "2027-08-02",
        "transparency": "2026-08-02", "transparency_marking_legacy": "2026-12-02",
        "high_risk_annex_iii": "2027-12-02", "high_risk_annex_i": "2028-08-02"}


def test_every_rule_names_a_catalog_article_a_known_role_and_a_date_key():
    catalog = json.loads((Path(__file__).parents[2] / "catalog" / "data" / "eu-ai-act.json")
                         .read_text())
    known_refs = {r["ref"] for r in catalog["requirements"]}
    keys = {t["key"] for t in TIMELINE} | {"route"}
    for rule in rules():
        assert rule["ref"] in known_refs, rule
        assert rule["from"] in keys, rule
        assert set(rule["roles"]) <= {"provider", "deployer", "importer", "distributor",
                                      "product_manufacturer", "authorised_representative"}
        assert rule["duty"]


class TestHighRisk:
    def test_provider_of_an_annex_iii_system(self):
        got = duties(HIGH_CV, ["provider"])
        assert {o.ref for o in got} >= {"Art. 4", "Art. 9", "Art. 10", "Art. 11", "Annex IV",
                                        "Art. 12", "Art. 13", "Art. 14", "Art. 15", "Art. 16",
                                        "Art. 17", "Art. 43", "Art. 47", "Art. 48", "Art. 49",
                                        "Art. 72", "Art. 73"}
        assert {o.role for o in got} == {"provider"}
        assert {o.applies_from for o in got if o.ref != "Art. 4"} == {D("2027-12-02")}
        assert next(o for o in got if o.ref == "Art. 4").applies_from == D("2025-02-02")

    def test_deployer_of_an_annex_iii_system(self):
        got = refs(HIGH_CV, ["deployer"])
        assert got == {("Art. 4", "deployer"), ("Art. 25", "deployer"),
                       ("Art. 26", "deployer"), ("Art. 86", "deployer")}

    def test_an_iso_ai_user_is_a_deployer(self):
        assert refs(HIGH_CV, ["user"]) == refs(HIGH_CV, ["deployer"])

    def test_credit_scoring_deployer_must_do_a_fria(self):
        assert ("Art. 27", "deployer") in refs(HIGH_CREDIT, ["deployer"])
        assert ("Art. 27", "deployer") not in refs(HIGH_CV, ["deployer"])

    def test_public_service_deployer_must_do_a_fria(self):
        public = {**HIGH_CV, "public_service": "yes"}
        assert ("Art. 27", "deployer") in refs(public, ["deployer"])
        assert ("Art. 27", "provider") not in refs(public, ["provider"])

    def test_importer_distributor_and_authorised_representative(self):
        assert refs(HIGH_CV, ["importer"]) == {("Art. 23", "importer"), ("Art. 25", "importer")}
        assert refs(HIGH_CV, ["distributor"]) == {("Art. 24", "distributor"),
                                                  ("Art. 25", "distributor")}
        assert refs(HIGH_CV, ["authorised_representative"]) == {
            ("Art. 22", "authorised_representative")}

    def test_product_route_applies_from_august_2028(self):
        got = duties(HIGH_PRODUCT, ["provider"])
        assert {o.applies_from for o in got if o.ref != "Art. 4"} == {D("2028-08-02")}
        assert "Art. 49" not in {o.ref for o in got}  # registration is for Annex III systems

    def test_product_manufacturer_on_the_product_route_is_the_provider(self):
        got = refs(HIGH_PRODUCT, ["product_manufacturer"])
        assert ("Art. 9", "provider") in got and ("Art. 25", "product_manufacturer") in got

    def test_art_25_turns_a_deployer_into_a_provider(self):
        answers = {**HIGH_CV, "becomes_provider": "yes"}
        assert ("Art. 16", "provider") in refs(answers, ["deployer"])
        assert operator_roles(["deployer"], classify(answers).facts) == ["provider", "deployer"]


def test_prohibited_practice_binds_every_operator_from_february_2025():
    for role in ("provider", "deployer", "importer", "distributor", "product_manufacturer",
                 "authorised_representative"):
        got = [o for o in duties(PROHIBITED, [role]) if o.ref == "Art. 5"]
        assert [o.applies_from for o in got] == [D("2025-02-02")]


def test_omnibus_prohibition_applies_from_december_2026():
    got = [o for o in duties(case(prohibited=["5_omnibus"]), ["provider"]) if o.ref == "Art. 5"]
    assert [o.applies_from for o in got] == [D("2026-12-02")]


class TestLimitedAndMinimal:
    def test_chatbot_provider_informs_people_from_august_2026(self):
        got = [o for o in duties(CHATBOT, ["provider"]) if o.ref == "Art. 50"]
        assert [o.applies_from for o in got] == [D("2026-08-02")]

    def test_chatbot_deployer_has_only_ai_literacy(self):
        assert refs(CHATBOT, ["deployer"]) == {("Art. 4", "deployer")}

    def test_generative_system_on_the_market_gets_the_grace_period(self):
        legacy = case(transparency=["50_2"], generative_before_aug_2026="yes")
        new = case(transparency=["50_2"], generative_before_aug_2026="no")
        assert [o.applies_from for o in duties(legacy, ["provider"]) if o.ref == "Art. 50"] == [
            D("2026-12-02")]
        assert [o.applies_from for o in duties(new, ["provider"]) if o.ref == "Art. 50"] == [
            D("2026-08-02")]

    def test_deployer_of_emotion_recognition_and_deep_fakes_discloses(self):
        got = refs(case(transparency=["50_3", "50_4_deepfake"]), ["deployer"])
        assert ("Art. 50", "deployer") in got
        assert len([1 for o in duties(case(transparency=["50_3", "50_4_deepfake"]),
                                      ["deployer"]) if o.ref == "Art. 50"]) == 2

    def test_minimal_system_has_ai_literacy_only(self):
        assert refs(case(), ["provider", "deployer"]) == {("Art. 4", "provider"),
                                                          ("Art. 4", "deployer")}

    def test_art_6_3_derogation_still_registers(self):
        answers = case(annex_iii=["4a"], profiling="no", derogation="a",
                       no_significant_risk="yes")
        got = duties(answers, ["provider"])
        assert {(o.ref, o.applies_from) for o in got if o.ref != "Art. 4"} == {
            ("Art. 6", D("2027-12-02")), ("Art. 49", D("2027-12-02"))}

    def test_out_of_scope_has_none(self):
        assert duties(case(exclusion="defence"), ["provider", "deployer"]) == []


class TestGpai:
    def test_systemic_model_already_on_the_market(self):
        answers = case(gpai_model="yes", gpai_systemic="compute", gpai_before_aug_2025="yes",
                       gpai_open_source="no")
        got = [o for o in duties(answers, ["deployer"]) if o.ref != "Art. 4"]
        assert {o.ref for o in got} == {"Art. 53", "Annex XI", "Annex XII", "Art. 55"}
        assert {o.applies_from for o in got} == {D("2027-08-02")}
        assert {o.role for o in got} == {"provider"}

    def test_open_source_model_without_systemic_risk_skips_the_documentation(self):
        answers = {"ai_system": "no", "gpai_model": "yes", "gpai_systemic": "no",
                   "gpai_before_aug_2025": "no", "gpai_open_source": "yes"}
        got = duties(answers, [])
        assert {o.ref for o in got} == {"Art. 53"}
        assert got[0].applies_from == D("2025-08-02")


@pytest.mark.parametrize("role", ["developer", "data_provider", "integrator", "partner"])
def test_roles_without_a_place_in_the_act_bring_no_obligations(role):
    assert duties(HIGH_CV, [role]) == []


def test_obligations_are_ordered_by_date():
    got = duties({**CHATBOT, "annex_iii": ["5b"], "profiling": "yes",
                  "becomes_provider": "no"}, ["provider"])
    assert [o.applies_from for o in got] == sorted(o.applies_from for o in got)
