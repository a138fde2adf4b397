"""Running a service from a Django form: domain errors land on the form, not in a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from aims.core.errors import Conflict, ValidationError


def run_service(form: forms.Form, call: Callable[[], Any]) -> tuple[Any, int | None]:
    """Call the service; on failure put its errors on `form` and return (None, status)."""
    try:
        return call(), None
    except ValidationError as exc:
        for field, messages in exc.errors.items():
            target = field if field in form.fields else None
            for message in messages:
                if target is None and field != "__all__":
                    message = f"{field}: {message}"
                form.add_error(target, message)
        return None, 422
    except Conflict as exc:
        form.add_error(None, exc.message)
        form.conflict = exc.current
        _adopt_current_version(form, exc.current.get("version"))
        return None, 409


def _adopt_current_version(form: forms.Form, version: int | None) -> None:
    """After a conflict the user has seen the newer values; saving again is a choice they make
    knowingly, so the re-rendered form carries the current version with their own edits."""
    if version is None or "version" not in form.fields or not form.is_bound:
        return
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


class VersionedForm(forms.Form):
    """A form that carries the version it was rendered from, for the stale-write check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def describe_fields(form: forms.Form) -> None:
    """Copy model help texts and mark required fields for assistive technology."""
    for field in form.fields.values():
        if field.required:
            field.widget.attrs.setdefault("required", "required")
            field.widget.attrs.setdefault("aria-required", "true")


class DatePicker(forms.DateInput):
    """A native date picker; browsers only accept ISO dates in its value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
