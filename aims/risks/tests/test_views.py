import re

import pytest

from aims.compliance.selectors import soa_item_get
from aims.risks.forms import RiskForm
from aims.risks.models import Risk, RiskMethodology, TreatmentAction
from aims.risks.selectors import risk_get
from aims.risks.services import action_create, methodology_version_create
from aims.risks.tests.conftest import three_by_three
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

FORM = {"title": "Chatbot invents fees", "category": "robustness", "status": "identified",
        "owner": "", "inherent_likelihood": "3", "inherent_impact": "4",
        "treatment_option": "", "residual_likelihood": "", "residual_impact": ""}


def _url(org, path=""):
    return f"/o/{org.slug}/risks/{path}"


def test_editor_adds_a_risk_through_the_form(org, members, web_client_for, system):
    c = web_client_for(members["editor"])
    page = c.get(_url(org, f"new/?system={system.pk}")).content.decode()
    assert re.search(f'value="{system.pk}"[^>]*checked', page)  # opened from the system
    assert "3 · Possible" in page and "A.6.2.6 AI system operation and monitoring" in page
    r = c.post(_url(org, "new/"), {**FORM, "ai_systems": [str(system.pk)],
                                    "controls": ["A.6.2.6"]})
    risk = Risk.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/risks/{risk.pk}/")
    page = c.get(r.url).content.decode()
    assert "R-001" in page and "Chatbot invents fees" in page and "12 · High" in page
    assert f'href="/o/{org.slug}/soa/#ctl-A.6.2.6"' in page
    assert f'href="/o/{org.slug}/ai-systems/{system.pk}/"' in page
    assert soa_item_get(ctx=ctx_for(org, members["viewer"]), ref="A.6.2.6").applicable is True


