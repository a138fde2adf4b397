"""Seals under a key the database does not hold: a forger with only the database is caught,
keys rotate, logs from before keyed sealing are re-sealed, and a serialisation round trip
(dumpdata → loaddata) keeps every seal valid."""

import datetime
import hashlib
import json

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import transaction

from aims.activity.keys import LogKeyError, key_file_create, key_rotate, keyring
from aims.activity.models import Event
from aims.activity.services import (
    GENESIS,
    _payload,
    canonical_at,
    legacy_digest,
    log_seal,
    log_verify,
    record,
)
from aims.activity.tests.test_chain import append, chain
from aims.orgs.models import Organization

OTHER_KEY = "other:a-key-the-installation-never-had-0123456789"


@pytest.fixture
def log(owner_ctx):
    append(owner_ctx, 5 - Event.objects.filter(org=owner_ctx.org).count())
    return owner_ctx.org


def forge_all_without_key(org, *, edit_seq: int, seal) -> None:
    """Edit one event, then recompute every digest and the head with `seal` (no log key)."""
    prev = GENESIS
    for ev in chain(org):
        if ev.seq == edit_seq:
            ev.changes = {"name": {"before": "x", "after": "forged"}}
        ev.prev_hash = prev
        ev.hash = seal(ev)
        Event.objects.filter(pk=ev.pk).update(changes=ev.changes, prev_hash=ev.prev_hash,
                                              hash=ev.hash)
        prev = ev.hash
    Organization.objects.filter(pk=org.pk).update(log_head_hash=prev)


@pytest.mark.django_db
class TestForgerWithoutTheKey:
    def test_every_digest_recomputed_with_plain_sha256(self, log):
        forge_all_without_key(log, edit_seq=3,
                              seal=lambda ev: hashlib.sha256(_payload(ev)).hexdigest())
        result = log_verify(org=log)
        assert not result.ok and result.first_bad_seq == 1
        assert "sealed without the log key" in result.problem

    def test_every_digest_recomputed_under_another_key(self, log, settings):
        settings.AIMS_LOG_KEYS = OTHER_KEY.replace("other:", "test:")
        forged = keyring()
        settings.AIMS_LOG_KEYS = "test:aims-test-only-log-key-never-used-outside-the-test-suite"
        forge_all_without_key(log, edit_seq=4, seal=lambda ev: forged.seal("test", _payload(ev)))
        with pytest.raises(CommandError) as exc:
            call_command("log", "verify", "--org", log.slug)
        assert "event #1" in str(exc.value) and "sealed without the log key" in str(exc.value)
        assert exc.value.returncode != 0

    def test_downgrade_to_the_unkeyed_scheme(self, log):
        # Clearing the key id and writing the old unkeyed digest is not a way around the key.
        forge_all_without_key(log, edit_seq=2, seal=legacy_digest)
        Event.objects.filter(org=log).update(key_id="")
        result = log_verify(org=log)
        assert not result.ok and result.first_bad_seq == 1
        assert "not sealed with a log key" in result.problem

    def test_changed_actor_id(self, log, members):
        ev = chain(log)[2]
        Event.objects.filter(pk=ev.pk).update(actor=members["viewer"])
        result = log_verify(org=log)
        assert (result.ok, result.first_bad_seq) == (False, ev.seq)
        assert "another actor" in result.problem

    def test_changed_sealed_actor_id(self, log, members):
        ev = chain(log)[1]
        Event.objects.filter(pk=ev.pk).update(actor=members["viewer"],
                                              actor_ref=str(members["viewer"].pk))
        result = log_verify(org=log)
        assert (result.ok, result.first_bad_seq) == (False, ev.seq)
        assert "altered" in result.problem

    def test_changed_key_id(self, log):
        Event.objects.filter(org=log, seq=2).update(key_id="nope")
        result = log_verify(org=log)
        assert result.first_bad_seq == 2 and "key 'nope'" in result.problem

    def test_deleted_user_keeps_the_log_valid(self, log, members):
        user = members["owner"]
        user_id = str(user.pk)
        assert Event.objects.filter(org=log, actor=user).exists()
        user.delete()
        assert Event.objects.filter(org=log, actor_ref=user_id, actor=None).exists()
        assert log_verify(org=log).ok


