"""The ISO/IEC 42001 catalog as shipped in aims/catalog/data/iso42001.json, its loader and API."""

import json
from collections import Counter

import pytest
from django.test import Client

from aims.catalog.models import Framework, Requirement
from aims.catalog.services import DATA_DIR, catalog_load, catalog_load_all

# Annex A (normative) of ISO/IEC 42001:2023, Table A.1: every control id with its title.
# Written out here, not read from a data file, so the test checks the data instead of echoing it.
EXPECTED_CONTROLS = [
    ("A.2.2", "AI policy"),
    ("A.2.3", "Alignment with other organizational policies"),
    ("A.2.4", "Review of the AI policy"),
    ("A.3.2", "AI roles and responsibilities"),
    ("A.3.3", "Reporting of concerns"),
    ("A.4.2", "Resource documentation"),
    ("A.4.3", "Data resources"),
    ("A.4.4", "Tooling resources"),
    ("A.4.5", "System and computing resources"),
    ("A.4.6", "Human resources"),
    ("A.5.2", "AI system impact assessment process"),
    ("A.5.3", "Documentation of AI system impact assessments"),
    ("A.5.4", "Assessing AI system impact on individuals or groups of individuals"),
    ("A.5.5", "Assessing societal impacts of AI systems"),
    ("A.6.1.2", "Objectives for responsible development of AI system"),
    ("A.6.1.3", "Processes for responsible AI system design and development"),
    ("A.6.2.2", "AI system requirements and specification"),
    ("A.6.2.3", "Documentation of AI system design and development"),
    ("A.6.2.4", "AI system verification and validation"),
    ("A.6.2.5", "AI system deployment"),
    ("A.6.2.6", "AI system operation and monitoring"),
    ("A.6.2.7", "AI system technical documentation"),
    ("A.6.2.8", "AI system recording of event logs"),
    ("A.7.2", "Data for development and enhancement of AI system"),
    ("A.7.3", "Acquisition of data"),
    ("A.7.4", "Quality of data for AI systems"),
    ("A.7.5", "Data provenance"),
    ("A.7.6", "Data preparation"),
    ("A.8.2", "System documentation and information for users"),
    ("A.8.3", "External reporting"),
    ("A.8.4", "Communication of incidents"),
    ("A.8.5", "Information for interested parties"),
    ("A.9.2", "Processes for responsible use of AI systems"),
    ("A.9.3", "Objectives for responsible use of AI system"),
    ("A.9.4", "Intended use of the AI system"),
    ("A.10.2", "Allocating responsibilities"),
    ("A.10.3", "Suppliers"),
    ("A.10.4", "Customers"),
]

EXPECTED_DOMAIN_COUNTS = {
    "A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9, "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3,
}

URL = "/api/v1/catalog/frameworks/iso42001/requirements"


def iso42001() -> Framework:
    return Framework.objects.get(code="iso42001")


def requirements(kind: str | None = None):
    qs = Requirement.objects.filter(framework=iso42001())
    return qs.filter(kind=kind) if kind else qs


@pytest.mark.django_db
class TestShippedCatalog:
    def test_row_counts_per_kind(self):
        counts = Counter(requirements().values_list("kind", flat=True))
        assert counts == {"annex_a_control": 38, "annex_a_objective": 10, "clause": 43}

    def test_controls_fall_into_the_nine_domains(self):
        counts = Counter(requirements("annex_a_control").values_list("domain", flat=True))
        assert counts == EXPECTED_DOMAIN_COUNTS

    def test_control_ids_and_titles_are_annex_a(self):
        got = list(requirements("annex_a_control").order_by("sort_key").values_list("ref", "title"))
        assert got == EXPECTED_CONTROLS

    def test_every_control_has_a_parent_objective_in_its_domain(self):
        for req in requirements("annex_a_control").select_related("parent"):
            assert req.parent is not None, req.ref
            assert req.parent.kind == "annex_a_objective", req.ref
            assert req.parent.domain == req.domain, req.ref

    def test_domains_are_titled(self):
        fw = iso42001()
        assert [d["ref"] for d in fw.domains] == list(EXPECTED_DOMAIN_COUNTS)
        assert all(fw.domain_title(ref) != ref for ref in EXPECTED_DOMAIN_COUNTS)

    def test_controls_have_description_and_auditor_asks(self):
        for req in requirements("annex_a_control"):
            assert req.description.strip(), req.ref
            assert req.auditor_asks and all(a.strip() for a in req.auditor_asks), req.ref

    def test_sub_clauses_have_description_and_auditor_asks(self):
        # A sub-clause is a clause that states requirements itself; headings (4, 6.1, 9.2 …)
        # only group their children.
        clauses = requirements("clause")
        headings = set(clauses.exclude(parent=None).values_list("parent__ref", flat=True))
        headings |= set(clauses.filter(parent=None).values_list("ref", flat=True))
        leaves = clauses.exclude(ref__in=headings)
        assert leaves.count() == 32
        for req in leaves:
            assert req.description.strip(), req.ref
            assert req.auditor_asks and all(a.strip() for a in req.auditor_asks), req.ref

    def test_document_order(self):
        refs = list(requirements().order_by("sort_key").values_list("ref", flat=True))
        assert refs[:3] == ["4", "4.1", "4.2"]
        assert refs.index("10.2") < refs.index("A.2.1")
        assert refs.index("A.9.4") < refs.index("A.10.1")  # numeric, not "A.10" < "A.2"
        assert refs.index("A.6.2.8") < refs.index("A.7.1")
        assert refs[-1] == "A.10.4"


