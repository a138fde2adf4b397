"""Coverage of the other frameworks by the ISO/IEC 42001 record: the verdict rules one by one,
the report on a real record, the organisation's choice, the API, exports, pages and CLI."""

import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from aims.activity.models import Event
from aims.compliance.models import ComplianceItem
from aims.compliance.services import compliance_item_update
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.evidence.services import evidence_create
from aims.frameworks import selectors, services
from aims.frameworks.coverage import (
    COVERED,
    GAP,
    MET,
    NOT_STARTED,
    PARTIAL,
    UNDERWAY,
    Link,
    item_standing,
    verdict,
)
from aims.frameworks.selectors import CoverageFilters, coverage_report
from aims.testing.factories import ctx_for


class Item:
    def __init__(self, applicable=True, status="not_started", evidence_count=0):
        self.applicable, self.status, self.evidence_count = applicable, status, evidence_count


class TestItemStanding:
    def test_implemented_with_evidence_is_met(self):
        assert item_standing(Item(status="implemented", evidence_count=1)) == MET

    def test_implemented_without_evidence_is_only_underway(self):
        assert item_standing(Item(status="implemented")) == UNDERWAY

    def test_started_or_evidenced_is_underway(self):
        assert item_standing(Item(status="planned")) == UNDERWAY
        assert item_standing(Item(status="not_started", evidence_count=2)) == UNDERWAY

    def test_excluded_counts_for_nothing_even_when_implemented(self):
        assert item_standing(Item(applicable=False, status="implemented",
                                  evidence_count=3)) == NOT_STARTED

    def test_undecided_applicability_still_counts(self):  # clauses are never "applicable"
        assert item_standing(Item(applicable=None, status="implemented",
                                  evidence_count=1)) == MET

    def test_missing_item_is_not_started(self):
        assert item_standing(None) == NOT_STARTED


class TestVerdict:
    def test_no_mapping_is_a_gap(self):
        assert verdict([])[0] == GAP

    def test_only_no_counterpart_rows_is_a_gap(self):
        assert verdict([Link("none", MET)])[0] == GAP

    @pytest.mark.parametrize("coverage", ["equivalent", "substantial"])
    def test_strong_mapping_met_is_covered(self, coverage):
        assert verdict([Link(coverage, MET)])[0] == COVERED

    @pytest.mark.parametrize("coverage", ["partial", "related", "weak"])
    def test_weak_partial_or_related_alone_is_never_covered(self, coverage):
        assert verdict([Link(coverage, MET)] * 5)[0] == PARTIAL

    def test_every_strong_row_must_be_met(self):
        assert verdict([Link("equivalent", MET), Link("substantial", UNDERWAY)])[0] == PARTIAL

    def test_strong_row_met_plus_weak_row_not_started_is_covered(self):
        assert verdict([Link("substantial", MET), Link("weak", NOT_STARTED)])[0] == COVERED

    def test_strong_row_underway_is_partial(self):
        assert verdict([Link("equivalent", UNDERWAY)])[0] == PARTIAL

    def test_nothing_started_is_a_gap(self):
        assert verdict([Link("equivalent", NOT_STARTED), Link("partial", NOT_STARTED)])[0] == GAP

    def test_weak_row_underway_is_partial(self):
        assert verdict([Link("weak", UNDERWAY)])[0] == PARTIAL


# ---------------------------------------------------------------------------- on a real record


def implement(ctx, ref, *, evidence=True, control=False):
    item = ComplianceItem.objects.for_org(ctx.org).get(
        requirement__framework__code="iso42001", requirement__ref=ref)
    data = {"status": "implemented"}
    if control:
        data |= {"applicable": True, "inclusion_reason": "legal"}
    item = compliance_item_update(ctx=ctx, ref=ref, data=data, version=item.version)
    if evidence:
        evidence_create(ctx=ctx, data={"title": f"Evidence for {ref}", "kind": "note",
                                       "note": "Seen in the quarterly review."}, links=[item])
    return item


def row(report, ref):
    return next(r for r in report.rows if r.ref == ref)


