"""Reviews: completing the checklist, the rating, and the dates that follow from them."""

import datetime

import pytest

from aims.activity.models import Event
from aims.core.dates import add_months
from aims.core.errors import Conflict, ValidationError
from aims.suppliers import selectors, services
from aims.suppliers.models import ReviewState, Supplier, review_state
from aims.suppliers.tests.conftest import all_answers

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize("day,months,expected", [
    (D(2025, 1, 15), 12, D(2026, 1, 15)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2025, 8, 31), 6, D(2026, 2, 28)),
    (D(2025, 3, 31), 24, D(2027, 3, 31)),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_review_state_rules():
    today = D(2025, 6, 1)
    assert review_state(status="active", last=None, next_due=None, today=today) == "never"
    assert review_state(status="active", last=D(2024, 5, 1), next_due=D(2025, 5, 31),
                        today=today) == "overdue"
    assert review_state(status="active", last=D(2024, 6, 1), next_due=D(2025, 6, 1),
                        today=today) == "due_soon"  # due today is not yet overdue
    assert review_state(status="active", last=D(2024, 7, 1), next_due=D(2025, 7, 1),
                        today=today) == "due_soon"
    assert review_state(status="active", last=D(2025, 1, 1), next_due=D(2025, 7, 2),
                        today=today) == "current"
    assert review_state(status="exited", last=D(2020, 1, 1), next_due=D(2021, 1, 1),
                        today=today) == "exited"


def test_review_refuses_an_incomplete_checklist(org, ctx, make_supplier):
    s = make_supplier()
    answers = all_answers()[:-1]
    with pytest.raises(ValidationError) as exc:
        services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1, answers=answers,
                                        data={"rating": "low", "summary": "Done."})
    assert "Regulatory commitments" in exc.value.errors["__all__"][0]
    # Nothing of the refused review stays, not even the answers sent with it.
    assert not Event.objects.filter(org=org, object_type__startswith="suppliers.d").exists()


def test_review_snapshots_answers_and_sets_rating_and_dates(org, ctx, make_supplier):
    s = make_supplier(review_interval_months=6)
    answers = all_answers()
    answers[2] = {**answers[2], "status": "concern", "notes": "No bias results."}
    review = services.supplier_review_create(
        ctx=ctx, supplier_id=s.pk, version=1, answers=answers,
        data={"reviewed_on": D(2025, 1, 31), "rating": "medium", "summary": "One concern."})
    s = Supplier.objects.for_org(org).get()
    assert (s.rating, s.last_review_date, s.next_review_date) == (
        "medium", D(2025, 1, 31), D(2025, 7, 31))
    assert s.version == 2 and review.next_review_date == D(2025, 7, 31)
    assert len(review.answers) == 11 and review.reviewer == ctx.user
    assert [a["item"] for a in review.concerns] == ["evaluation"]
    # Later answers do not rewrite the snapshot.
    services.due_diligence_answer(ctx=ctx, supplier_id=s.pk, item="evaluation", version=1,
                                  data={"status": "satisfactory"})
    review.refresh_from_db()
    assert review.concerns[0]["notes"] == "No bias results."
    kinds = sorted(Event.objects.filter(org=org, object_type="suppliers.supplierreview")
                   .values_list("action", flat=True))
    assert kinds == ["create"]


def test_changing_the_interval_moves_the_next_review(org, ctx, make_supplier):
    s = make_supplier()
    services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1,
                                    answers=all_answers(),
                                    data={"reviewed_on": D(2025, 3, 1), "rating": "low",
                                          "summary": "ok"})
    s = services.supplier_update(ctx=ctx, supplier_id=s.pk, version=2,
                                 data={"review_interval_months": 3})
    assert s.next_review_date == D(2025, 6, 1)


def test_a_late_entered_older_review_does_not_move_the_dates(org, ctx, make_supplier):
    s = make_supplier()
    services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1, answers=all_answers(),
                                    data={"reviewed_on": D(2025, 3, 1), "rating": "low",
                                          "summary": "Latest."})
    services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=2,
                                    data={"reviewed_on": D(2024, 3, 1), "rating": "high",
                                          "summary": "Backfilled from the old spreadsheet."})
    s = Supplier.objects.for_org(org).get()
    assert (s.rating, s.last_review_date, s.next_review_date) == (
        "low", D(2025, 3, 1), D(2026, 3, 1))
    reviews = list(selectors.supplier_review_list(ctx=ctx, supplier_id=s.pk))
    assert [r.reviewed_on for r in reviews] == [D(2025, 3, 1), D(2024, 3, 1)]


def test_review_checks_the_version_and_the_date(ctx, make_supplier):
    s = make_supplier()
    services.due_diligence_update(ctx=ctx, supplier_id=s.pk, answers=all_answers())
    with pytest.raises(Conflict):
        services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=7,
                                        data={"rating": "low", "summary": "x"})
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1,
                                        data={"rating": "low", "summary": "x",
                                              "reviewed_on": tomorrow})
    assert "reviewed_on" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.supplier_review_create(ctx=ctx, supplier_id=s.pk, version=1,
                                        data={"rating": "terrible", "summary": "x"})
    assert "rating" in exc.value.errors


def test_overdue_filter_and_flag(org, ctx, make_supplier):
    today = datetime.date.today()
    old = make_supplier(name="Bureau")
    services.supplier_review_create(ctx=ctx, supplier_id=old.pk, version=1,
                                    answers=all_answers(),
                                    data={"reviewed_on": today - datetime.timedelta(days=400),
                                          "rating": "low", "summary": "Long ago."})
    fresh = make_supplier(name="Fresh")
    services.supplier_review_create(ctx=ctx, supplier_id=fresh.pk, version=1,
                                    answers=all_answers(),
                                    data={"reviewed_on": today, "rating": "low",
                                          "summary": "Today."})
    make_supplier(name="Never")
    gone = make_supplier(name="Gone")
    services.supplier_review_create(ctx=ctx, supplier_id=gone.pk, version=1,
                                    answers=all_answers(),
                                    data={"reviewed_on": today - datetime.timedelta(days=900),
                                          "rating": "low", "summary": "Old."})
    services.supplier_update(ctx=ctx, supplier_id=gone.pk, version=2, data={"status": "exited"})

    def names(review):
        f = selectors.SupplierFilters(review=review)
        return [s.name for s in selectors.supplier_list(ctx=ctx, filters=f)]

    assert names(ReviewState.OVERDUE) == ["Bureau"]
    assert names(ReviewState.NEVER) == ["Never"]
    assert names(ReviewState.CURRENT) == ["Fresh"]
    by_name = {s.name: s for s in selectors.supplier_list(ctx=ctx)}
    assert by_name["Bureau"].overdue and not by_name["Gone"].overdue
    assert by_name["Gone"].review_state == "exited"
    # The Python rule and the SQL filter agree for every party.
    for state in (ReviewState.OVERDUE, ReviewState.NEVER, ReviewState.CURRENT,
                  ReviewState.DUE_SOON):
        assert all(by_name[n].review_state == state for n in names(state))
