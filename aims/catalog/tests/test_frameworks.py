"""The frameworks shipped beside ISO/IEC 42001 (EU AI Act, NIST AI RMF, ISO/IEC 27001, OWASP Top 10
for LLM applications), their crosswalks to ISO/IEC 42001, the loader, the API and the pages."""

from collections import Counter
from urllib.parse import quote

import pytest
from django.test import Client

from aims.catalog.models import Framework, Mapping, Requirement
from aims.catalog.services import catalog_load_all


def reqs(code, kind=None):
    qs = Requirement.objects.filter(framework__code=code)
    return qs.filter(kind=kind) if kind else qs


@pytest.mark.django_db
class TestShippedData:
    def test_the_five_frameworks(self):
        assert set(Framework.objects.values_list("code", flat=True)) == {
            "iso42001", "eu-ai-act", "nist-ai-rmf", "iso27001", "owasp-llm"}
        assert all(f.attribution for f in Framework.objects.all())

    def test_nist_ai_rmf_has_4_functions_19_categories_72_subcategories(self):
        assert Counter(reqs("nist-ai-rmf").values_list("kind", flat=True)) == {
            "function": 4, "category": 19, "subcategory": 72}
        sub = reqs("nist-ai-rmf").get(ref="GOVERN 1.1")
        assert sub.parent.ref == "GOVERN 1" and sub.parent.parent.ref == "GOVERN"
        refs = list(reqs("nist-ai-rmf", "function").order_by("sort_key")
                    .values_list("ref", flat=True))
        assert refs == ["GOVERN", "MAP", "MEASURE", "MANAGE"]

    def test_iso27001_has_93_annex_a_controls_in_four_themes(self):
        counts = Counter(reqs("iso27001", "annex_a_control").values_list("domain", flat=True))
        assert counts == {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}
        assert reqs("iso27001").get(ref="A.8.15").title == "Logging"
        assert reqs("iso27001").get(ref="9.2.2").title == "Internal audit programme"

    def test_owasp_llm_is_a_risk_source_taxonomy_of_ten(self):
        fw = Framework.objects.get(code="owasp-llm")
        assert fw.is_risk_taxonomy
        assert list(reqs("owasp-llm").order_by("sort_key").values_list("ref", flat=True)) == [
            f"LLM{n:02d}" for n in range(1, 11)]

    def test_eu_ai_act_articles_by_addressee_with_dates_in_data(self):
        fw = Framework.objects.get(code="eu-ai-act")
        dates = {t["key"]: t["date"] for t in fw.timeline}
        # The amended timeline (Digital Omnibus): kept as data, not code.
        assert dates["prohibitions"] == "2025-02-02"
        assert dates["gpai"] == "2025-08-02" and dates["gpai_legacy"] == "2027-08-02"
        assert dates["transparency"] == "2026-08-02"
        assert dates["prohibition_omnibus"] == "2026-12-02"
        assert dates["high_risk_annex_iii"] == "2027-12-02"
        assert dates["high_risk_annex_i"] == "2028-08-02"
        art = {r.ref: r for r in reqs("eu-ai-act")}
        assert art["Art. 26"].addressees == ["deployer"]
        assert art["Art. 23"].addressees == ["importer"]
        assert art["Art. 24"].addressees == ["distributor"]
        assert "authorised_representative" in art["Art. 22"].addressees
        assert "product_manufacturer" in art["Art. 25"].addressees
        assert art["Art. 5"].applies_from == ["prohibitions", "prohibition_omnibus"]
        assert art["Art. 9"].applies_from == ["high_risk_annex_iii", "high_risk_annex_i"]
        assert art["Art. 50"].applies_from[0] == "transparency"
        assert {r.kind for r in art.values()} == {"article", "annex"}
        for r in art.values():  # every key names a date of the timeline
            assert r.applies_from and set(r.applies_from) <= set(dates), r.ref

    def test_crosswalk_rows_are_all_kept_with_provenance(self):
        by_fw = Counter(Mapping.objects.values_list("framework__code", flat=True))
        assert by_fw == {"eu-ai-act": 117, "nist-ai-rmf": 283, "iso27001": 90}
        nist = Mapping.objects.filter(framework__code="nist-ai-rmf")
        assert nist.filter(provenance="analyst (this project)").count() == 3
        assert {m.coverage for m in nist} == {"related"}
        assert set(Mapping.objects.filter(framework__code="eu-ai-act")
                   .values_list("coverage", flat=True)) == {"substantial", "partial", "weak", "none"}
        art49 = Mapping.objects.get(framework__code="eu-ai-act", target__ref="Art. 49")
        assert art49.source is None and art49.coverage == "none"
        hs = Mapping.objects.get(framework__code="iso27001", target__ref="4.1")
        assert (hs.source.ref, hs.coverage, hs.relationship) == ("4.1", "equivalent",
                                                                 "equivalent_hs")
        assert Mapping.objects.filter(framework__code="iso27001", target=None).count() == 11
        assert Mapping.objects.filter(framework__code="nist-ai-rmf",
                                      ref_as_published="B.2.2 AI policy").exists()

    def test_loading_again_changes_nothing(self):
        before = (Requirement.objects.count(), Mapping.objects.count())
        results = catalog_load_all()
        assert all(r.created == r.updated == r.mappings == 0 for r in results)
        assert (Requirement.objects.count(), Mapping.objects.count()) == before


