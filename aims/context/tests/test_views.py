import pytest
from django.urls import reverse

from aims.context import selectors
from aims.context.tests.conftest import ISSUE, PARTY, SCOPE
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"context:{name}", args=["acme", *args])


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def editor(members, web_client_for):
    return web_client_for(members["editor"])


@pytest.fixture
def viewer(members, web_client_for):
    return web_client_for(members["viewer"])


# ---------------------------------------------------------------- who sees what


def test_pages_render_for_a_viewer_without_edit_controls(viewer, make_issue, make_party,
                                                         make_scope):
    make_scope()
    issue, party = make_issue(), make_party()
    for name, args in [("scope", ()), ("scope_version", (1,)), ("issues", ()),
                       ("parties", ()), ("issue_row", (issue.pk,)), ("party_row", (party.pk,))]:
        r = viewer.get(url(name, *args))
        assert r.status_code == 200, name
        assert "/edit/" not in html(r) and "/delete/" not in html(r), name


def test_empty_pages_explain_and_offer_the_first_step(editor, viewer):
    r = editor.get(url("scope"))
    assert "No scope statement yet" in html(r)
    assert "The inventory has no AI systems yet." in html(r)
    assert url("scope_edit") in html(r)
    assert "An editor of Acme Lending can write it." in html(viewer.get(url("scope")))
    assert "No issues recorded yet" in html(editor.get(url("issues")))
    assert "No interested parties recorded yet" in html(editor.get(url("parties")))


def test_viewer_is_refused_every_write(ctx, viewer, make_issue, make_party):
    issue, party = make_issue(), make_party()
    for name, args in [("scope_edit", ()), ("issue_create", ()), ("issue_edit", (issue.pk,)),
                       ("issue_delete", (issue.pk,)), ("party_create", ()),
                       ("party_edit", (party.pk,)), ("party_delete", (party.pk,))]:
        assert viewer.get(url(name, *args)).status_code == 403, name
        assert viewer.post(url(name, *args), {"version": 1}).status_code == 403, name
    assert selectors.context_issue_get(ctx=ctx, issue_id=issue.pk).version == 1
    assert selectors.scope_current(ctx=ctx) is None


