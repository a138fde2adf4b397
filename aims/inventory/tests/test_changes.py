import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.inventory.selectors import system_change_list
from aims.inventory.services import ai_system_delete, ai_system_retire, system_change_record
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_changes_are_logged_and_listed_newest_first(ctx):
    system = make_ai_system(ctx, name="Chatbot")
    older = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "  Switched the hosted model to a newer release.  ",
        "changed_on": datetime.date(2026, 1, 10)})
    newer = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Added French.", "significant": True,
        "changed_on": datetime.date(2026, 2, 1)})
    assert older.description == "Switched the hosted model to a newer release."
    assert (older.significant, older.recorded_by) == (False, ctx.user)
    assert list(system_change_list(ctx=ctx, system_id=system.pk)) == [newer, older]
    event = Event.objects.get(org=ctx.org, object_id=str(newer.pk))
    assert event.action == "create"
    assert event.changes["significant"] == {"before": None, "after": True}
    assert str(newer) == "Chatbot: Added French."


def test_unknown_fields_and_foreign_systems_are_refused(ctx, other_org):
    system = make_ai_system(ctx)
    with pytest.raises(ValidationError) as exc:
        system_change_record(ctx=ctx, system_id=system.pk,
                             data={"description": "x", "recorded_by": ctx.user.pk})
    assert exc.value.errors == {"recorded_by": ["Unknown field."]}
    from aims.orgs.models import Membership

    foreign = make_ai_system(ctx_for(other_org, Membership.objects.get(org=other_org).user))
    with pytest.raises(NotFound):
        system_change_record(ctx=ctx, system_id=foreign.pk, data={"description": "x"})
    with pytest.raises(NotFound):
        system_change_list(ctx=ctx, system_id=foreign.pk)


def test_readers_cannot_record_changes(org, members, ctx):
    system = make_ai_system(ctx)
    for role in ("viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            system_change_record(ctx=ctx_for(org, members[role]), system_id=system.pk,
                                 data={"description": "x"})


def test_a_system_with_a_change_log_is_retired_not_deleted(ctx):
    system = make_ai_system(ctx, name="Scoring model")
    system_change_record(ctx=ctx, system_id=system.pk, data={"description": "New threshold."})
    with pytest.raises(ValidationError) as exc:
        ai_system_delete(ctx=ctx, system_id=system.pk, version=system.version)
    assert "AI system changes" in exc.value.errors["__all__"][0]
    assert ai_system_retire(ctx=ctx, system_id=system.pk,
                            version=system.version).status == "retired"


def test_change_log_api(org, api, ctx):
    system = make_ai_system(ctx)
    url = f"/api/v1/orgs/{org.slug}/ai-systems/{system.pk}/changes"
    assert api.post(url, {"description": ""}).status_code == 422
    r = api.post(url, {"description": "Retrained monthly from now on."})
    assert r.status_code == 201, r.content
    assert r.json()["changed_on"] == timezone.localdate().isoformat()
    assert api.get(url).json()["count"] == 1
    missing = f"/api/v1/orgs/{org.slug}/ai-systems/00000000-0000-0000-0000-000000000000/changes"
    assert api.get(missing).status_code == 404