def test_invalid_form_is_422_with_the_rule_next_to_the_field(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(_url(org, "new/"), {**FORM, "inherent_impact": "", "status": "treating"})
    assert r.status_code == 422
    body = r.content.decode()
    assert "Rate both inherent likelihood and impact, or neither." in body
    assert not Risk.objects.for_org(org).exists()


def test_edit_with_stale_version_is_409(org, members, web_client_for, make_risk):
    risk = make_risk()
    c = web_client_for(members["editor"])
    r = c.post(_url(org, f"{risk.pk}/edit/"), {**FORM, "version": "1"})
    assert r.status_code == 302
    r = c.post(_url(org, f"{risk.pk}/edit/"), {**FORM, "title": "Lost", "version": "1"})
    assert r.status_code == 409 and "changed by someone else" in r.content.decode()


def test_register_lists_filters_and_explains_empty_states(org, members, web_client_for,
                                                          make_risk, system):
    viewer = web_client_for(members["viewer"])
    body = viewer.get(_url(org)).content.decode()
    assert "No AI risks recorded yet" in body and "Add the first risk" not in body
    make_risk(title="Biased approvals", inherent_likelihood=4, inherent_impact=5,
              ai_systems=[system.pk])
    make_risk(title="Leaky transcripts", category="privacy")
    body = viewer.get(_url(org)).content.decode()
    assert "Biased approvals" in body and "20 · Critical" in body and "Not rated" in body
    assert body.count("<svg") == 2  # inherent and residual heat maps
    body = viewer.get(_url(org), {"category": "privacy"}).content.decode()
    assert "Leaky transcripts" in body and "Biased approvals" not in body
    body = viewer.get(_url(org), {"q": "zzz"}).content.decode()
    assert "No risk matches these filters" in body
    body = viewer.get(_url(org), {"sort": "-inherent"}).content.decode()
    assert body.index("Biased approvals") < body.index("Leaky transcripts")
    assert 'aria-sort="descending"' in body
    editor_body = web_client_for(members["editor"]).get(_url(org)).content.decode()
    assert "Add a risk" in editor_body and "Import CSV" in editor_body


def test_register_prompts_to_rescore_risks_of_an_older_methodology(org, members, ctx,
                                                                   web_client_for, make_risk):
    risk = make_risk(inherent_likelihood=2, inherent_impact=2)
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    c = web_client_for(members["editor"])
    assert "Rated under v1: re-score" in c.get(_url(org)).content.decode()
    detail = c.get(_url(org, f"{risk.pk}/")).content.decode()
    assert "Rated under methodology version 1; the current version is 2." in detail
    edit = c.get(_url(org, f"{risk.pk}/edit/")).content.decode()
    assert "Rate again under methodology v2" in edit
    r = c.post(_url(org, f"{risk.pk}/edit/"), {
        **FORM, "inherent_likelihood": "2", "inherent_impact": "2", "rescore": "on",
        "version": "1"})
    assert r.status_code == 302
    assert risk_get(ctx=ctx, risk_id=risk.pk).methodology.number == 2
    assert "re-score" not in c.get(_url(org)).content.decode()


def test_detail_shows_sign_off_button_to_the_owner_only(org, members, web_client_for, make_risk):
    risk = make_risk(owner=members["admin"].pk, inherent_likelihood=4, inherent_impact=4)
    editor_page = web_client_for(members["editor"]).get(_url(org, f"{risk.pk}/")).content.decode()
    assert "Waiting for" in editor_page and "Sign off the residual risk" not in editor_page
    admin = web_client_for(members["admin"])
    assert "Sign off the residual risk" in admin.get(_url(org, f"{risk.pk}/")).content.decode()
    r = admin.post(_url(org, f"{risk.pk}/accept/"), {"version": "1"})
    assert r.status_code == 302
    page = admin.get(r.url).content.decode()
    assert "Signed off" in page and "You signed off" in page
    r = web_client_for(members["editor"]).post(_url(org, f"{risk.pk}/accept/"), {"version": "2"})
    assert r.status_code == 403


def test_treatment_actions_through_the_detail_page(org, members, web_client_for, make_risk, ctx):
    risk = make_risk()
    c = web_client_for(members["editor"])
    r = c.post(_url(org, f"{risk.pk}/actions/new/"), {
        "title": "Weekly monitoring", "owner": str(members["admin"].pk),
        "due_date": "2020-01-31", "status": "open", "notes": ""})
    assert r.status_code == 302
    action = TreatmentAction.objects.for_org(org).get()
    page = c.get(_url(org, f"{risk.pk}/")).content.decode()
    assert "Weekly monitoring" in page and "Overdue" in page
    r = c.post(_url(org, f"{risk.pk}/actions/{action.pk}/done/"), {"version": "1"})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    r = c.post(_url(org, f"{risk.pk}/actions/new/"), {"title": "", "status": "open"})
    assert r.status_code == 422
    r = c.post(_url(org, f"{risk.pk}/actions/{action.pk}/edit/"), {
        "title": "Weekly drift monitoring", "status": "done", "version": "2"})
    assert r.status_code == 302
    r = c.post(_url(org, f"{risk.pk}/actions/{action.pk}/delete/"), {"version": "3"})
    assert r.status_code == 302 and not TreatmentAction.objects.for_org(org).exists()
    history = c.get(_url(org, f"{risk.pk}/")).content.decode()
    assert "Weekly drift monitoring" in history  # the action's events are in the history


def test_delete_asks_then_deletes(org, members, web_client_for, make_risk):
    risk = make_risk()
    c = web_client_for(members["editor"])
    assert "Delete the risk" in c.get(_url(org, f"{risk.pk}/delete/")).content.decode()
    assert c.post(_url(org, f"{risk.pk}/delete/"), {"version": "1"}).status_code == 302
    assert not Risk.objects.for_org(org).exists()


def test_readers_see_no_edit_controls_and_are_refused(org, members, web_client_for, make_risk):
    risk = make_risk()
    c = web_client_for(members["auditor"])
    page = c.get(_url(org, f"{risk.pk}/")).content.decode()
    assert "Edit</a>" not in page and "Add a treatment action" not in page
    for path in ("new/", f"{risk.pk}/edit/", f"{risk.pk}/delete/", "import/",
                 "methodology/edit/", f"{risk.pk}/actions/new/"):
        assert c.get(_url(org, path)).status_code == 403, path


def test_methodology_pages_and_a_new_version_through_the_form(org, members, web_client_for):
    c = web_client_for(members["editor"])
    page = c.get(_url(org, "methodology/")).content.decode()
    assert "Current version (1)" in page and "Almost certain" in page
    assert '<td class="level-critical">25' in page
    form = c.get(_url(org, "methodology/edit/")).content.decode()
    assert 'value="Almost certain"' in form and "Save as version 2" in form
    data = {"based_on": "1", "acceptance_threshold": "high", "change_note": "Three levels."}
    for scale in ("likelihood", "impact"):
        for n, label in enumerate(("Low", "Medium", "High"), start=1):
            data[f"{scale}_{n}_label"] = label
            data[f"{scale}_{n}_criteria"] = f"When it is {label.lower()}."
    data.update(band_low_min="1", band_low_max="2", band_medium_min="3", band_medium_max="4",
                band_high_min="5", band_high_max="9")
    r = c.post(_url(org, "methodology/edit/"), {**data, "band_high_min": "7"})
    assert r.status_code == 422 and "score 6 is in no band" in r.content.decode()
    r = c.post(_url(org, "methodology/edit/"), {**data, "likelihood_2_label": ""})
    assert r.status_code == 422 and "without gaps" in r.content.decode()
    assert RiskMethodology.objects.for_org(org).count() == 1
    r = c.post(_url(org, "methodology/edit/"), data)
    assert r.status_code == 302
    page = c.get(_url(org, "methodology/")).content.decode()
    assert "Current version (2)" in page and "Three levels." in page
    old = c.get(_url(org, "methodology/v1/")).content.decode()
    assert "Superseded" in old and "Almost certain" in old
    assert c.get(_url(org, "methodology/v9/")).status_code == 404


def test_heatmap_page_and_exports(org, members, web_client_for, make_risk):
    make_risk(inherent_likelihood=1, inherent_impact=5)
    c = web_client_for(members["viewer"])
    page = c.get(_url(org, "heatmap/")).content.decode()
    assert "Likelihood 1, impact 5: 1 risk, medium level" in page
    r = c.get(_url(org, "export/csv/"))
    assert r.status_code == 200 and b"R-001" in r.content
    r = c.get(_url(org, "export/pdf/"))
    assert r.status_code == 302


def test_ai_system_page_shows_its_risks_and_heat_map(org, members, web_client_for, make_risk,
                                                     system, ctx):
    c = web_client_for(members["viewer"])
    page = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=risks").content.decode()
    assert "No risks recorded for this system yet" in page
    risk = make_risk(ai_systems=[system.pk], inherent_likelihood=4, inherent_impact=4)
    make_risk(title="Another system's risk")
    action_create(ctx=ctx, risk_id=risk.pk, data={"title": "x"})
    page = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=risks").content.decode()
    assert "R-001" in page and "R-002" not in page and "16 · Critical" in page
    assert "Likelihood 4, impact 4: 1 risk, critical level" in page
    assert f"ai_system={system.pk}" in page


# ---------------------------------------------------------------- review fixes


def _edit_form_values(page: str) -> dict:
    """The score selects of an edit page, as {field: selected value}."""
    out = {}
    for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood",
                 "residual_impact"):
        found = re.search(rf'<select name="{name}".*?</select>', page, re.S)
        assert found is not None, name
        select = found.group(0)
        chosen = re.search(r'<option value="([^"]*)" selected', select)
        out[name] = chosen.group(1) if chosen else None
    return out


