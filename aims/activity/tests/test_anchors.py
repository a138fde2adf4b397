"""Checkpoints: a signed head outside the database catches what the chain alone cannot — the
tail removed with the organisation's head rewound, and the whole log wiped."""

import hashlib
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from aims.activity.anchors import anchor_key_create, anchors_read
from aims.activity.keys import keyring
from aims.activity.models import Event
from aims.activity.services import GENESIS, _payload, log_anchor, log_verify, seal_of
from aims.activity.tests.test_chain import append, chain
from aims.orgs.models import Organization


@pytest.fixture
def anchors(settings, tmp_path):
    settings.AIMS_LOG_ANCHOR_FILE = tmp_path / "anchors" / "log_anchors.jsonl"
    settings.AIMS_LOG_ANCHOR_KEY_FILE = tmp_path / "keys" / "log_anchor_key.pem"
    assert anchor_key_create() == settings.AIMS_LOG_ANCHOR_KEY_FILE
    return settings.AIMS_LOG_ANCHOR_FILE


@pytest.fixture
def log(owner_ctx, anchors):
    """Five events, checkpointed at #5."""
    append(owner_ctx, 5 - Event.objects.filter(org=owner_ctx.org).count())
    log_anchor(org=owner_ctx.org)
    return owner_ctx.org


def verify_fails(org, seq: int, *words: str) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("log", "verify", "--org", org.slug)
    message = str(exc.value)
    assert exc.value.returncode != 0
    assert f"broken at event #{seq}" in message, message
    for w in words:
        assert w in message, message
    return message


def rewind_head(org, seq: int) -> None:
    last = Event.objects.filter(org=org, seq=seq).first()
    Organization.objects.filter(pk=org.pk).update(log_head_seq=seq,
                                                  log_head_hash=last.hash if last else "")


@pytest.mark.django_db
class TestTamperCaughtByVerify:
    """Each way of tampering, as someone with write access to the database would try it."""

    def test_intact_log_holds_its_checkpoint(self, log, capsys):
        call_command("log", "verify", "--org", log.slug)
        out = capsys.readouterr().out
        assert "intact: 5 events verified" in out and "holds the checkpoint" in out and "#5" in out
        result = log_verify(org=log)
        assert (result.checkpoint, result.checkpoint_seq) == ("ok", 5)

    def test_edit_an_event(self, log):
        Event.objects.filter(org=log, seq=3).update(object_repr="edited")
        verify_fails(log, 3, "altered")

    def test_delete_an_event(self, log):
        Event.objects.filter(org=log, seq=2).delete()
        verify_fails(log, 2, "missing")

    def test_reorder_events(self, log):
        a, b = Event.objects.get(org=log, seq=3), Event.objects.get(org=log, seq=4)
        Event.objects.filter(pk=a.pk).update(seq=10_000)
        Event.objects.filter(pk=b.pk).update(seq=3)
        Event.objects.filter(pk=a.pk).update(seq=4)
        verify_fails(log, 3, "does not follow")

    def test_insert_an_event(self, log):
        for ev in sorted(chain(log), key=lambda e: -e.seq):
            if ev.seq >= 3:
                Event.objects.filter(pk=ev.pk).update(seq=ev.seq + 1)
        second = Event.objects.get(org=log, seq=2)
        forged = Event(org=log, seq=3, at=second.at, actor_label="forger", action="delete",
                       object_type="risks.risk", object_id="x", object_repr="A risk",
                       changes={}, prev_hash=second.hash, key_id=second.key_id, hash="0" * 64)
        forged.save()
        verify_fails(log, 3, "sealed without the log key")

    def test_truncate_the_tail_and_rewind_the_head(self, log):
        Event.objects.filter(org=log, seq__gte=4).delete()
        rewind_head(log, 3)
        # The chain and the organisation's head agree: only the checkpoint knows.
        verify_fails(log, 4, "checkpoint", "saw #5", "removed from its end")

    def test_wipe_the_whole_log(self, log):
        Event.objects.filter(org=log).delete()
        rewind_head(log, 0)
        verify_fails(log, 1, "checkpoint", "saw #5")

    def test_recompute_every_hash_without_the_key(self, log):
        prev = GENESIS
        for ev in chain(log):
            ev.prev_hash = prev
            ev.object_repr = "rewritten"
            ev.hash = hashlib.sha256(_payload(ev)).hexdigest()
            Event.objects.filter(pk=ev.pk).update(prev_hash=prev, hash=ev.hash,
                                                  object_repr=ev.object_repr)
            prev = ev.hash
        rewind_head(log, 5)
        verify_fails(log, 1, "sealed without the log key")

    def test_rewrite_with_the_key_is_caught_by_the_checkpoint(self, log):
        # Someone holding the seal key but not the checkpoint key rewrites the whole log.
        prev = GENESIS
        for ev in chain(log):
            ev.prev_hash, ev.object_repr = prev, "rewritten"
            ev.hash = seal_of(ev, keyring())
            Event.objects.filter(pk=ev.pk).update(prev_hash=prev, hash=ev.hash,
                                                  object_repr=ev.object_repr)
            prev = ev.hash
        rewind_head(log, 5)
        verify_fails(log, 5, "not the one the checkpoint", "rewritten")

    def test_edited_checkpoint_line(self, log, anchors):
        line = json.loads(anchors.read_text())
        line["seq"] = line["events"] = 3
        anchors.write_text(json.dumps(line) + "\n")
        verify_fails(log, 1, "signature of the checkpoint", "does not verify")

    def test_whole_organisation_deleted_is_named_by_verify_all(self, log, other_org, capsys):
        slug = log.slug
        Organization.objects.filter(pk=log.pk).delete()
        with pytest.raises(CommandError):
            call_command("log", "verify", "--all")
        assert f"Organisation {slug}" in capsys.readouterr().err


