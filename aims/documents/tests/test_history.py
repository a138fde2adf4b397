"""A policy approved last year, entered now with the day it was approved."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.core.dates import add_months
from aims.documents import services
from aims.documents.selectors import version_in_force
from aims.documents.tests.conftest import submit

LAST_YEAR = datetime.date(timezone.localdate().year - 1, 5, 2)


def test_last_years_approval_is_in_force_from_its_day(ctx, admin_ctx, document):
    v = submit(ctx, document)
    v = services.document_version_approve(ctx=admin_ctx, document_id=document.pk,
                                          version_id=v.pk, version=v.version,
                                          happened_on=LAST_YEAR)
    assert (v.approved_on, v.effective_from) == (LAST_YEAR, LAST_YEAR)
    assert v.recorded_later_on == timezone.localdate()
    document.refresh_from_db()
    assert document.next_review_date == add_months(LAST_YEAR, document.review_interval_months)
    assert version_in_force(ctx=ctx, document=document,
                            on=LAST_YEAR + datetime.timedelta(days=30)) == v


def test_the_version_page_says_it_was_recorded_later(org, ctx, admin_ctx, members, document,
                                                     web_client_for):
    v = submit(ctx, document)
    url = f"/o/{org.slug}/documents/{document.pk}/versions/{v.pk}/"
    admin = web_client_for(members["admin"])
    r = admin.post(url + "approve/", {"version": v.version, "comment": "",
                                      "happened_on": LAST_YEAR.isoformat()})
    assert r.status_code == 302, r.content.decode()[:800]
    page = admin.get(url).content.decode()
    assert f"— recorded later, on {timezone.localdate():%Y-%m-%d}" in page