def test_a_title_only_edit_of_an_older_risk_keeps_its_scores_and_version(
        org, ctx, members, web_client_for, make_risk):
    risk = make_risk(inherent_likelihood=5, inherent_impact=4, residual_likelihood=4,
                     residual_impact=4, treatment_option="mitigate",
                     treatment_rationale="Fairness testing before each release narrows it.")
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)  # 3 × 3 now
    c = web_client_for(members["editor"])
    page = c.get(_url(org, f"{risk.pk}/edit/")).content.decode()
    # The risk's own (v1) scales: its values show, none reads "not rated".
    assert _edit_form_values(page) == {"inherent_likelihood": "5", "inherent_impact": "4",
                                       "residual_likelihood": "4", "residual_impact": "4"}
    form = RiskForm.initial_for(risk_get(ctx=ctx, risk_id=risk.pk))
    post = {k: ("" if v is None else v) for k, v in form.items()
            if k not in ("ai_systems", "controls")}
    post["title"] = "Approvals differ unfairly between groups of applicants"
    r = c.post(_url(org, f"{risk.pk}/edit/"), post)
    assert r.status_code == 302, r.content.decode()[:2000]
    risk = risk_get(ctx=ctx, risk_id=risk.pk)
    assert risk.title == "Approvals differ unfairly between groups of applicants"
    assert (risk.inherent_likelihood, risk.inherent_impact, risk.residual_likelihood,
            risk.residual_impact) == (5, 4, 4, 4)
    assert risk.methodology.number == 1


