"""The shape every form page shares: validate, call one service, then redirect or re-render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aims.core.forms import ConfirmDeleteForm, run_service


@dataclass(frozen=True)
class Submission:
    """What became of a form: `ok` with the service's result, or the status to re-render with."""

    ok: bool
    result: Any = None
    status: int = 200


def submit(request: HttpRequest, form, call: Callable[[], Any]) -> Submission:
    """On POST, validate `form` and run `call`; errors land on the form (422, or 409)."""
    if request.method != "POST":
        return Submission(False)
    if not form.is_valid():
        return Submission(False, status=422)
    result, status = run_service(form, call)
    if status is not None:
        return Submission(False, status=status)
    return Submission(True, result)


def posted_version(request: HttpRequest) -> int | None:
    """The version a one-button POST form quotes (None when missing: the service says so)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class DeletePage:
    """The page that deletes one record, declared instead of written: confirm, then delete at
    the version the person saw (a changed record is shown again, 409, not removed unseen).

    `get` and `delete` are the record's selector and service, called with the URL's keyword
    arguments (`risk_id=…`) plus `ctx` (and `version` for the delete). `back` is the URL name
    of the list it returns to (or a function (ctx, obj) -> URL), `back_label` that list's
    name; `done` is the message shown afterwards, formatted with `obj`.
    Wrap it for the web door: `risk_delete = org_view(DeletePage(...).view)`.
    """

    perm: str
    get: Callable[..., Any]
    delete: Callable[..., Any]
    kind: str
    back: str | Callable[[Any, Any], str]
    back_label: str
    done: str = "Deleted {obj}. Its last values are kept in the activity log."
    hint: str = ""

    def view(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        ctx = request.ctx  # type: ignore[attr-defined]
        ctx.require(self.perm)
        obj = self.get(ctx=ctx, **kwargs)
        back = (reverse(self.back, args=[ctx.org.slug]) if isinstance(self.back, str)
                else self.back(ctx, obj))
        return delete_page(
            request, obj=obj,
            delete=lambda version: self.delete(ctx=ctx, version=version, **kwargs),
            reload=lambda: self.get(ctx=ctx, **kwargs),
            done_url=back, done_message=self.done.format(obj=obj),
            context={"kind_label": self.kind, "name": str(obj), "list_label": self.back_label,
                     "list_url": back, "hint": self.hint})


def delete_page(request: HttpRequest, *, obj, delete: Callable[[int], Any],
                reload: Callable[[], Any], done_url: str, done_message: str,
                context: dict[str, Any]) -> HttpResponse:
    """Confirm, then delete `obj` at the version the person saw; a changed record is shown
    again (409) instead of being removed unseen."""
    form = ConfirmDeleteForm(request.POST or None, initial={"version": obj.version})
    done = submit(request, form, lambda: delete(form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, done_message)
        return redirect(done_url)
    if getattr(form, "conflict", None):
        obj = reload()
    return render(request, "confirm_delete.html", {**context, "form": form, "object": obj},
                  status=done.status)
