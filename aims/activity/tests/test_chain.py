"""The activity log's sealed chain: record() appends, log_verify() finds every kind of
tampering, including a forger who recomputes every digest without the log key."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from aims.activity import services
from aims.activity.keys import keyring
from aims.activity.models import Event
from aims.activity.services import GENESIS, log_verify, record, seal_of
from aims.orgs.context import Ctx
from aims.orgs.models import Organization


def append(ctx: Ctx, n: int) -> list[Event]:
    """n events on ctx.org's chain, each in its own service-like transaction."""
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(record(ctx=ctx, action="update", obj=ctx.org,
                                 changes={"name": {"before": f"v{i}", "after": f"v{i + 1}"}}))
    return events


def chain(org) -> list[Event]:
    return list(Event.objects.filter(org=org).order_by("seq"))


def assert_broken_at(org, seq: int) -> str:
    result = log_verify(org=org)
    assert not result.ok
    assert result.first_bad_seq == seq, result.problem
    assert result.checked == seq - 1
    return result.problem


def rehash(ev: Event) -> str:
    """The seal `ev` would carry: a forger who holds the key (the tests do)."""
    return seal_of(ev, keyring())


@pytest.fixture
def log(owner_ctx):
    """owner_ctx.org with a chain of exactly five events (creating the org wrote the first)."""
    append(owner_ctx, 5 - Event.objects.filter(org=owner_ctx.org).count())
    assert [e.seq for e in chain(owner_ctx.org)] == [1, 2, 3, 4, 5]
    return owner_ctx.org


@pytest.mark.django_db
class TestRecord:
    def test_appends_with_consecutive_seq_and_chained_hashes(self, owner_ctx):
        org = owner_ctx.org
        start = Event.objects.filter(org=org).count()
        new = append(owner_ctx, 4)
        assert [e.seq for e in new] == list(range(start + 1, start + 5))
        events = chain(org)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].prev_hash == GENESIS
        for before, after in itertools.pairwise(events):
            assert after.prev_hash == before.hash
        assert all(len(e.hash) == 64 and e.hash == rehash(e) for e in events)
        assert len({e.hash for e in events}) == len(events)

    def test_moves_the_org_head(self, owner_ctx):
        last = append(owner_ctx, 2)[-1]
        org = Organization.objects.get(pk=owner_ctx.org.pk)
        assert (org.log_head_seq, org.log_head_hash) == (last.seq, last.hash)
        assert (owner_ctx.org.log_head_seq, owner_ctx.org.log_head_hash) == (last.seq, last.hash)

    def test_records_who_and_what(self, owner_ctx, members):
        ev = append(owner_ctx, 1)[0]
        assert ev.actor == members["owner"]
        assert ev.actor_label == members["owner"].email
        assert (ev.action, ev.object_type, ev.object_id) == (
            "update", "orgs.organization", str(owner_ctx.org.pk))
        assert ev.changes == {"name": {"before": "v0", "after": "v1"}}

    def test_rolled_back_write_leaves_no_event_and_no_gap(self, owner_ctx):
        org = owner_ctx.org
        head = Organization.objects.get(pk=org.pk).log_head_seq
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            record(ctx=owner_ctx, action="update", obj=org, changes={})
            1 / 0  # noqa: B018 - the service fails after logging
        owner_ctx.org.refresh_from_db()
        assert Organization.objects.get(pk=org.pk).log_head_seq == head
        assert append(owner_ctx, 1)[0].seq == head + 1
        assert log_verify(org=org).ok


def test_record_outside_a_transaction_raises():
    # No database needed: the guard comes before any query.
    org = Organization(slug="acme", name="Acme")
    ctx = Ctx(org=org, user=None, role="owner", actor_label="cli")
    with pytest.raises(RuntimeError, match="must run inside the service's transaction"):
        record(ctx=ctx, action="update", obj=org, changes={})


