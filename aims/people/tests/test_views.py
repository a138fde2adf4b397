import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.people import services
from aims.people.models import AimsRole, ConcernChannel, RoleAssignment, TrainingRecord

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _p(org, rest=""):
    return f"/o/{org.slug}/people/{rest}"


def test_roles_page_empty_state_and_standard_roles(org, members, web_client_for):
    viewer = web_client_for(members["viewer"])
    body = viewer.get(_p(org, "roles/")).content.decode()
    assert "No AIMS roles yet" in body and "Add the standard roles" not in body
    assert "Nobody has described how concerns" in body
    admin = web_client_for(members["admin"])
    assert "Add the standard roles" in admin.get(_p(org, "roles/")).content.decode()
    r = admin.post(_p(org, "roles/add-standard/"))
    assert r.status_code == 302
    assert AimsRole.objects.for_org(org).count() == 6
    body = viewer.get(_p(org, "roles/")).content.decode()
    assert "Top management" in body and "Internal auditor" in body and "Nobody" in body
    assert viewer.post(_p(org, "roles/add-standard/")).status_code == 403


def test_admin_defines_a_role_assigns_it_and_adds_competence(org, members, web_client_for):
    admin = web_client_for(members["admin"])
    r = admin.post(_p(org, "roles/new/"), {
        "name": "Model validator", "responsibilities": "Validates every model release.",
        "requirements": ["A.6.2.4"], "version": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    role = AimsRole.objects.for_org(org).get()
    detail = _p(org, f"roles/{role.pk}/")
    assert r.url == detail
    r = admin.post(detail + "assign/", {"member": str(members["editor"].pk),
                                        "since": TODAY.isoformat(), "note": ""})
    assert r.status_code == 302
    r = admin.post(detail + "competence/new/", {"title": "Knows validation metrics",
                                                "ai_specific": "on"})
    assert r.status_code == 302
    body = admin.get(detail).content.decode()
    assert "Knows validation metrics" in body and members["editor"].display_name in body
    assert "A.6.2.4" in body
    # Assigning a stranger is refused next to the field.
    r = admin.post(detail + "assign/", {"member": "00000000-0000-0000-0000-000000000000",
                                        "since": TODAY.isoformat()})
    assert r.status_code == 422
    a = RoleAssignment.objects.for_org(org).get()
    r = admin.post(detail + f"assignments/{a.pk}/end/", {"version": a.version})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.until == TODAY


def test_editor_cannot_change_roles_but_sees_them(org, members, web_client_for, owner_ctx):
    role = services.aims_role_create(ctx=owner_ctx, data={"name": "R", "responsibilities": "D"})
    editor = web_client_for(members["editor"])
    assert editor.get(_p(org, f"roles/{role.pk}/")).status_code == 200
    for url in ("roles/new/", f"roles/{role.pk}/edit/", f"roles/{role.pk}/delete/",
                "concern-channel/edit/", f"roles/{role.pk}/competence/new/"):
        assert editor.get(_p(org, url)).status_code == 403, url


def test_concern_channel_edit_shows_on_roles_page(org, members, web_client_for):
    owner = web_client_for(members["owner"])
    form = {"channels": "ai-concerns@acme.example", "recipients": "Chief risk officer",
            "confidentiality": "Anonymous reports welcome.", "response_times": "48 hours",
            "notes": "", "version": "0"}
    assert owner.post(_p(org, "concern-channel/edit/"), form).status_code == 302
    body = owner.get(_p(org, "roles/")).content.decode()
    assert "ai-concerns@acme.example" in body and "Chief risk officer" in body
    r = owner.post(_p(org, "concern-channel/edit/"), {**form, "version": "0"})
    assert r.status_code == 409
    r = owner.post(_p(org, "concern-channel/edit/"), {**form, "version": "1",
                                                      "response_times": "24 hours"})
    assert r.status_code == 302
    assert ConcernChannel.objects.for_org(org).get().version == 2
    assert "History" in owner.get(_p(org, "concern-channel/edit/")).content.decode()


def test_training_record_with_certificate(org, members, web_client_for):
    editor = web_client_for(members["editor"])
    upload = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 cert", content_type="application/pdf")
    r = editor.post(_p(org, "training/new/"), {
        "member": str(members["admin"].pk), "topic": "Fairness in lending models",
        "ai_specific": "on", "completed_on": TODAY.isoformat(), "expires_on": "",
        "provider": "Alan Turing Institute", "notes": "", "file": upload})
    assert r.status_code == 302, r.content.decode()[:3000]
    record = TrainingRecord.objects.for_org(org).get()
    body = editor.get(r.url).content.decode()
    assert "Fairness in lending models" in body and "cert.pdf" in body
    r = editor.post(_p(org, f"training/{record.pk}/edit/"), {
        "member": str(members["admin"].pk), "topic": "Fairness in credit models",
        "completed_on": TODAY.isoformat(), "version": "1"})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.topic == "Fairness in credit models" and not record.ai_specific
    assert web_client_for(members["viewer"]).get(_p(org, "training/new/")).status_code == 403
    r = editor.post(_p(org, f"training/{record.pk}/delete/"), {"version": "2"})
    assert r.status_code == 302 and not TrainingRecord.objects.for_org(org).exists()


def test_training_list_filters_and_empty_state(org, members, web_client_for, ctx):
    viewer = web_client_for(members["viewer"])
    assert "No training records yet" in viewer.get(_p(org, "training/")).content.decode()
    services.training_record_create(ctx=ctx, data={
        "member": members["editor"].pk, "topic": "Prompt security", "ai_specific": True,
        "completed_on": TODAY - datetime.timedelta(days=500),
        "expires_on": TODAY - datetime.timedelta(days=100)})
    services.training_record_create(ctx=ctx, data={
        "member": members["admin"].pk, "topic": "Spreadsheet skills",
        "completed_on": TODAY})
    body = viewer.get(_p(org, "training/"), {"status": "expired"}).content.decode()
    assert "Prompt security" in body and "Spreadsheet skills" not in body
    body = viewer.get(_p(org, "training/"), {"q": "nothing-like-this"}).content.decode()
    assert "No training record matches" in body


def test_gap_view_links_to_adding_a_record(org, members, web_client_for, owner_ctx, ctx):
    viewer = web_client_for(members["viewer"])
    assert "No gaps" in viewer.get(_p(org, "gaps/")).content.decode()
    role = services.aims_role_create(ctx=owner_ctx, data={"name": "AI risk owner",
                                                          "responsibilities": "Risks."})
    services.competence_requirement_create(ctx=owner_ctx, role_id=role.pk, data={
        "title": "Can run an AI risk assessment", "ai_specific": True})
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["admin"].pk})
    body = web_client_for(members["editor"]).get(_p(org, "gaps/")).content.decode()
    assert "Can run an AI risk assessment" in body
    assert f"training/new/?member={members['admin'].pk}&amp;ai_specific=1" in body
    people = viewer.get(_p(org, "")).content.decode()
    assert "1 role holder lacks" in people and "AI risk owner" in people
    page = web_client_for(members["editor"]).get(
        _p(org, f"training/new/?member={members['admin'].pk}&ai_specific=1")).content.decode()
    assert f'value="{members["admin"].pk}" selected' in page


def test_system_panel_lists_covering_roles(org, members, owner_ctx):
    from django.template import Context, Template

    from aims.testing.factories import make_ai_system

    system = make_ai_system(owner_ctx, name="Chatbot")
    role = services.aims_role_create(ctx=owner_ctx, data={
        "name": "Chatbot owner", "responsibilities": "D", "ai_systems": [system.pk]})
    services.role_assignment_create(ctx=owner_ctx, role_id=role.pk,
                                    data={"member": members["editor"].pk})
    html = Template("{% load people_panels %}{% roles_panel system %}").render(
        Context({"ctx": owner_ctx, "system": system}))
    assert "Chatbot owner" in html and members["editor"].display_name in html