@pytest.mark.django_db
class TestCoverageReport:
    def test_untouched_record_is_all_gap(self, ctx):
        report = coverage_report(ctx=ctx, code="iso27001")
        assert report.counts == {"covered": 0, "partial": 0, "gap": report.total}
        assert report.total == 30 + 93  # the clause leaves and the Annex A controls

    def test_equivalent_clause_implemented_with_evidence_is_covered(self, ctx):
        implement(ctx, "4.1", evidence=False)
        r = row(coverage_report(ctx=ctx, code="iso27001"), "4.1")
        assert r.verdict == PARTIAL  # implemented, but nothing shows it
        implement(ctx, "4.1", evidence=True)
        r = row(coverage_report(ctx=ctx, code="iso27001"), "4.1")
        assert r.verdict == COVERED
        (item,) = r.items
        assert (item.ref, item.status, item.evidence_count, item.coverage) == (
            "4.1", "Implemented", 1, "equivalent")

    def test_substantial_article_is_covered_and_partial_ones_never(self, ctx):
        implement(ctx, "A.6.2.8", control=True)
        for ref in ("7.2", "7.3"):
            implement(ctx, ref)
        implement(ctx, "A.4.6", control=True)
        report = coverage_report(ctx=ctx, code="eu-ai-act")
        assert row(report, "Art. 12").verdict == COVERED  # A.6.2.8, substantial
        art4 = row(report, "Art. 4")  # three partial mappings, all met
        assert {i.ref for i in art4.items} == {"7.2", "7.3", "A.4.6"}
        assert art4.verdict == PARTIAL and "never cover" in art4.reason
        assert row(report, "Art. 49").verdict == GAP  # the crosswalk says: no counterpart
        assert row(report, "Art. 12").applies_from[0]["date"] == "2027-12-02"

    def test_nist_crosswalk_pairs_are_related_so_at_most_partial(self, ctx):
        for ref in ("4.1", "6.2"):
            implement(ctx, ref)
        for ref in ("A.2.2", "A.2.4"):
            implement(ctx, ref, control=True)
        report = coverage_report(ctx=ctx, code="nist-ai-rmf")
        assert report.total == 72
        assert row(report, "GOVERN 1.1").verdict == PARTIAL
        assert report.counts["covered"] == 0

    def test_excluded_control_counts_for_nothing(self, ctx):
        item = implement(ctx, "A.6.2.8", control=True)
        compliance_item_update(ctx=ctx, ref="A.6.2.8", version=item.version, data={
            "applicable": False, "justification": "We build no AI system and keep no event "
            "logs of one; every system we use is run and logged by its supplier."})
        r = row(coverage_report(ctx=ctx, code="eu-ai-act"), "Art. 12")
        assert r.verdict == GAP and r.items[0].status == "Excluded"

    def test_filters(self, ctx):
        implement(ctx, "4.1")
        report = coverage_report(ctx=ctx, code="iso27001",
                                 filters=CoverageFilters(verdict="covered"))
        assert [r.ref for r in report.rows] == ["4.1"]
        found = coverage_report(ctx=ctx, code="iso27001", filters=CoverageFilters(q="logging"))
        assert [r.ref for r in found.rows] == ["A.8.15"]

    @pytest.mark.parametrize("code", ["iso42001", "owasp-llm", "nope"])
    def test_only_frameworks_with_a_crosswalk(self, ctx, code):
        from aims.core.errors import NotFound
        with pytest.raises(NotFound):
            coverage_report(ctx=ctx, code=code)

    def test_other_organisations_record_does_not_count(self, ctx, other_org):
        other_owner = other_org.memberships.get(role="owner").user
        implement(ctx_for(other_org, other_owner), "4.1")
        assert row(coverage_report(ctx=ctx, code="iso27001"), "4.1").verdict == GAP


def _grow(ctx, n):
    """n ISO/IEC 42001 items implemented, each with its own evidence."""
    refs = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.2", "7.1", "7.2", "7.3", "7.4",
            "8.1", "8.2", "8.3", "9.1", "10.1", "10.2"]
    for ref in refs[:n]:
        implement(ctx, ref)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 18])
