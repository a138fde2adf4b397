"""Helpers of the management review tests: reviews planned, minuted and held through the real
services, and the agenda inputs they read."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.reviews import services
from aims.reviews.models import ManagementReview
from aims.testing.factories import ctx_for

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def plan(ctx, on=TODAY, *, chair=None, attendees=None, **extra) -> ManagementReview:
    """A planned review on `on`, chaired by and attended by ctx's user unless told otherwise."""
    user = ctx.user.pk
    return services.review_create(ctx=ctx, data={
        "title": "AIMS review", "meeting_date": on, "chair": chair or user,
        "attendees": [user] if attendees is None else attendees, **extra})


def reload(review) -> ManagementReview:
    return ManagementReview.all_orgs.get(pk=review.pk)


def inputs_of(review, key: str) -> dict:
    """What agenda item `key` of `review` says, as stored."""
    return reload(review).items.get(key=key).inputs


def minute_all(ctx, review, text: str = "Noted.") -> None:
    for item in reload(review).items.all():
        services.agenda_item_update(ctx=ctx, review_id=review.pk, item_id=item.pk,
                                    minutes=f"{text} ({item.key})", version=item.version)


def make_ready(ctx, review, conclusions: str = "The AIMS remains suitable, adequate and "
                                                "effective.") -> ManagementReview:
    """`review` with every item minuted and conclusions recorded: ready to be held."""
    minute_all(ctx, review)
    review = reload(review)
    return services.review_update(ctx=ctx, review_id=review.pk, version=review.version,
                                  data={"conclusions": conclusions})


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.fixture
def ready(owner_ctx):
    """A review held today by the owner (top management), ready to be recorded as held."""
    return make_ready(owner_ctx, plan(owner_ctx, title="Annual AIMS review"))