def test_non_members_get_404(other_org, web_client_for, make_issue, make_party, make_scope):
    from aims.orgs.models import Membership

    make_scope()
    issue, party = make_issue(), make_party()
    outsider = web_client_for(Membership.objects.get(org=other_org).user)
    for name, args in [("scope", ()), ("scope_edit", ()), ("scope_version", (1,)),
                       ("issues", ()), ("issue_edit", (issue.pk,)), ("party_edit", (party.pk,)),
                       ("party_delete", (party.pk,))]:
        assert outsider.get(url(name, *args)).status_code == 404, name
    # Our ids under their own organisation are just as unknown.
    theirs = reverse("context:issue_edit", args=["globex", issue.pk])
    assert outsider.get(theirs).status_code == 404
    assert outsider.post(reverse("context:party_delete", args=["globex", party.pk]),
                         {"version": 1}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    r = client.get(url("issues"))
    assert r.status_code == 302 and r["Location"].startswith("/account/login/")


# ---------------------------------------------------------------- scope


def test_write_first_scope_then_edit_it(ctx, editor):
    make_ai_system(ctx, name="Credit scoring")
    r = editor.get(url("scope_edit"))
    assert r.status_code == 200
    assert 'name="based_on" value="0"' in html(r)
    assert "Note on this version" in html(r) and "Save version 1" in html(r)
    r = editor.post(url("scope_edit"), {**SCOPE, "based_on": 0})
    assert r.status_code == 302 and r["Location"] == url("scope")
    page = html(editor.get(url("scope")))
    assert "Version 1" in page and SCOPE["statement"] in page and "Credit scoring" in page

    r = editor.get(url("scope_edit"))
    assert 'name="based_on" value="1"' in html(r)
    assert SCOPE["boundaries"] in html(r)  # prefilled from the current version
    r = editor.post(url("scope_edit"), {**SCOPE, "statement": "Wider.", "based_on": 1,
                                        "change_note": "Added fraud."})
    assert r.status_code == 302
    assert selectors.scope_current(ctx=ctx).number == 2
    page = html(editor.get(url("scope")))
    assert url("scope_version", 1) in page and "Added fraud." in page
    old = html(editor.get(url("scope_version", 1)))
    assert SCOPE["statement"] in old and "An earlier version" in old


def test_scope_without_statement_is_422_with_the_error(editor):
    r = editor.post(url("scope_edit"), {**SCOPE, "statement": "", "based_on": 0})
    assert r.status_code == 422
    assert 'id="id_statement_error"' in html(r)
    assert "This field is required." in html(r)


def test_stale_scope_edit_is_409_and_shows_current_values(ctx, editor, make_scope):
    make_scope()
    make_scope(based_on=1, statement="Saved by a colleague.")
    r = editor.post(url("scope_edit"), {**SCOPE, "statement": "Mine.", "based_on": 1})
    assert r.status_code == 409
    page = html(r)
    assert "changed by someone else" in page
    assert "Saved by a colleague." in page  # the current values
    assert "Mine." in page  # the person's own text is kept
    # Saving again is now a deliberate change on top of version 2.
    assert 'name="based_on" value="2"' in page
    assert editor.post(url("scope_edit"), {**SCOPE, "statement": "Mine.", "based_on": 2}
                       ).status_code == 302
    assert selectors.scope_current(ctx=ctx).number == 3


def test_scope_page_warns_when_the_inventory_moved_on(ctx, editor, make_scope):
    make_scope()
    make_ai_system(ctx, name="Fraud detection")
    page = html(editor.get(url("scope")))
    assert "The inventory has changed since version 1" in page
    assert "Now inside the scope: Fraud detection" in page


def test_unknown_scope_version_is_404(editor, make_scope):
    make_scope()
    assert editor.get(url("scope_version", 5)).status_code == 404


# ---------------------------------------------------------------- issues


def test_create_issue_through_the_form(ctx, editor):
    r = editor.get(url("issue_create") + "?kind=external")
    assert r.status_code == 200
    assert '<option value="external" selected>' in html(r)
    r = editor.post(url("issue_create"), ISSUE)
    assert r.status_code == 302 and r["Location"] == url("issues")
    page = html(editor.get(url("issues")))
    assert ISSUE["title"] in page and "Added the issue" in page


def test_invalid_issue_is_422_with_field_errors(editor):
    r = editor.post(url("issue_create"), {**ISSUE, "kind": "", "title": ""})
    assert r.status_code == 422
    assert 'id="id_kind_error"' in html(r) and 'id="id_title_error"' in html(r)


def test_edit_issue_full_page(ctx, editor, make_issue):
    issue = make_issue()
    r = editor.get(url("issue_edit", issue.pk))
    assert r.status_code == 200 and ISSUE["effect"] in html(r)
    r = editor.post(url("issue_edit", issue.pk), {**ISSUE, "title": "Renamed", "version": 1})
    assert r.status_code == 302
    assert selectors.context_issue_get(ctx=ctx, issue_id=issue.pk).title == "Renamed"


def test_edit_issue_inline_with_htmx(ctx, editor, make_issue):
    issue = make_issue()
    r = editor.get(url("issue_edit", issue.pk), **HTMX)
    assert r.status_code == 200
    page = html(r)
    assert page.startswith('<tr id="issue-') and "<html" not in page
    prefix = f"i{issue.pk.hex[:8]}"
    data = {f"{prefix}-{k}": v for k, v in {**ISSUE, "title": "Inline", "version": 1}.items()}
    data[f"{prefix}-is_active"] = "on"
    r = editor.post(url("issue_edit", issue.pk), data, **HTMX)
    assert r.status_code == 200
    assert "Inline" in html(r) and "just-saved" in html(r)
    # Invalid: the row form comes back with the error, status 422.
    data = {**data, f"{prefix}-title": "", f"{prefix}-version": 2}
    r = editor.post(url("issue_edit", issue.pk), data, **HTMX)
    assert r.status_code == 422
    assert "row-form" in html(r) and "This field is required." in html(r)
    # Cancel restores the row.
    assert "Inline" in html(editor.get(url("issue_row", issue.pk)))


def test_stale_issue_edit_is_409(ctx, editor, make_issue):
    from aims.context.services import context_issue_update

    issue = make_issue()
    context_issue_update(ctx=ctx, issue_id=issue.pk, data={"title": "Theirs"}, version=1)
    r = editor.post(url("issue_edit", issue.pk), {**ISSUE, "title": "Mine", "version": 1})
    assert r.status_code == 409
    assert "Theirs" in html(r) and "changed by someone else" in html(r)


def test_delete_issue_asks_then_deletes(ctx, editor, make_issue):
    issue = make_issue()
    r = editor.get(url("issue_delete", issue.pk))
    assert r.status_code == 200 and "Delete the issue" in html(r)
    assert 'name="version" value="1"' in html(r)
    r = editor.post(url("issue_delete", issue.pk), {"version": 1})
    assert r.status_code == 302
    assert not selectors.context_issue_list(ctx=ctx).exists()


def test_delete_with_stale_or_missing_version_is_refused(ctx, editor, make_issue):
    from aims.context.services import context_issue_update

    issue = make_issue()
    assert editor.post(url("issue_delete", issue.pk), {}).status_code == 422
    context_issue_update(ctx=ctx, issue_id=issue.pk, data={"title": "Theirs"}, version=1)
    r = editor.post(url("issue_delete", issue.pk), {"version": 1})
    assert r.status_code == 409
    assert 'name="version" value="2"' in html(r)
    assert selectors.context_issue_list(ctx=ctx).count() == 1


def test_issue_filters(editor, make_issue):
    make_issue(title="Regulation")
    make_issue(title="Skills gap", kind="internal")
    make_issue(title="Legacy data", kind="internal", is_active=False)
    page = html(editor.get(url("issues"), {"kind": "internal", "active": "yes"}))
    assert "Skills gap" in page and "Regulation" not in page and "Legacy data" not in page
    page = html(editor.get(url("issues"), {"q": "nothing like this"}))
    assert "No issue matches these filters." in page


# ---------------------------------------------------------------- interested parties


def test_create_and_edit_party_through_the_form(ctx, editor):
    r = editor.post(url("party_create"), PARTY)
    assert r.status_code == 302
    party = selectors.interested_party_list(ctx=ctx).get()
    r = editor.post(url("party_edit", party.pk), {**PARTY, "needs": "Plain reasons.",
                                                   "version": 1})
    assert r.status_code == 302
    assert "Plain reasons." in html(editor.get(url("parties")))


def test_duplicate_party_shows_the_error_on_name(editor, make_party):
    make_party()
    r = editor.post(url("party_create"), {**PARTY, "name": "loan applicants"})
    assert r.status_code == 422
    assert 'id="id_name_error"' in html(r) and "already exists" in html(r)


def test_edit_party_inline_with_htmx(ctx, editor, make_party):
    party = make_party()
    prefix = f"p{party.pk.hex[:8]}"
    r = editor.get(url("party_edit", party.pk), **HTMX)
    assert r.status_code == 200 and f'name="{prefix}-name"' in html(r)
    data = {f"{prefix}-{k}": v for k, v in {**PARTY, "name": "Borrowers", "version": 1}.items()}
    r = editor.post(url("party_edit", party.pk), data, **HTMX)
    assert r.status_code == 200 and "Borrowers" in html(r) and "<html" not in html(r)
    r = editor.post(url("party_edit", party.pk), data, **HTMX)  # version 1 is stale now
    assert r.status_code == 409 and "changed by someone else" in html(r)
    assert f'name="{prefix}-version" value="2"' in html(r)


def test_delete_party(ctx, editor, make_party):
    party = make_party()
    r = editor.post(url("party_delete", party.pk), {"version": 1})
    assert r.status_code == 302
    assert not selectors.interested_party_list(ctx=ctx).exists()


def test_party_filters(editor, make_party):
    make_party(name="Regulator", is_active=False)
    make_party(name="Staff")
    page = html(editor.get(url("parties"), {"active": "no"}))
    assert "Regulator" in page and "Staff" not in page


# ---------------------------------------------------------------- query counts


def test_list_pages_make_a_bounded_number_of_queries(
        ctx, editor, make_issue, make_party, make_scope, django_assert_max_num_queries):
    for n in range(30):
        make_issue(title=f"Issue {n}")
        make_party(name=f"Party {n}")
        make_ai_system(ctx, name=f"Scoring model {n}")
        make_scope(based_on=n or None, change_note=f"v{n + 1}")
    for name in ("scope", "issues", "parties"):
        with django_assert_max_num_queries(10):
            r = editor.get(url(name))
        assert r.status_code == 200
    assert html(editor.get(url("scope"))).count("Scoring model ") >= 30