def test_coverage_queries_do_not_grow(ctx, size, django_assert_max_num_queries):
    _grow(ctx, size)
    for code in ("eu-ai-act", "nist-ai-rmf", "iso27001"):
        with django_assert_max_num_queries(4):
            report = coverage_report(ctx=ctx, code=code)
        assert report.counts["covered"] + report.counts["partial"] >= 1


# ---------------------------------------------------------------------------- the choice


@pytest.mark.django_db
class TestReportingChoice:
    def test_admin_chooses_and_it_is_logged(self, org, members):
        ctx = ctx_for(org, members["admin"])
        assert selectors.reporting_get(ctx=ctx).frameworks == []
        choice = services.reporting_frameworks_set(ctx=ctx, frameworks=["nist-ai-rmf",
                                                                        "eu-ai-act"], version=1)
        assert choice.frameworks == ["eu-ai-act", "nist-ai-rmf"]  # in catalog order
        assert [f.code for f in selectors.reporting_frameworks(ctx=ctx)] == [
            "eu-ai-act", "nist-ai-rmf"]
        assert choice.version == 2
        choice = services.reporting_frameworks_set(ctx=ctx, frameworks=["iso27001"], version=2)
        assert choice.version == 3
        assert Event.objects.filter(org=org, object_id=choice.pk).count() == 2

    def test_editor_may_not(self, org, members):
        with pytest.raises(PermissionDenied):
            services.reporting_frameworks_set(ctx=ctx_for(org, members["editor"]),
                                              frameworks=["iso27001"], version=1)

    @pytest.mark.parametrize("bad", [["iso42001"], ["owasp-llm"], ["nope"], "eu-ai-act"])
    def test_only_reportable_frameworks(self, org, members, bad):
        with pytest.raises(ValidationError) as exc:
            services.reporting_frameworks_set(ctx=ctx_for(org, members["admin"]),
                                              frameworks=bad, version=1)
        assert "frameworks" in exc.value.errors

    def test_stale_version_is_a_conflict(self, org, members):
        ctx = ctx_for(org, members["admin"])
        services.reporting_frameworks_set(ctx=ctx, frameworks=["iso27001"], version=1)
        with pytest.raises(Conflict):
            services.reporting_frameworks_set(ctx=ctx, frameworks=["eu-ai-act"], version=1)


# ---------------------------------------------------------------------------- the doors


@pytest.mark.django_db
class TestApi:
    def test_choice_round_trip(self, org, members, api_client_for):
        admin = api_client_for(members["admin"])
        url = f"/api/v1/orgs/{org.slug}/frameworks"
        assert admin.get(url).json() == {"frameworks": [], "version": 1}
        r = admin.put(url, {"frameworks": ["eu-ai-act"], "version": 1})
        assert r.status_code == 200 and r.json() == {"frameworks": ["eu-ai-act"], "version": 2}
        assert admin.put(url, {"frameworks": ["eu-ai-act"], "version": 1}).status_code == 409
        bad = admin.put(url, {"frameworks": ["nope"], "version": 2})
        assert bad.status_code == 422 and "frameworks" in bad.content.decode()
        editor = api_client_for(members["editor"])
        assert editor.put(url, {"frameworks": [], "version": 2}).status_code == 403

    def test_coverage_json_csv_xlsx(self, org, ctx, api):
        implement(ctx, "4.1")
        url = f"/api/v1/orgs/{org.slug}/frameworks/iso27001/coverage"
        body = api.get(url).json()
        assert body["framework"] == "iso27001" and len(body["rows"]) == body["total"] == 123
        first = body["rows"][0]
        assert (first["ref"], first["verdict"], first["items"][0]["ref"],
                first["items"][0]["status"]) == ("4.1", "covered", "4.1", "Implemented")
        only = api.get(url, {"verdict": "covered"}).json()["rows"]
        assert [r["ref"] for r in only] == ["4.1"]
        csv = api.get(url, {"format": "csv"})
        assert csv["Content-Type"].startswith("text/csv")
        lines = csv.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Ref,Title,Verdict") and lines[1].startswith("4.1,")
        xlsx = api.get(url, {"format": "xlsx"})
        ws = load_workbook(io.BytesIO(xlsx.content)).active
        values = [[c.value for c in r] for r in ws.iter_rows()]
        header = next(i for i, v in enumerate(values) if v[0] == "Ref")
        assert values[header + 1][:3] == ["4.1", "Understanding the organization and its context",
                                          "covered"]
        assert api.get(url, {"format": "pdf"}).status_code == 422
        assert api.get(f"/api/v1/orgs/{org.slug}/frameworks/owasp-llm/coverage").status_code == 404