@pytest.mark.django_db
class TestKeys:
    def test_events_carry_the_current_key_and_actor_id(self, log, members):
        ev = chain(log)[-1]
        assert ev.key_id == "test"
        assert ev.actor_ref == str(members["owner"].pk)
        assert ev.at.microsecond % 1000 == 0

    def test_rotation_keeps_old_events_verifying(self, log, owner_ctx, settings, tmp_path):
        # The same key the events were sealed with, now read from a key file.
        secret = settings.AIMS_LOG_KEYS.split(":", 1)[1]
        settings.AIMS_LOG_KEYS = ""
        settings.AIMS_LOG_KEY_FILE = key_file = tmp_path / "log_keys"
        key_file.write_text(f"# comment\ntest {secret}\n")
        assert log_verify(org=log).ok
        new_id = key_rotate()
        assert keyring().current == new_id and set(keyring().keys) == {"test", new_id}
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        new = append(owner_ctx, 2)
        assert {e.key_id for e in new} == {new_id}
        assert {e.key_id for e in chain(log)} == {"test", new_id}
        assert log_verify(org=log).ok

        # Retiring the old key: re-seal under the current one, then remove it from the file.
        log_seal(org=log)
        assert {e.key_id for e in chain(log)} == {new_id}
        key_file.write_text("\n".join(line for line in key_file.read_text().splitlines()
                                      if not line.startswith("test ")) + "\n")
        result = log_verify(org=log)
        assert result.ok, result.problem

    def test_init_creates_a_private_key_file_once(self, settings, tmp_path):
        settings.AIMS_LOG_KEYS = ""
        settings.AIMS_LOG_KEY_FILE = key_file = tmp_path / "var" / "log_keys"
        assert key_file_create() == key_file
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        text = key_file.read_text()
        assert key_file_create() is None and key_file.read_text() == text
        assert len(keyring().keys[keyring().current]) >= 48

    def test_dropped_key_is_named(self, log, settings):
        settings.AIMS_LOG_KEYS = OTHER_KEY
        result = log_verify(org=log)
        assert result.first_bad_seq == 1
        assert "key 'test', which this installation does not hold" in result.problem

    def test_no_key_refuses_to_write(self, owner_ctx, settings, tmp_path):
        settings.AIMS_LOG_KEYS = ""
        settings.AIMS_LOG_KEY_FILE = tmp_path / "absent"
        before = Event.objects.filter(org=owner_ctx.org).count()
        with pytest.raises(LogKeyError, match="aims init"), transaction.atomic():
            record(ctx=owner_ctx, action="update", obj=owner_ctx.org, changes={})
        assert Event.objects.filter(org=owner_ctx.org).count() == before

    @pytest.mark.parametrize("value, rule", [
        ("nocolon", "id:secret"), ("a:short", "shorter than 32"),
        ("bad id:" + "x" * 40, "letters, digits"),
        ("a:" + "x" * 40 + ",a:" + "y" * 40, "appears twice"),
    ])
    def test_malformed_keys_are_named(self, settings, value, rule):
        settings.AIMS_LOG_KEYS = value
        with pytest.raises(LogKeyError, match=rule):
            keyring()


def make_legacy(org) -> None:
    """Rewrite org's chain as it was written before keyed sealing (unkeyed SHA-256)."""
    prev = GENESIS
    for ev in chain(org):
        ev.key_id, ev.actor_ref, ev.prev_hash = "", "", prev
        ev.hash = legacy_digest(ev)
        Event.objects.filter(pk=ev.pk).update(key_id="", actor_ref="", prev_hash=prev,
                                              hash=ev.hash)
        prev = ev.hash
    Organization.objects.filter(pk=org.pk).update(log_head_hash=prev)


@pytest.mark.django_db
class TestUpgradeFromUnkeyedLogs:
    def test_unsealed_log_is_named_until_sealed(self, log):
        make_legacy(log)
        result = log_verify(org=log)
        assert result.first_bad_seq == 1 and "aims log seal" in result.problem

    def test_init_reseals_an_intact_legacy_log_and_records_it(self, log, capsys):
        make_legacy(log)
        call_command("init")
        assert "5 events re-sealed" in capsys.readouterr().out
        events = chain(log)
        assert len(events) == 6 and {e.key_id for e in events} == {"test"}
        assert events[-1].actor_label == "aims init"
        assert "activity_log_seal" in events[-1].changes
        assert log_verify(org=log).ok

    def test_a_broken_legacy_log_is_not_blessed(self, log):
        make_legacy(log)
        Event.objects.filter(org=log, seq=3).update(object_repr="edited")
        with pytest.raises(CommandError, match="broken at event #3"):
            call_command("log", "seal", "--org", log.slug)
        assert set(Event.objects.filter(org=log).values_list("key_id", flat=True)) == {""}


@pytest.mark.django_db
class TestSerialisationRoundTrip:
    def test_canonical_time_is_utc_to_the_millisecond(self):
        at = datetime.datetime(2026, 3, 1, 12, 0, 0, 123987,
                               tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        assert canonical_at(at) == "2026-03-01T10:00:00.123Z"

    def test_dumpdata_loaddata_keeps_the_log_valid(self, log, tmp_path):
        # Events written with a microsecond timestamp (as before) must also survive.
        at = chain(log)[1].at
        Event.objects.filter(org=log, seq=2).update(at=at.replace(microsecond=at.microsecond + 789))
        assert log_verify(org=log).ok
        dump = tmp_path / "dump.json"
        call_command("dumpdata", "activity.event", "orgs.organization", "--output", str(dump))
        assert '"at":' in dump.read_text()
        data = json.loads(dump.read_text())
        with transaction.atomic():
            Event.objects.filter(org=log).delete()
            for obj in serializers.deserialize("json", json.dumps(data)):
                obj.save()
        assert chain(log)[1].at == at
        assert log_verify(org=log).ok
