"""Organisations and who belongs to them: the chooser, starting an organisation, members."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.accounts.reauth import require_recent_authentication
from aims.accounts.services import user_create
from aims.core.errors import DomainError, NotFound, ValidationError
from aims.core.views import posted_version, submit
from aims.members import invitations, services
from aims.members import selectors as invitation_selectors
from aims.members.forms import (
    InvitationForm,
    InvitedSignUpForm,
    MemberEditForm,
    MemberRoleForm,
    OrgCreateForm,
    SecurityForm,
)
from aims.members.models import InvitationStatus
from aims.orgs import selectors
from aims.orgs.decorators import org_view


@login_required
def home(request):
    """Straight into the only organisation, or a chooser when there are several."""
    memberships = list(selectors.membership_list_for_user(user=request.user))
    invites = list(invitation_selectors.invitation_list_for_user(user=request.user))
    upcoming = list(selectors.membership_upcoming_for_user(user=request.user))
    if len(memberships) == 1 and not invites and not upcoming:
        return redirect("dashboard:index", memberships[0].org.slug)
    return render(request, "members/home.html", {"memberships": memberships,
                                                 "invitations": invites,
                                                 "upcoming": upcoming})


@login_required
def org_new(request):
    """Anyone signed in may start an organisation (consultants add one per client) unless the
    operator limits it to staff with AIMS_ORG_CREATION=staff."""
    if not services.org_creation_allowed(user=request.user):
        raise PermissionDenied("Only operators can create organisations on this instance.")
    form = OrgCreateForm(request.POST or None)
    done = submit(request, form, lambda: services.org_start(
        user=request.user, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"]))
    if done.ok:
        messages.success(request, f"Created {done.result.name}. You are its owner.")
        return redirect("dashboard:index", done.result.slug)
    return render(request, "members/new.html", {"form": form}, status=done.status)


@org_view
def members(request):
    """Members with their roles and access dates; for admins, the invitations too."""
    ctx = request.ctx
    manage = ctx.can("members.manage")
    rows = [(m, MemberRoleForm(initial={"role": m.role, "version": m.version},
                               prefix=str(m.pk)))
            for m in selectors.member_list(ctx=ctx)]
    invites = list(invitation_selectors.invitation_list(ctx=ctx)[:200]) if manage else []
    security = SecurityForm(initial={
        "require_mfa": ctx.org.require_mfa,
        "version": services.org_security_version(org=ctx.org)}) if ctx.can("org.manage") else None
    return render(request, "members/members.html", {
        "rows": rows, "security": security, "today": timezone.localdate(),
        "pending": [i for i in invites if i.status == InvitationStatus.PENDING],
        "closed": [i for i in invites if i.status != InvitationStatus.PENDING][:20]})


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@org_view
def invite(request):
    """Invite someone by e-mail; they join only once they accept."""
    ctx = request.ctx
    ctx.require("members.manage")
    form = InvitationForm(request.POST or None)
    done = submit(request, form, lambda: invitations.invitation_create(
        ctx=ctx, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
        starts_on=form.cleaned_data["starts_on"], ends_on=form.cleaned_data["ends_on"],
        base_url=_base_url(request)))
    if done.ok:
        messages.success(request, f"Invitation sent to {done.result.email}. It works for "
                                  f"{settings.AIMS_INVITATION_DAYS} days; the person joins "
                                  "once they accept it.")
        return redirect("members:list", ctx.org.slug)
    return render(request, "members/invite.html",
                  {"form": form, "days": settings.AIMS_INVITATION_DAYS}, status=done.status)


@org_view
def member_edit(request, member_id):
    """A member's role and the days their access is limited to."""
    ctx = request.ctx
    ctx.require("members.manage")
    m = selectors.member_get(ctx=ctx, membership_id=member_id)
    form = MemberEditForm(request.POST or None, initial={
        "role": m.role, "starts_on": m.starts_on, "ends_on": m.ends_on, "version": m.version})
    done = submit(request, form, lambda: services.member_update(
        ctx=ctx, membership_id=m.pk, version=form.cleaned_data["version"],
        data={k: form.cleaned_data[k] for k in ("role", "starts_on", "ends_on")}))
    if done.ok:
        messages.success(request, f"Saved {m.user.email}'s access.")
        return redirect("members:list", ctx.org.slug)
    return render(request, "members/edit.html", {"form": form, "member": m},
                  status=done.status)


@require_POST
@org_view
def member_role(request, member_id):
    ctx = request.ctx
    # Refuse and 404 before reading the form, so the answer never depends on what was posted.
    ctx.require("members.manage")
    selectors.member_get(ctx=ctx, membership_id=member_id)
    form = MemberRoleForm(request.POST, prefix=str(member_id))
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect("members:list", ctx.org.slug)
    m = services.member_set_role(ctx=ctx, membership_id=member_id,
                                 role=form.cleaned_data["role"],
                                 version=form.cleaned_data["version"])
    messages.success(request, f"{m.user.email} is now {m.role}.")
    return redirect("members:list", ctx.org.slug)


