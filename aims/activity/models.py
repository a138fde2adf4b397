from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """One append-only entry, sealed and chained, of an organisation's activity log."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The actor's id as sealed: it survives the user's deletion (which empties `actor`).
    actor_ref = models.CharField(max_length=64, blank=True, default="")
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Which log key sealed `hash` (aims.activity.keys); empty for events written before keyed
    # sealing, which verify refuses until `aims log seal` (run by `aims init`) re-seals them.
    key_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "seq"], name="event_unique_seq_per_org")
        ]
        indexes = [
            models.Index(fields=["org", "object_type", "object_id"]),
            models.Index(fields=["org", "at"]),
        ]
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_repr}"
