"""Integrations in the web UI: the organisation's integration tokens (owners and admins), and
importing a model card onto an AI system."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.core.errors import ValidationError
from aims.core.uploads import accepts_upload
from aims.core.views import submit
from aims.integrations import modelcard, selectors, services
from aims.integrations.forms import IntegrationTokenForm, ModelCardForm
from aims.inventory.selectors import ai_system_choices, ai_system_get
from aims.orgs.decorators import org_view


@org_view
def token_list(request):
    """The integration tokens, and a form to issue one; the new secret is shown once."""
    ctx = request.ctx
    ctx.require(services.MANAGE)
    choices = ai_system_choices(ctx=ctx, mark_retired=True)
    form = IntegrationTokenForm(request.POST or None, systems=choices)
    done = submit(request, form, lambda: services.integration_token_create(
        ctx=ctx, **form.service_data()))
    created = secret = None
    if done.ok:
        created, secret = done.result
        form = IntegrationTokenForm(systems=choices)
    names = dict(choices)
    tokens = list(selectors.integration_token_list(ctx=ctx))
    rows = [(t, [names.get(s, "a deleted AI system") for s in t.systems]) for t in tokens]
    return render(request, "integrations/tokens.html", {
        "form": form, "rows": rows, "created": created, "secret": secret,
        "server_url": request.build_absolute_uri("/").rstrip("/"),
    }, status=done.status)


@require_POST
@org_view
def token_revoke(request, integration_token_id):
    ctx = request.ctx
    token = services.integration_token_revoke(ctx=ctx, token_id=integration_token_id)
    messages.success(request, f"Revoked “{token.name}”: it stopped working at once.")
    return redirect("integrations:list", ctx.org.slug)


@accepts_upload
@org_view
def model_card(request, system_id):
    """Upload a model card for an AI system; the page then shows what it filled and what the
    card leaves empty."""
    ctx = request.ctx
    ctx.require(services.PUSH)
    system = ai_system_get(ctx=ctx, system_id=system_id)
    form = ModelCardForm(request.POST or None, request.FILES or None)

    def run():
        upload = form.cleaned_data["file"]
        if upload.size > modelcard.MAX_BYTES:
            raise ValidationError({"file": [
                f"A model card may be at most {modelcard.MAX_BYTES // 1024 // 1024} MB."]})
        return services.model_card_import(ctx=ctx, system_id=system.pk, content=upload.read(),
                                          file_name=upload.name or "")

    done = submit(request, form, run)
    return render(request, "integrations/model_card.html", {
        "form": form, "system": system, "done": done.result if done.ok else None,
        "parts": modelcard.PARTS, "card_controls": modelcard.CARD_CONTROLS,
        "evidence_url": reverse("evidence:list", args=[ctx.org.slug]),
    }, status=done.status)
