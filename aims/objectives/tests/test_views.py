import datetime

import pytest
from django.template import Context, Template

from aims.objectives.models import Measurement, Objective
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Wrong chatbot answers stay rare", "policy_topic": "robustness",
    "metric": "Share of 400 sampled answers marked wrong by a reviewer.", "direction": "lower",
    "target": "2", "unit": "%", "baseline": "6.5", "frequency": "monthly", "owner": "",
    "due_date": "2030-06-30", "status": "active",
}


def _url(org, suffix=""):
    return f"/o/{org.slug}/objectives/{suffix}"


def test_editor_sets_an_objective_and_records_measurements(org, members, ctx, web_client_for):
    system = make_ai_system(ctx, name="Customer chatbot")
    c = web_client_for(members["editor"])
    assert c.get(_url(org, "new/")).status_code == 200
    r = c.post(_url(org, "new/"), {**FORM, "ai_systems": [str(system.pk)]})
    objective = Objective.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/objectives/{objective.pk}/")
    page = c.get(r.url).content.decode()
    assert "Wrong chatbot answers stay rare" in page and "Customer chatbot" in page
    assert "No measurements yet" in page and 'role="img"' in page

    add = _url(org, f"{objective.pk}/measurements/add/")
    r = c.post(add, {"measured_on": "2025-05-31", "value": "1.9", "note": "n = 400"})
    assert r.status_code == 302
    page = c.get(_url(org, f"{objective.pk}/")).content.decode()
    assert "1.9 %" in page and "n = 400" in page and "On track" in page
    assert "Created" in page and "measurement" in page  # the history shows the measurement

    # A second value for the same date is refused next to the field, the page still whole.
    r = c.post(add, {"measured_on": "2025-05-31", "value": "2.4"})
    assert r.status_code == 422
    assert "delete it and record the right value" in r.content.decode()
    assert "Wrong chatbot answers stay rare" in r.content.decode()
    assert Measurement.objects.for_org(org).count() == 1


def test_invalid_objective_form_is_422(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(_url(org, "new/"), {**FORM, "policy_topic": "other", "policy_reference": ""})
    assert r.status_code == 422
    assert "Name the policy commitment" in r.content.decode()
    assert not Objective.objects.for_org(org).exists()


def test_edit_and_stale_edit(org, members, make_objective, web_client_for):
    objective = make_objective()
    c = web_client_for(members["admin"])
    edit = _url(org, f"{objective.pk}/edit/")
    assert 'value="0.05"' in c.get(edit).content.decode()
    r = c.post(edit, {**FORM, "version": 1})
    assert r.status_code == 302
    r = c.post(edit, {**FORM, "unit": "percent", "version": 1})
    assert r.status_code == 409 and "changed by someone else" in r.content.decode()
    objective.refresh_from_db()
    assert objective.unit == "%" and objective.version == 2


def test_delete_pages_check_the_version(org, members, make_objective, measure, web_client_for):
    objective = make_objective()
    m = measure(objective, "0.04", on=datetime.date(2025, 3, 31))
    c = web_client_for(members["editor"])
    mdel = _url(org, f"{objective.pk}/measurements/{m.pk}/delete/")
    page = c.get(mdel).content.decode()
    assert "0.04 ratio on 2025-03-31" in page
    assert c.post(mdel, {"version": 7}).status_code == 409
    assert c.post(mdel, {"version": 1}).status_code == 302
    assert not Measurement.objects.for_org(org).exists()
    odel = _url(org, f"{objective.pk}/delete/")
    assert c.get(odel).status_code == 200
    assert c.post(odel, {"version": 1}).status_code == 302
    assert not Objective.objects.for_org(org).exists()


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_read_only_roles_see_but_cannot_change(org, members, make_objective, measure,
                                               web_client_for, role):
    objective = make_objective()
    m = measure(objective, "0.04")
    c = web_client_for(members[role])
    page = c.get(_url(org, f"{objective.pk}/")).content.decode()
    assert objective.title in page
    assert "Record a measurement" not in page and "/edit/" not in page
    for suffix in ("new/", f"{objective.pk}/edit/", f"{objective.pk}/delete/",
                   f"{objective.pk}/measurements/add/",
                   f"{objective.pk}/measurements/{m.pk}/delete/"):
        assert c.post(_url(org, suffix), {**FORM, "version": 1, "measured_on": "2025-01-31",
                                          "value": "1"}).status_code == 403, suffix
    assert c.get(_url(org, "new/")).status_code == 403
    assert Measurement.objects.for_org(org).count() == 1


def test_list_filters_and_empty_states(org, members, make_objective, measure, web_client_for):
    viewer = web_client_for(members["viewer"])
    page = viewer.get(_url(org)).content.decode()
    assert "No AI objectives yet" in page and "Set the first objective" not in page
    editor = web_client_for(members["editor"])
    assert "Set the first objective" in editor.get(_url(org)).content.decode()

    on = make_objective(title="Gap is small", direction="lower", target="0.05")
    off = make_objective(title="Gap is large", direction="lower", target="0.05")
    measure(on, "0.03")
    measure(off, "0.08")
    page = viewer.get(_url(org), {"track": "off_track"}).content.decode()
    assert "Gap is large" in page and "Gap is small" not in page
    assert "0.08 ratio" in page and 'role="img"' in page
    page = viewer.get(_url(org), {"q": "zzz"}).content.decode()
    assert "No objective matches these filters" in page
    assert viewer.get(_url(org), {"track": "bogus"}).status_code == 200


def test_system_panel_lists_the_objectives_of_a_system(org, members, ctx, make_objective,
                                                       measure, rf, django_assert_max_num_queries):
    system = make_ai_system(ctx, name="Credit engine")
    objective = make_objective(title="Gap is small", ai_systems=[system.pk])
    make_objective(title="Unrelated")
    measure(objective, "0.03")
    template = Template("{% load objectives_panels %}{% objective_panel system %}")
    with django_assert_max_num_queries(4):
        html = template.render(Context({"ctx": ctx, "system": system}))
    assert "Gap is small" in html and "Unrelated" not in html and "On track" in html
