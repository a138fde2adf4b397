"""The fundamental rights impact assessment (EU AI Act, Art. 27) as part of the impact
assessment: the deployer adds only what the assessment lacks; the PDF reuses the rest."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aims.core.errors import ValidationError
from aims.impact import services

pytestmark = pytest.mark.django_db

FRIA = {
    "fria_required": True,
    "fria_process": "Credit officers use the score when deciding consumer loan applications.",
    "fria_period": "From March 2026 for at least three years, on every application.",
    "fria_measures": "Declines are suspended and re-decided by hand; the complaints desk "
                     "offers a review within ten working days.",
}


def test_a_fria_must_be_complete_before_review(ctx, draft):
    a = services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                                   data={"fria_required": True})
    with pytest.raises(ValidationError) as exc:
        services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)
    assert {"fria_process", "fria_period", "fria_measures"} <= set(exc.value.errors)
    a = services.assessment_update(ctx=ctx, assessment_id=a.pk, version=a.version, data=FRIA)
    assert services.assessment_submit(ctx=ctx, assessment_id=a.pk,
                                      version=a.version).status == "in_review"


def test_the_authority_cannot_be_notified_in_the_future(ctx, draft):
    with pytest.raises(ValidationError) as exc:
        services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                                   data={"fria_notified_on": timezone.localdate()
                                         + datetime.timedelta(days=1)})
    assert "future" in exc.value.errors["fria_notified_on"][0]


def test_the_fria_pdf_reuses_the_assessment_and_the_system(api, org, ctx, draft):
    a = services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                                   data=FRIA)
    res = api.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{a.pk}/fria/pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(res.content)).pages)
    for heading in ("Your process that uses the system", "Period and frequency of use",
                    "People and groups likely to be affected", "Specific risks of harm",
                    "Human oversight", "What happens if the risks materialise",
                    "Notification of the market surveillance authority"):
        assert heading in text, heading
    assert "Loan applicants and co-applicants" in text  # from the assessment
    assert "Officers review every decline" in text  # from the system record
    assert "thin credit files" in text  # the negative impact
    assert "Not yet notified" in text
    out = api.get(f"/api/v1/orgs/{org.slug}/impact-assessments/{a.pk}").json()
    assert out["fria_required"] is True and out["fria_period"].startswith("From March")


def test_the_assessment_page_offers_the_fria(web_client_for, members, org, ctx, draft):
    services.assessment_update(ctx=ctx, assessment_id=draft.pk, version=draft.version,
                               data=FRIA)
    html = web_client_for(members["viewer"]).get(
        reverse("impact:detail", args=[org.slug, draft.pk])).content.decode()
    assert reverse("impact:fria_pdf", args=[org.slug, draft.pk]) in html
    edit = web_client_for(members["editor"]).get(
        reverse("impact:edit", args=[org.slug, draft.pk])).content.decode()
    assert "Fundamental rights impact assessment (EU AI Act, Art. 27)" in edit
