"""The shape every form page shares: validate, call one service, then redirect or re-render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aims.core.api import MAX_TEXT
from aims.core.forms import ConfirmDeleteForm, run_service


@dataclass(frozen=True)
class Submission:
    """What became of a form: `ok` with the service's result, or the status to re-render with."""

    ok: bool
    result: Any = None
    status: int = 200


def text_bounded(form) -> bool:
    """Every text a valid form carries is at most MAX_TEXT characters (a field with a smaller
    bound of its own has checked it already); longer ones are put on the form as errors."""
    for name, value in list(form.cleaned_data.items()):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            form.add_error(name, f"At most {MAX_TEXT} characters (this is {len(value)}).")
    return not form.errors


def submit(request: HttpRequest, form, call: Callable[[], Any]) -> Submission:
    """On POST, validate `form` and run `call`; errors land on the form (422, or 409)."""
    if request.method != "POST":
        return Submission(False)
    if not form.is_valid() or not text_bounded(form):
        return Submission(False, status=422)
    result, status = run_service(form, call)
    if status is not None:
        return Submission(False, status=status)
    return Submission(True, result)


def list_filters(form, filters_class: type) -> tuple[Any, bool]:
    """The filters a list page's filter form asks for (the defaults when it is empty or
    invalid), and whether any is set: a blank choice reads "", an empty typed field None."""
    filters = filters_class(**form.cleaned_data) if form.is_valid() else filters_class()
    return filters, any(v not in ("", None) for v in vars(filters).values())


def posted_version(request: HttpRequest) -> int | None:
    """The version a one-button POST form quotes (None when missing: the service says so)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


# A text of a delete page: a format string given `obj` (and `name`, the record's name as the
# page shows it), or a function (ctx, obj) -> str for what a format string cannot say.
Text = str | Callable[[Any, Any], str]


@dataclass(frozen=True)
class DeletePage:
    """The page that deletes one record, declared instead of written: confirm, then delete at
    the version the person saw (a changed record is shown again, 409, not removed unseen).

    `get` and `delete` are the record's selector and service, called with the URL's keyword
    arguments (`risk_id=…`) plus `ctx` (and `version` for the delete); `names` renames URL
    keywords the selector and service call otherwise ({"aims_role_id": "role_id"}). `back` is
    the URL name of the list it returns to (or a function (ctx, obj) -> URL), `back_label`
    that list's name; `after` is where to go once deleted when `back` is the record's own page
    (default: `back`). `kind` names the kind of record, `name` the record; `done` is the
    message shown afterwards and `hint` says what to do instead. Texts are formatted with
    `obj` and `name`, or are functions (ctx, obj).
    Wrap it for the web door: `risk_delete = org_view(DeletePage(...).view)`.
    """

    perm: str
    get: Callable[..., Any]
    delete: Callable[..., Any]
    kind: Text
    back: str | Callable[[Any, Any], str]
    back_label: Text
    done: Text = "Deleted {name}. Its last values are kept in the activity log."
    hint: Text = ""
    name: Text = "{obj}"
    after: str | Callable[[Any, Any], str] | None = None
    names: dict[str, str] = field(default_factory=dict)

    def view(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        ctx = request.ctx  # type: ignore[attr-defined]
        ctx.require(self.perm)
        return self.confirm(request, self.get(ctx=ctx, **self._args(kwargs)), **kwargs)

    def confirm(self, request: HttpRequest, obj: Any, **kwargs: Any) -> HttpResponse:
        """The page for `obj`, already read (by a view that looks at it first)."""
        ctx = request.ctx  # type: ignore[attr-defined]
        args = self._args(kwargs)
        back = self._url(self.back, ctx, obj)
        form = ConfirmDeleteForm(request.POST or None, initial={"version": obj.version})
        done = submit(request, form, lambda: self.delete(
            ctx=ctx, version=form.cleaned_data["version"], **args))
        if done.ok:
            messages.success(request, self._text(self.done, ctx, obj))
            return redirect(back if self.after is None else self._url(self.after, ctx, obj))
        if getattr(form, "conflict", None):
            obj = self.get(ctx=ctx, **args)  # the values that changed meanwhile
        return render(request, "confirm_delete.html", {
            "form": form, "object": obj, "list_url": back,
            "kind_label": self._text(self.kind, ctx, obj), "name": self._name(ctx, obj),
            "list_label": self._text(self.back_label, ctx, obj),
            "hint": self._text(self.hint, ctx, obj)}, status=done.status)

    def _args(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {self.names.get(k, k): v for k, v in kwargs.items()}

    @staticmethod
    def _url(target: str | Callable[[Any, Any], str], ctx, obj) -> str:
        return reverse(target, args=[ctx.org.slug]) if isinstance(target, str) else target(ctx, obj)

    def _text(self, text: Text, ctx, obj) -> str:
        return text(ctx, obj) if callable(text) else text.format(obj=obj,
                                                                 name=self._name(ctx, obj))

    def _name(self, ctx, obj) -> str:
        return self.name(ctx, obj) if callable(self.name) else self.name.format(obj=obj)