@require_POST
@org_view
def member_end(request, member_id):
    """End a time-boxed member's access today."""
    ctx = request.ctx
    m = services.member_end_access(ctx=ctx, membership_id=member_id,
                                   version=posted_version(request))
    messages.success(request, f"{m.user.email}'s access has ended.")
    return redirect("members:list", ctx.org.slug)


@require_POST
@org_view
def member_remove(request, member_id):
    ctx = request.ctx
    # Refuse (403/404) first, then ask for the password again if it was not given recently.
    ctx.require("members.manage")
    selectors.member_get(ctx=ctx, membership_id=member_id)
    require_recent_authentication(request)
    services.member_remove(ctx=ctx, membership_id=member_id, version=posted_version(request))
    messages.success(request, "Member removed.")
    return redirect("members:list", ctx.org.slug)


@require_POST
@org_view
def security(request):
    """Owners require (or stop requiring) two-factor authentication of every member."""
    ctx = request.ctx
    ctx.require("org.manage")
    form = SecurityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete: reload the page and try again.")
        return redirect("members:list", ctx.org.slug)
    services.org_security_update(ctx=ctx, require_mfa=form.cleaned_data["require_mfa"],
                                 version=form.cleaned_data["version"])
    if ctx.org.require_mfa:
        messages.success(request, "Every member now needs two-factor authentication to open "
                                  f"{ctx.org.name}.")
    else:
        messages.success(request, "Two-factor authentication is no longer required.")
    return redirect("members:list", ctx.org.slug)


@require_POST
@org_view
def invitation_resend(request, invitation_id):
    ctx = request.ctx
    inv = invitations.invitation_resend(ctx=ctx, invitation_id=invitation_id,
                                        version=posted_version(request),
                                        base_url=_base_url(request))
    messages.success(request, f"Sent the invitation to {inv.email} again with a new link; "
                              "the earlier link no longer works.")
    return redirect("members:list", ctx.org.slug)


@require_POST
@org_view
def invitation_revoke(request, invitation_id):
    ctx = request.ctx
    inv = invitations.invitation_revoke(ctx=ctx, invitation_id=invitation_id,
                                        version=posted_version(request))
    messages.success(request, f"Revoked the invitation of {inv.email}; its link no longer "
                              "works.")
    return redirect("members:list", ctx.org.slug)


# --------------------------------------------------------------------------- the invitee's side


def _refused(request, exc: DomainError):
    return render(request, "refused.html",
                  {"message": exc.message, "back": reverse("home")}, status=exc.status)


def invitation_open(request, token):
    """The page an invitation's link opens: what is offered, and the way to accept it —
    sign in or create an account with the invited address first."""
    try:
        inv = invitation_selectors.invitation_get_by_token(raw=token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    user = request.user
    signed_in = user.is_authenticated
    matches = signed_in and user.email.lower() == inv.email.lower()
    return render(request, "members/invitation.html", {
        "inv": inv, "matches": matches, "signed_in": signed_in, "token": token,
        "next": request.get_full_path()})


def _account_create(inv, data):
    """The account of the invited address, its errors named after the sign-up form's fields."""
    try:
        return user_create(email=inv.email, password=data["password1"],
                           full_name=data["full_name"].strip())
    except ValidationError as exc:
        errors = {"password1" if k == "password" else k: v for k, v in exc.errors.items()}
        if "email" in errors:
            errors = {"__all__": [f"An account with {inv.email} exists already: sign in with it "
                                  "instead, then accept the invitation."]}
        raise ValidationError(errors) from exc


def invitation_signup(request, token):
    """A new account for the invited address, then back to the invitation to accept it."""
    try:
        inv = invitation_selectors.invitation_get_by_token(raw=token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    back = reverse("invitations:open", args=[token])
    if not inv.is_open:
        return redirect(back)
    form = InvitedSignUpForm(request.POST or None)
    done = submit(request, form, lambda: _account_create(inv, form.cleaned_data))
    if done.ok:
        login(request, done.result, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. Accept or decline the invitation.")
        return redirect(back)
    return render(request, "members/signup.html", {"form": form, "inv": inv, "back": back},
                  status=done.status)


@require_POST
@login_required
def invitation_accept(request, invitation_id):
    try:
        m = invitations.invitation_accept(user=request.user, invitation_id=invitation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _refused(request, exc)
    messages.success(request, f"Welcome to {m.org.name}. You are a{'n' if m.role[0] in 'aeiou' else ''} {m.role}.")
    if not m.is_current():
        return redirect("home")
    return redirect("dashboard:index", m.org.slug)


@require_POST
@login_required
def invitation_decline(request, invitation_id):
    try:
        inv = invitations.invitation_decline(user=request.user, invitation_id=invitation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _refused(request, exc)
    messages.success(request, f"Declined the invitation to {inv.org.name}.")
    return redirect("home")