@pytest.mark.django_db
class TestLoader:
    def test_loading_again_adds_and_changes_nothing(self):
        before = Requirement.objects.count()
        fw_before = Framework.objects.count()
        results = catalog_load_all()
        assert [(r.created, r.updated) for r in results] == [(0, 0)] * len(results)
        assert Requirement.objects.count() == before
        assert Framework.objects.count() == fw_before
        assert Counter(requirements().values_list("kind", flat=True))["annex_a_control"] == 38

    def test_a_changed_title_is_updated_on_reload(self, tmp_path):
        data = json.loads((DATA_DIR / "iso42001.json").read_text(encoding="utf-8"))
        row = next(r for r in data["requirements"] if r["ref"] == "A.10.3")
        row["title"] = "Suppliers and other third parties"
        path = tmp_path / "iso42001.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        pk = requirements().get(ref="A.10.3").pk
        total = Requirement.objects.count()

        result = catalog_load(path=path)

        assert (result.created, result.updated) == (0, 1)
        req = requirements().get(ref="A.10.3")
        assert req.pk == pk  # updated in place: compliance items keep pointing at it
        assert req.title == "Suppliers and other third parties"
        assert Requirement.objects.count() == total

    def test_a_new_framework_file_is_loaded_beside_iso42001(self, tmp_path):
        path = tmp_path / "mini.json"
        path.write_text(json.dumps({
            "code": "mini", "name": "Mini", "version": "1",
            "requirements": [
                {"ref": "1", "kind": "clause", "title": "Scope"},
                {"ref": "1.1", "kind": "clause", "parent": "1", "title": "Detail"},
            ],
        }), encoding="utf-8")
        result = catalog_load(path=path)
        assert (result.created, result.updated) == (2, 0)
        child = Requirement.objects.get(framework__code="mini", ref="1.1")
        assert child.parent.ref == "1"
        assert child.domain == "1"
        assert requirements().count() == 91


@pytest.mark.django_db
class TestCatalogApi:
    def test_all_requirements(self, api):
        r = api.get(URL)
        assert r.status_code == 200
        rows = r.json()
        assert len(rows) == 91
        assert rows[0]["ref"] == "4"
        assert rows[-1]["ref"] == "A.10.4"

    def test_filter_by_kind(self, api):
        r = api.get(URL, {"kind": "annex_a_control"})
        assert r.status_code == 200
        rows = r.json()
        assert [(x["ref"], x["title"]) for x in rows] == EXPECTED_CONTROLS
        assert rows[0]["parent"] == "A.2.1"
        assert rows[0]["auditor_asks"]

    def test_filter_by_domain(self, api):
        r = api.get(URL, {"kind": "annex_a_control", "domain": "A.6"})
        assert [x["ref"] for x in r.json()] == [ref for ref, _ in EXPECTED_CONTROLS
                                                if ref.startswith("A.6.")]

    def test_one_requirement(self, api):
        r = api.get(f"{URL}/A.6.2.8")
        assert r.status_code == 200
        assert r.json()["title"] == "AI system recording of event logs"
        assert api.get(f"{URL}/A.99.1").status_code == 404

    def test_unknown_framework_is_404(self, api):
        assert api.get("/api/v1/catalog/frameworks/nist-csf/requirements").status_code == 404
        assert api.get("/api/v1/catalog/frameworks/nist-csf").status_code == 404

    def test_anonymous_is_401(self, db):
        assert Client().get(URL).status_code == 401
        assert Client().get(URL, HTTP_AUTHORIZATION="Bearer aims_nope").status_code == 401
