"""Reads worked out from a whole record (a readiness evaluation, the dashboard, the SoA) are
kept for reuse until the organisation's record changes or the day does (aims.activity.kept),
and never serve another organisation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.kept import KEPT
from aims.compliance.selectors import soa_item_get
from aims.compliance.services import compliance_item_update
from aims.core.errors import PermissionDenied
from aims.orgs.context import Ctx
from aims.readiness.selectors import readiness_evaluate
from aims.risks.services import risk_create
from aims.tasks.services import task_create
from aims.testing.factories import add_member, ctx_for
from aims.testing.queries import SESSION
from aims.testing.tenancy import signed_in

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keeping(settings):
    settings.AIMS_KEPT_READS = 8
    KEPT.clear()
    yield
    KEPT.clear()


@pytest.fixture
def ctx(org, members):
    return ctx_for(org, members["owner"])


def unowned_risk(ctx: Ctx) -> None:
    risk_create(ctx=ctx, data={"title": "Unowned risk", "category": "bias", "owner": None})


def test_the_same_record_on_the_same_day_is_judged_once(ctx, django_assert_num_queries):
    first = readiness_evaluate(ctx=ctx, as_of=TODAY)
    with django_assert_num_queries(1):  # the head of the log, nothing else
        again = readiness_evaluate(ctx=ctx, as_of=TODAY)
    assert again is first


def test_a_logged_write_is_seen_at_once(ctx):
    before = readiness_evaluate(ctx=ctx, as_of=TODAY)
    unowned_risk(ctx)
    after = readiness_evaluate(ctx=ctx, as_of=TODAY)
    assert after is not before
    rules = {f.rule for f in after.findings} - {f.rule for f in before.findings}
    assert rules, "the new unowned risk gives a finding the first evaluation did not have"


def test_another_day_is_judged_afresh(ctx):
    today = readiness_evaluate(ctx=ctx, as_of=TODAY)
    later = readiness_evaluate(ctx=ctx, as_of=TODAY + datetime.timedelta(days=400))
    assert later is not today and later.as_of != today.as_of


def test_another_organisation_never_gets_it(ctx, other_org):
    mine = readiness_evaluate(ctx=ctx, as_of=TODAY)
    theirs = readiness_evaluate(ctx=ctx_for(other_org, add_member(other_org, "owner")),
                                as_of=TODAY)
    assert theirs is not mine
    assert (mine.organization, theirs.organization) == (ctx.org.slug, other_org.slug)


def test_the_role_is_checked_before_the_kept_evaluation_is_given(ctx, members):
    readiness_evaluate(ctx=ctx, as_of=TODAY)
    outsider = Ctx(org=ctx.org, user=members["viewer"], role="", actor_label="x")
    with pytest.raises(PermissionDenied):
        readiness_evaluate(ctx=outsider, as_of=TODAY)


def test_a_process_keeps_at_most_the_set_number(ctx, settings):
    settings.AIMS_KEPT_READS = 2
    days = [TODAY + datetime.timedelta(days=n) for n in range(3)]
    for day in days:
        readiness_evaluate(ctx=ctx, as_of=day)
    assert [key[-1] for key in KEPT.reads] == days[1:]


@pytest.mark.parametrize(("path", "bound"), [
    # Read again with the record unchanged, a page pays one query (the head of the log) for
    # each kept read instead of the thirty-five or so of judging the record: the dashboard
    # one for all it shows, the SoA one for its rows and one for the evaluation.
    ("/o/{slug}/", 1 + SESSION),
    ("/o/{slug}/soa/", 4 + SESSION),
    ("/o/{slug}/soa/A.6.2.6/", 6 + SESSION),
    ("/o/{slug}/readiness/", 5 + SESSION),
])
def test_pages_read_again_pay_one_query_a_kept_read(path, bound, org, members,
                                                      django_assert_max_num_queries):
    web = signed_in(members["owner"])
    url = path.format(slug=org.slug)
    assert web.get(url).status_code == 200
    with django_assert_max_num_queries(bound):
        assert web.get(url).status_code == 200


def test_the_api_reads_the_kept_evaluation(org, members, api_client_for,
                                           django_assert_max_num_queries):
    api = api_client_for(members["owner"])
    first = api.get(f"/api/v1/orgs/{org.slug}/readiness")
    with django_assert_max_num_queries(3):  # the token, the membership, the head of the log
        again = api.get(f"/api/v1/orgs/{org.slug}/readiness")
    assert again.json() == first.json()


def test_the_dashboard_shows_a_write_at_once_and_each_member_their_own(org, members, ctx):
    owner, editor = signed_in(members["owner"]), signed_in(members["editor"])
    url = f"/o/{org.slug}/"
    before = owner.get(url).content.decode()
    risk_create(ctx=ctx, data={"title": "Dashboard risk", "category": "bias", "owner": None,
                               "inherent_likelihood": 5, "inherent_impact": 5})
    after = owner.get(url).content.decode()
    assert after != before and "Dashboard risk" in after  # the newest activity lists it
    task_create(ctx=ctx, data={"title": "Editor's task", "owner": members["editor"].pk})
    mine = editor.get(url).content.decode()
    assert "open task of yours" in mine and "open task of yours" not in owner.get(url).content.decode()


def test_the_soa_shows_a_logged_decision_at_once_and_each_filter_its_own_rows(
        org, members, ctx, api_client_for, django_assert_max_num_queries):
    api = api_client_for(members["owner"])
    url = f"/api/v1/orgs/{org.slug}/soa"
    first = api.get(url).json()
    with django_assert_max_num_queries(3):  # the token, the membership, the head of the log
        assert api.get(url).json() == first
    item = soa_item_get(ctx=ctx, ref="A.2.2")
    compliance_item_update(ctx=ctx, ref="A.2.2", version=item.version, data={
        "applicable": False, "justification": "No AI policy topic applies here (test)."})
    row = next(r for r in api.get(url).json() if r["ref"] == "A.2.2")
    assert row["applicable"] is False
    excluded = api.get(f"{url}?applicable=no").json()
    assert [r["ref"] for r in excluded] == ["A.2.2"]