@pytest.mark.django_db
class TestVerify:
    def test_intact_chain_passes(self, log):
        result = log_verify(org=log)
        assert result.ok
        assert result.checked == 5
        assert result.first_bad_seq is None

    def test_org_with_only_its_creation_event_passes(self, other_org):
        assert log_verify(org=other_org).ok

    def test_edited_changes(self, log):
        Event.objects.filter(org=log, seq=3).update(changes={"name": {"before": "x", "after": "y"}})
        assert "altered" in assert_broken_at(log, 3)

    def test_edited_actor_label(self, log):
        Event.objects.filter(org=log, seq=2).update(actor_label="someone-else@example.com")
        assert "altered" in assert_broken_at(log, 2)

    def test_edited_first_event(self, log):
        Event.objects.filter(org=log, seq=1).update(object_repr="Another org")
        assert_broken_at(log, 1)

    def test_edited_and_rehashed_middle_event_breaks_the_link_after_it(self, log):
        ev = Event.objects.get(org=log, seq=3)
        ev.changes = {"forged": True}
        Event.objects.filter(pk=ev.pk).update(changes=ev.changes, hash=rehash(ev))
        assert "does not follow" in assert_broken_at(log, 4)

    def test_rewritten_last_event_is_caught_by_the_org_head(self, log):
        ev = Event.objects.get(org=log, seq=5)
        ev.actor_label = "forger"
        Event.objects.filter(pk=ev.pk).update(actor_label="forger", hash=rehash(ev))
        result = log_verify(org=log)
        assert not result.ok
        assert result.first_bad_seq == 5

    def test_deleted_middle_event(self, log):
        Event.objects.filter(org=log, seq=3).delete()
        assert "missing" in assert_broken_at(log, 3)

    def test_deleted_last_event(self, log):
        Event.objects.filter(org=log, seq=5).delete()
        problem = assert_broken_at(log, 5)
        assert "#4" in problem and "#5" in problem

    def test_deleted_whole_log(self, log):
        Event.objects.filter(org=log).delete()
        assert_broken_at(log, 1)

    def test_swapped_events(self, log):
        # (org, seq) is unique, so swap through a free number as a careful forger would.
        a, b = Event.objects.get(org=log, seq=2), Event.objects.get(org=log, seq=3)
        Event.objects.filter(pk=a.pk).update(seq=10_000)
        Event.objects.filter(pk=b.pk).update(seq=2)
        Event.objects.filter(pk=a.pk).update(seq=3)
        assert_broken_at(log, 2)

    def test_chains_of_two_orgs_are_independent(self, log, other_org):
        other_ctx = Ctx(org=other_org, user=None, role="owner", actor_label="cli")
        other_events = append(other_ctx, 2)
        assert [e.seq for e in chain(other_org)] == [1, 2, 3]
        assert chain(other_org)[0].prev_hash == GENESIS
        assert other_events[-1].prev_hash == chain(other_org)[1].hash
        assert [e.seq for e in chain(log)] == [1, 2, 3, 4, 5]

        Event.objects.filter(org=log, seq=2).update(actor_label="tampered")
        assert not log_verify(org=log).ok
        assert log_verify(org=other_org).ok
        assert log_verify(org=other_org).checked == 3


@pytest.mark.django_db
class TestVerifyInPages:
    """The walk reads a page of events at a time, takes no lock and covers the log up to the
    head committed when it began."""

    @pytest.fixture(autouse=True)
    def small_pages(self, monkeypatch):
        monkeypatch.setattr(services, "VERIFY_PAGE", 2)

    def test_a_log_of_many_pages_passes_and_tampering_on_a_later_page_is_found(self, log,
                                                                               owner_ctx):
        append(owner_ctx, 4)
        result = log_verify(org=log)
        assert result.ok and result.checked == 9
        assert result.head == Event.objects.get(org=log, seq=9).hash
        Event.objects.filter(org=log, seq=8).update(actor_label="tampered")
        assert "altered" in assert_broken_at(log, 8)

    def test_a_missing_event_on_a_page_boundary_is_found(self, log):
        Event.objects.filter(org=log, seq=3).delete()
        assert "missing" in assert_broken_at(log, 3)

    def test_events_written_during_the_walk_are_left_to_the_next(self, log, owner_ctx,
                                                                 monkeypatch):
        check = services._event_problem
        written = []

        def while_walking(ev, ring):
            if not written:  # a member saves something as the first page is checked
                written.extend(append(owner_ctx, 3))
            return check(ev, ring)

        monkeypatch.setattr(services, "_event_problem", while_walking)
        result = log_verify(org=log)
        assert result.ok and result.checked == 5 and [e.seq for e in written] == [6, 7, 8]
        monkeypatch.setattr(services, "_event_problem", check)
        assert log_verify(org=log).checked == 8

    def test_an_event_put_after_the_head_behind_the_organisations_back_is_found(self, log):
        last = Event.objects.get(org=log, seq=5)
        extra = Event.objects.get(org=log, seq=5)
        extra.pk, extra.seq, extra.prev_hash = None, 6, last.hash
        extra.hash = rehash(extra)
        extra.save(force_insert=True)
        result = log_verify(org=log)
        assert not result.ok and "events follow #5" in result.problem

    def test_no_lock_is_taken(self, log, monkeypatch):
        monkeypatch.setattr(services, "VERIFY_PAGE", 2000)
        with CaptureQueriesContext(connection) as queries:
            assert log_verify(org=log).ok
        assert not [q for q in queries if "FOR UPDATE" in q["sql"].upper()]


@pytest.mark.django_db
class TestVerifyCommand:
    def test_intact_exits_zero(self, log, capsys):
        call_command("log", "verify", "--org", log.slug)
        assert "intact: 5 events verified" in capsys.readouterr().out

    def test_tampered_raises_command_error_naming_the_event(self, log):
        Event.objects.filter(org=log, seq=4).update(changes={})
        with pytest.raises(CommandError) as exc:
            call_command("log", "verify", "--org", log.slug)
        assert "#4" in str(exc.value)
        assert "3 events before it are intact" in str(exc.value)
        assert exc.value.returncode != 0

    def test_unknown_org(self, db):
        with pytest.raises(CommandError, match="nope"):
            call_command("log", "verify", "--org", "nope")
