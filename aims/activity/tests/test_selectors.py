import pytest

from aims.activity.selectors import record_history
from aims.inventory.services import ai_system_update
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


def test_a_record_history_pairs_entries_with_readable_changes(ctx, members,
                                                              django_assert_num_queries):
    system = make_ai_system(ctx, name="Chatbot", owner=members["admin"].pk)
    ai_system_update(ctx=ctx, system_id=system.pk, version=system.version,
                     data={"owner": members["viewer"].pk})
    make_ai_system(ctx, name="Someone else's")

    with django_assert_num_queries(2):  # the entries, then every person they name
        history = record_history(ctx=ctx, record=system, limit=10)

    assert history.object_id == str(system.pk)
    assert [r.event.action for r in history.rows] == ["update", "create"]  # newest first
    assert not history.mixed and all(r.about == "" for r in history.rows)
    owner = next(line for line in history.rows[0].lines if line.field == "Owner")
    assert (owner.before, owner.after) == (members["admin"].display_name,
                                           members["viewer"].display_name)
    assert len(record_history(ctx=ctx, record=system, limit=1).rows) == 1


def test_entries_about_records_shown_with_it_name_them(ctx):
    system = make_ai_system(ctx, name="Chatbot")
    part = make_ai_system(ctx, name="Its fallback model")
    history = record_history(ctx=ctx, record=system, also=[part.pk], limit=10)
    assert [r.about for r in history.rows] == ["Its fallback model", ""]
    assert history.mixed


def test_a_record_not_yet_saved_has_no_history(ctx):
    history = record_history(ctx=ctx, record=None, limit=10)
    assert history.rows == [] and history.object_id == ""
