from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aims.accounts import selectors, services
from aims.accounts.forms import TokenForm
from aims.accounts.reauth import require_recent_authentication
from aims.core.errors import NotFound


@login_required
def profile(request):
    return render(request, "accounts/profile.html",
                  {"profile": selectors.profile_get(user=request.user)})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST":
        require_recent_authentication(request)
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                           expires_in_days=form.cleaned_data["expires_in_days"])
        created = {"token": token, "raw": raw}
        form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "created": created, "tokens": services.token_list(user=request.user),
    })


@require_POST
@login_required
def token_revoke(request, token_id):
    try:
        token = services.token_revoke(user=request.user, token_id=token_id)
    except NotFound:
        messages.error(request, "Token not found.")
        return redirect("accounts:tokens")
    messages.success(request, f"Revoked {token.name}. It no longer works.")
    return redirect("accounts:tokens")