def test_ticking_rate_again_uses_the_current_scales(org, ctx, members, web_client_for,
                                                    make_risk):
    risk = make_risk(inherent_likelihood=2, inherent_impact=3)
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    c = web_client_for(members["editor"])
    r = c.post(_url(org, f"{risk.pk}/edit/"), {**FORM, "inherent_likelihood": "2",
                                                "inherent_impact": "3", "rescore": "on",
                                                "version": "1"})
    assert r.status_code == 302
    assert risk_get(ctx=ctx, risk_id=risk.pk).methodology.number == 2


def test_the_add_page_does_not_create_a_methodology_on_get(org, members, web_client_for):
    RiskMethodology.objects.for_org(org).delete()
    c = web_client_for(members["editor"])
    page = c.get(_url(org, "new/")).content.decode()
    assert "3 · Possible" in page  # the default scales, shown but not saved
    assert not RiskMethodology.objects.for_org(org).exists()
    assert c.post(_url(org, "new/"), FORM).status_code == 302
    assert Risk.objects.for_org(org).get().methodology.number == 1  # created on saving


def test_the_owner_picker_offers_only_members_who_may_edit_risks(org, members, web_client_for):
    r = web_client_for(members["editor"]).get(_url(org, "new/"))
    offered = {value for value, _ in r.context["form"].fields["owner"].choices if value}
    assert offered == {str(members[role].pk) for role in ("owner", "admin", "editor")}


@pytest.mark.django_db
def test_register_filters_by_control_and_the_soa_row_caps_its_refs(org, members, ctx,
                                                                   web_client_for):
    from aims.risks.services import risk_create

    refs = [risk_create(ctx=ctx, data={
        "title": f"Drift case {n}", "category": "drift", "inherent_likelihood": 2,
        "inherent_impact": 2, "controls": ["A.6.2.6"]}).ref for n in range(7)]
    other = risk_create(ctx=ctx, data={"title": "Unrelated", "category": "privacy",
                                       "inherent_likelihood": 2, "inherent_impact": 2})
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/risks/", {"control": "A.6.2.6"}).content.decode()
    assert all(ref in body for ref in refs) and other.ref not in body
    row = c.get(f"/o/{org.slug}/soa/A.6.2.6/row/").content.decode()
    assert refs[0] in row and refs[6] not in row and "2 more" in row
    assert "control=A.6.2.6" in row


def test_the_refusal_page_says_in_words_which_role_is_needed(org, members, web_client_for):
    r = web_client_for(members["viewer"]).get(_url(org, "new/"))
    assert r.status_code == 403
    page = r.content.decode()
    assert "risks.change" not in page
    assert "Your role in" in page and "is Viewer" in page
    assert "Changing AI risks and their treatment needs the role Owner, Admin or Editor" in page


def test_every_permission_is_described_in_words():
    from aims.orgs.permissions import PERMISSION_WORDS, PERMISSIONS
    assert set(PERMISSION_WORDS) == set(PERMISSIONS)
