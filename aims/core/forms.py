"""Running a service from a Django form: domain errors land on the form, not in a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict
from django.utils.html import format_html

from aims.core.errors import Conflict, ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
        # Not a declared attribute: the form templates show it when a form has one.
        form.conflict = _labelled(form, exc.current)  # type: ignore[attr-defined]
        _adopt_current_version(form, exc.current)
        return None, 409


HIDDEN_IN_CONFLICT = {"id", "version", "number"}


def _labelled(form: forms.Form, current: dict[str, Any]) -> list[tuple[StrOrPromise, Any]]:
    """The other change's values with the form's own labels, for people rather than code."""
    rows: list[tuple[StrOrPromise, Any]] = []
    for key, value in current.items():
        if key in HIDDEN_IN_CONFLICT:
            continue
        field = form.fields.get(key)
        label = field.label if field is not None and field.label else key.replace("_", " ").capitalize()
        choices = getattr(field, "choices", None)
        if choices and not isinstance(value, list):
            value = dict((str(k), v) for k, v in choices).get(str(value), value)
        rows.append((label, value))
    return rows


def _adopt_current_version(form: forms.Form, current: dict[str, Any]) -> None:
    """After a conflict the user has seen the newer values; saving again is a choice they make
    knowingly, so the re-rendered form carries the current version with their own edits.
    A form names its version field and the matching key of the current values in
    `conflict_version` (default: both "version")."""
    field, key = getattr(form, "conflict_version", ("version", "version"))
    if current.get(key) is None or field not in form.fields or not form.is_bound:
        return
    # Bound to a request's QueryDict, or to a dict.
    data = cast("QueryDict | dict[str, Any]", form.data).copy()
    data[form.add_prefix(field)] = str(current[key])
    form.data = data


class ConfirmDeleteForm(forms.Form):
    """A delete names the version the person saw, so a changed record is not removed unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "This page is out of date. Reload it and try again.",
        "invalid": "This page is out of date. Reload it and try again.",
    })


class VersionedForm(forms.Form):
    """A form that carries the version it was rendered from, for the stale-write check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The choice field `name` of `form`, to give it choices known only per request."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


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


class PickerCheckboxes(forms.CheckboxSelectMultiple):
    """A list of records to tick, instead of a Ctrl-click multi-select: plain checkboxes that
    work with the keyboard and without JavaScript; app.js adds a filter box and a count of
    what is chosen when the list is long."""

    def render(self, name, value, attrs=None, renderer=None):
        inner = super().render(name, value, attrs, renderer)
        return format_html('<div class="checkbox-list picker" data-picker>{}</div>', inner)
