"""Organisations and who belongs to them: the chooser, starting an organisation, members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aims.accounts.reauth import require_recent_authentication
from aims.core.views import submit
from aims.members import services
from aims.members.forms import MemberAddForm, MemberRoleForm, OrgCreateForm, SecurityForm
from aims.orgs import selectors
from aims.orgs.decorators import org_view


@login_required
def home(request):
    """Straight into the only organisation, or a chooser when there are several."""
    memberships = list(selectors.membership_list_for_user(user=request.user))
    if len(memberships) == 1:
        return redirect("dashboard:index", memberships[0].org.slug)
    return render(request, "members/home.html", {"memberships": memberships})


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
    ctx = request.ctx
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        ctx.require("members.manage")
    done = submit(request, form, lambda: services.member_add_by_email(
        ctx=ctx, email=form.cleaned_data["email"], role=form.cleaned_data["role"]))
    if done.ok:
        messages.success(request, f"Added {done.result.user.email} as {done.result.role}.")
        return redirect("members:list", ctx.org.slug)
    rows = [(m, MemberRoleForm(initial={"role": m.role, "version": m.version},
                               prefix=str(m.pk)))
            for m in selectors.member_list(ctx=ctx)]
    security = SecurityForm(initial={
        "require_mfa": ctx.org.require_mfa,
        "version": services.org_security_version(org=ctx.org)}) if ctx.can("org.manage") else None
    return render(request, "members/members.html",
                  {"form": form, "rows": rows, "security": security}, status=done.status)


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
def member_remove(request, member_id):
    ctx = request.ctx
    # Refuse (403/404) first, then ask for the password again if it was not given recently.
    ctx.require("members.manage")
    selectors.member_get(ctx=ctx, membership_id=member_id)
    require_recent_authentication(request)
    services.member_remove(ctx=ctx, membership_id=member_id)
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