@pytest.mark.django_db
class TestAnchor:
    def test_anchor_line(self, log, anchors, owner_ctx):
        a = anchors_read()[str(log.pk)]
        assert (a.org, a.events, a.seq) == (log.slug, 5, 5)
        assert a.head == Organization.objects.get(pk=log.pk).log_head_hash
        assert oct(anchors.stat().st_mode & 0o777) == "0o600"
        append(owner_ctx, 2)
        assert log_verify(org=log).ok  # the log grew past its checkpoint: fine
        call_command("log", "anchor", "--org", log.slug)
        assert len(anchors.read_text().splitlines()) == 2
        assert anchors_read()[str(log.pk)].seq == 7

    def test_anchor_all_and_email(self, log, other_org, anchors, settings, capsys):
        settings.AIMS_LOG_ANCHOR_EMAIL = ["witness@example.org"]
        call_command("log", "anchor", "--all")
        assert set(anchors_read()) == {str(log.pk), str(other_org.pk)}
        assert len(mail.outbox) == 2
        assert mail.outbox[0].to == ["witness@example.org"]
        assert '"sig":' in mail.outbox[0].body
        assert "e-mailed to witness@example.org" in capsys.readouterr().out

    def test_broken_log_is_not_anchored(self, log, anchors):
        Event.objects.filter(org=log, seq=2).update(object_repr="edited")
        with pytest.raises(CommandError, match="No checkpoint was taken"):
            call_command("log", "anchor", "--org", log.slug)
        assert len(anchors.read_text().splitlines()) == 1

    def test_no_signing_key_is_a_clear_error(self, owner_ctx, settings, tmp_path):
        settings.AIMS_LOG_ANCHOR_KEY_FILE = tmp_path / "absent.pem"
        with pytest.raises(CommandError, match="aims init"):
            call_command("log", "anchor", "--org", owner_ctx.org.slug)

    def test_public_key(self, anchors, capsys):
        call_command("log", "public-key")
        assert capsys.readouterr().out.startswith("-----BEGIN PUBLIC KEY-----")

    def test_remind_takes_the_daily_checkpoint(self, log, other_org, anchors):
        call_command("remind")
        assert set(anchors_read()) == {str(log.pk), str(other_org.pk)}
        call_command("remind", "--dry-run")
        assert len(anchors.read_text().splitlines()) == 3


@pytest.mark.django_db
def test_verify_without_checkpoint_says_so(owner_ctx, anchors, capsys):
    call_command("log", "verify", "--org", owner_ctx.org.slug)
    assert "no checkpoint yet" in capsys.readouterr().out


@pytest.mark.django_db
def test_web_and_api_show_the_checkpoint(log, members, web_client_for, api_client_for):
    body = web_client_for(members["auditor"]).get(f"/o/{log.slug}/activity/",
                                                  {"verify": "1"}).content.decode()
    assert "The chain is intact" in body and "latest checkpoint" in body and "#5" in body
    api = api_client_for(members["viewer"])
    data = api.get(f"/api/v1/orgs/{log.slug}/activity/verify").json()
    assert data["ok"] and (data["checkpoint"], data["checkpoint_seq"]) == ("ok", 5)
    Event.objects.filter(org=log, seq__gte=4).delete()
    rewind_head(log, 3)
    data = api.get(f"/api/v1/orgs/{log.slug}/activity/verify").json()
    assert (data["ok"], data["first_bad_seq"], data["checkpoint"]) == (False, 4, "failed")
    body = web_client_for(members["auditor"]).get(f"/o/{log.slug}/activity/",
                                                  {"verify": "1"}).content.decode()
    assert "broken at event #4" in body and "removed from its end" in body
