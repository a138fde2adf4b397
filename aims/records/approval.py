"""The one approval workflow: draft → in review → approved, or returned to draft.

A record that is approved (a document version, an impact assessment, and next the SoA and
its exceptions) is written as a draft by its author and contributors, submitted for review,
then approved or sent back by a second person: never the author, the submitter or anyone who
edited it since it was last sent back. The steps below hold the rules; each app's service
adds what is its own (what approving supersedes, when the next review falls due) and writes
through `aims.records.writes`, so every step is logged.

The model of an approved record carries `author`, `contributors` (many-to-many),
`submitted_by`, `submitted_at`, `reviewed_by`, `reviewed_at`, `review_comment`, `approved_by`
and `approved_on`, and mixes in `Approvable`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from pydantic import Field

from aims.core.api import VERSION_FIELD, InSchema
from aims.core.errors import PermissionDenied, ValidationError
from aims.core.forms import DatePicker, describe_fields
from aims.orgs.context import Ctx
from aims.orgs.permissions import Role

SECOND_PERSON_RULE = "the approver must not have written or submitted this version"
# The shortest reason for sending something back that still tells the author what to do.
MIN_REASON = 10


class Approvable:
    """What an approved record's model knows about who may approve it."""

    def barred_approver_ids(self) -> set:
        """Who may not approve it: its author, its submitter and anyone who edited it since
        it was last sent back (one query for the editors)."""
        ids = {self.author_id, self.submitted_by_id}  # type: ignore[attr-defined]
        ids.update(self.contributors.values_list("pk", flat=True))  # type: ignore[attr-defined]
        ids.discard(None)
        return ids

    @property
    def recorded_later_on(self) -> datetime.date | None:
        """The day the approval was entered, when that was after the day it was given."""
        return recorded_later(self.approved_on,  # type: ignore[attr-defined]
                              self.reviewed_at)  # type: ignore[attr-defined]


def note_contributor(ctx: Ctx, obj: Approvable) -> None:
    """Remember that ctx.user wrote this version: they may not approve it."""
    if ctx.user is not None:
        obj.contributors.add(ctx.user)  # type: ignore[attr-defined]


def barred(ctx: Ctx, obj: Any, in_review: str) -> bool:
    """Whether ctx.user may not approve `obj`, in review (status `in_review`), because they
    wrote, edited or submitted it: a page says so instead of offering the approval."""
    return (obj is not None and ctx.user is not None and obj.status == in_review
            and ctx.user.pk in obj.barred_approver_ids())


def require_person(ctx: Ctx, noun: str, doing: str) -> None:
    """Approving and returning are acts of a named person: `noun` ("An assessment")."""
    if ctx.user is None:
        raise PermissionDenied(f"{noun} is {doing} by a named person, not from the command line.")


def require_second_person(ctx: Ctx, obj: Approvable) -> None:
    """Refuse an approval by anyone who wrote, edited or submitted `obj`."""
    assert ctx.user is not None, "call require_person first"
    if ctx.user.pk in obj.barred_approver_ids():
        raise PermissionDenied(
            f"You cannot approve {obj}: {SECOND_PERSON_RULE} (you wrote, edited or submitted it "
            "since it was last sent back). Approval needs a second person (approver ≠ author): "
            "ask another owner or admin to review it.")


def submission(ctx: Ctx, in_review: str) -> dict[str, Any]:
    """The changes that send a draft for review (status `in_review`)."""
    return {"status": in_review, "submitted_at": timezone.now(), "submitted_by": ctx.user}


HISTORY_ROLES = (Role.OWNER, Role.ADMIN)


def require_history(ctx: Ctx, what: str) -> None:
    """Recording something with the day it really happened, before it was entered here, is
    for owners and admins (`what`: "an approval")."""
    if ctx.role not in HISTORY_ROLES:
        raise PermissionDenied(
            f"Recording {what} with the date it really happened is for owners and admins: "
            "ask one of them to enter it.")


def happened_date(ctx: Ctx, happened_on: datetime.date, what: str,
                  field: str = "happened_on") -> datetime.date:
    """The day something recorded later really happened: an owner's or admin's word, never
    in the future. The activity log keeps the real time of entry."""
    require_history(ctx, what)
    if happened_on > timezone.localdate():
        raise ValidationError({field: ["The date it happened cannot be in the future."]})
    return happened_on


