import pytest

from aims.core.errors import Conflict, ValidationError
from aims.inventory.services import ai_system_update
from aims.testing.factories import make_ai_system


@pytest.mark.django_db
def test_stale_version_is_refused_and_nothing_changes(ctx):
    system = make_ai_system(ctx, name="Credit scoring")
    ai_system_update(ctx=ctx, system_id=system.pk, data={"name": "Credit scoring v2"}, version=1)
    with pytest.raises(Conflict) as exc:
        ai_system_update(ctx=ctx, system_id=system.pk, data={"name": "Lost update"}, version=1)
    assert exc.value.current["name"] == "Credit scoring v2"
    assert exc.value.current["version"] == 2
    system.refresh_from_db()
    assert system.name == "Credit scoring v2"


@pytest.mark.django_db
def test_missing_version_is_a_field_error(ctx):
    system = make_ai_system(ctx)
    with pytest.raises(ValidationError) as exc:
        ai_system_update(ctx=ctx, system_id=system.pk, data={"name": "x"}, version=None)
    assert "version" in exc.value.errors