@pytest.mark.django_db
class TestApi:
    def test_frameworks_list(self, api):
        body = api.get("/api/v1/catalog/frameworks").json()
        codes = [f["code"] for f in body]
        assert codes[0] == "iso42001"
        assert set(codes) == {"iso42001", "eu-ai-act", "nist-ai-rmf", "iso27001", "owasp-llm"}
        nist = next(f for f in body if f["code"] == "nist-ai-rmf")
        assert nist["requirement_count"] == 95 and nist["mapping_count"] == 283

    def test_requirements_carry_their_mappings(self, api):
        rows = api.get("/api/v1/catalog/frameworks/nist-ai-rmf/requirements?kind=subcategory").json()
        assert len(rows) == 72
        g11 = next(r for r in rows if r["ref"] == "GOVERN 1.1")
        assert {m["ref"] for m in g11["mappings"]} >= {"4.1", "6.2", "A.2.2"}
        assert all(m["framework"] == "iso42001" for m in g11["mappings"])

    def test_one_requirement_both_ways(self, api):
        art = api.get("/api/v1/catalog/frameworks/eu-ai-act/requirements/"
                      + quote("Art. 12")).json()
        assert art["addressees"] == ["provider"]
        assert [d["date"] for d in art["applies_from"]] == ["2027-12-02", "2028-08-02"]
        (m,) = art["mappings"]
        assert (m["ref"], m["coverage"]) == ("A.6.2.8", "substantial")
        iso = api.get("/api/v1/catalog/frameworks/iso42001/requirements/A.6.2.8").json()
        other = {(m["framework"], m["ref"]) for m in iso["mappings"]}
        assert ("eu-ai-act", "Art. 12") in other and ("iso27001", "A.8.15") in other

    def test_unknown_requirement_is_404(self, api):
        assert api.get("/api/v1/catalog/frameworks/nist-ai-rmf/requirements/NOPE").status_code == 404
        assert api.get("/api/v1/catalog/frameworks/nope/requirements").status_code == 404


@pytest.mark.django_db
class TestPages:
    def test_frameworks_page_and_framework_search(self, org, members, web_client_for):
        c: Client = web_client_for(members["viewer"])
        page = c.get(f"/o/{org.slug}/catalog/frameworks/")
        assert page.status_code == 200 and b"NIST AI RMF 1.0" in page.content
        found = c.get(f"/o/{org.slug}/catalog/frameworks/iso27001/?q=logging")
        assert b"A.8.15" in found.content and b"A.5.1<" not in found.content

    def test_requirement_pages_list_mappings_both_ways(self, org, members, web_client_for):
        c: Client = web_client_for(members["viewer"])
        iso = c.get(f"/o/{org.slug}/catalog/A.6.2.8/").content.decode()
        assert "Mappings to other frameworks" in iso and "Art. 12" in iso and "A.8.15" in iso
        eu = c.get(f"/o/{org.slug}/catalog/frameworks/eu-ai-act/{quote('Art. 12')}/")
        text = eu.content.decode()
        assert eu.status_code == 200 and "A.6.2.8" in text and "2027-12-02" in text
        assert "legal advice" in text