@pytest.mark.django_db
class TestPages:
    def test_choose_then_see_coverage(self, org, members, web_client_for):
        c = web_client_for(members["admin"])
        index = f"/o/{org.slug}/frameworks/"
        assert b"You do not report against" in c.get(index).content
        r = c.post(index, {"frameworks": ["eu-ai-act", "nist-ai-rmf"], "version": 1})
        assert r.status_code == 302
        page = c.get(index).content.decode()
        assert "EU AI Act" in page and "NIST AI RMF 1.0" in page
        cov = c.get(f"/o/{org.slug}/frameworks/eu-ai-act/coverage/?verdict=gap&q=record")
        text = cov.content.decode()
        assert cov.status_code == 200 and "Art. 12" in text and "legal advice" in text
        assert "Art. 4<" not in text

    def test_stale_form_is_409_and_keeps_the_choice(self, org, members, web_client_for):
        c = web_client_for(members["admin"])
        index = f"/o/{org.slug}/frameworks/"
        c.post(index, {"frameworks": ["iso27001"], "version": 1})
        r = c.post(index, {"frameworks": ["eu-ai-act"], "version": 1})
        assert r.status_code == 409
        assert b"changed by someone else" in r.content

    def test_viewer_sees_no_form_and_cannot_post(self, org, members, web_client_for):
        c = web_client_for(members["viewer"])
        index = f"/o/{org.slug}/frameworks/"
        assert b'name="frameworks"' not in c.get(index).content
        assert c.post(index, {"frameworks": ["iso27001"], "version": 1}).status_code == 403

    def test_downloads(self, org, members, web_client_for):
        c = web_client_for(members["viewer"])
        r = c.get(f"/o/{org.slug}/frameworks/nist-ai-rmf/coverage.xlsx")
        assert r.status_code == 200
        assert load_workbook(io.BytesIO(r.content)).active.max_row >= 72
        assert c.get(f"/o/{org.slug}/frameworks/nist-ai-rmf/coverage.pdf").status_code == 404

    def test_evidence_page_lists_other_frameworks_it_supports(self, org, ctx, members,
                                                              web_client_for):
        implement(ctx, "A.6.2.8", control=True)
        from aims.evidence.models import Evidence
        ev = Evidence.objects.for_org(org).get(title="Evidence for A.6.2.8")
        text = web_client_for(members["viewer"]).get(
            f"/o/{org.slug}/evidence/{ev.pk}/").content.decode()
        assert "Also supports, in other frameworks" in text
        assert "Art. 12" in text and "A.8.15" in text and quote("Art. 12") in text


@pytest.mark.django_db
def test_cli_export_coverage(org, ctx, tmp_path):
    implement(ctx, "4.1")
    out = tmp_path / "cov.xlsx"
    call_command("export", "coverage", "--org", org.slug, "--framework", "iso27001",
                 "-o", str(out))
    ws = load_workbook(out).active
    assert any(r[0].value == "4.1" and r[2].value == "covered" for r in ws.iter_rows())
    csv_out = tmp_path / "cov.csv"
    call_command("export", "coverage", "--org", org.slug, "--framework", "eu-ai-act",
                 "-o", str(csv_out))
    assert "Art. 12" in csv_out.read_text(encoding="utf-8-sig")