def recorded_later(happened: datetime.date | None, recorded_at: datetime.datetime | None
                   ) -> datetime.date | None:
    """The day a record of something that happened on `happened` was entered, when that was
    a later day (None when entered the same day)."""
    if happened is None or recorded_at is None:
        return None
    entered = timezone.localdate(recorded_at)
    return entered if entered > happened else None


def approval_date(obj: Any, approved_on: datetime.date | None, noun: str, *,
                  ctx: Ctx | None = None, happened_on: datetime.date | None = None
                  ) -> datetime.date:
    """The day of an approval: today unless given, never in the future, never before `obj`
    (`noun`: "the version") was submitted for review, unless an owner or admin records an
    approval given before it was entered here (`happened_on`: the date it happened)."""
    if happened_on is not None:
        assert ctx is not None, "a historical approval names who records it"
        if approved_on is not None and approved_on != happened_on:
            raise ValidationError({"happened_on": [
                "Give the date it happened or the approval date, not two different days."]})
        return happened_date(ctx, happened_on, "an approval")
    today = timezone.localdate()
    approved_on = approved_on or today
    if approved_on > today:
        raise ValidationError({"approved_on": ["An approval cannot be dated in the future."]})
    if obj.submitted_at is not None:
        submitted_on = timezone.localdate(obj.submitted_at)
        if approved_on < submitted_on:
            raise ValidationError({"approved_on": [
                f"An approval cannot be dated before {noun} was submitted for review "
                f"({submitted_on:%Y-%m-%d}): approved_on must be on or after that date."]})
    return approved_on


def approval(ctx: Ctx, approved: str, approved_on: datetime.date,
             comment: str) -> dict[str, Any]:
    """The changes that approve a record (status `approved`) on `approved_on`."""
    return {"status": approved, "approved_by": ctx.user, "approved_on": approved_on,
            "reviewed_by": ctx.user, "reviewed_at": timezone.now(),
            "review_comment": (comment or "").strip()}


def return_reason(comment: str) -> str:
    """The reviewer's reason for sending a record back, which the author must be able to act
    on."""
    comment = (comment or "").strip()
    if len(comment) < MIN_REASON:
        raise ValidationError({"comment": [
            "Say what must change before it can be approved (at least a short sentence)."]})
    return comment


def returned(ctx: Ctx, draft: str, comment: str) -> dict[str, Any]:
    """The changes that send a record in review back to draft (status `draft`)."""
    return {"status": draft, "submitted_at": None, "submitted_by": None,
            "reviewed_by": ctx.user, "reviewed_at": timezone.now(), "review_comment": comment}


def after_return(obj: Approvable) -> None:
    """Whoever edits a returned draft from here on is its writer for the next review."""
    obj.contributors.clear()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- the web forms

OUT_OF_DATE = "This page is out of date. Reload it and try again."


class DecisionForm(forms.Form):
    """A decision quotes the version it was taken on: a changed record is not decided
    unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": OUT_OF_DATE, "invalid": OUT_OF_DATE})


class ApproveForm(DecisionForm):
    comment = forms.CharField(
        required=False, label="Approval comment", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: conditions or remarks that go with the approval.")
    approved_on = forms.DateField(
        required=False, label="Approved on", widget=DatePicker,
        help_text="Today unless the sign-off was given earlier, e.g. at a board meeting or on "
                  "paper (not before it was submitted).")
    happened_on = forms.DateField(
        required=False, label="Date it happened", widget=DatePicker,
        help_text="Only when entering an approval given before this record was kept here "
                  "(last year's board sign-off, a signature on paper): the day it really "
                  "happened, even before the submission. The record will say it was recorded "
                  "later, on which day and by whom; due dates count from this date. Owners and "
                  "admins only.")


class ReturnForm(DecisionForm):
    comment = forms.CharField(
        label="What must change", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say what the author must fix or add before it can be approved.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        describe_fields(self)


# ---------------------------------------------------------------------------- the API bodies


class ApproveIn(InSchema):
    version: int = Field(description="The version you reviewed; approving a changed one gets "
                                     "409.")
    comment: str = Field("", description="Conditions or remarks that go with the approval.")
    approved_on: datetime.date | None = Field(
        None, description="Defaults to today; an earlier date records a sign-off given before "
                          "it was entered here, but not before the submission.")
    happened_on: datetime.date | None = Field(
        None, description="The date an approval given before it was entered here really "
                          "happened (may precede the submission; owners and admins only). The "
                          "record shows it was recorded later and by whom; due dates count "
                          "from it.")


class ReturnIn(InSchema):
    version: int = VERSION_FIELD
    comment: str = Field(min_length=1, description="What must change before approval.")

