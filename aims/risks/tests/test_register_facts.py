"""The register as the readiness rules read it (`register_facts`) agrees with the risks judged
one by one from their own fields and methodology: the same offenders of every check, listed
in the same order, the same counts, control links and AI systems' risks, over a register
whose risks take every combination of the fields the checks read."""

from __future__ import annotations

import datetime
import heapq
import random

import pytest
from django.utils import timezone

from aims.compliance.models import ComplianceItem
from aims.risks.models import Risk, level_above, risk_score
from aims.risks.selectors import ControlLink, SystemRisks, methodology_current, register_facts
from aims.risks.services import methodology_version_create, risk_create
from aims.risks.tests.conftest import three_by_three
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FIRST = 2  # few listed, so that the cut is tested too
CONTROLS = ("A.5.2", "A.6.2.4", "A.7.4", "A.9.3")


def _judged(risk: Risk) -> tuple[str | None, bool]:
    """(level, above the threshold) of a risk under its own methodology version."""
    residual = risk_score(risk.residual_likelihood, risk.residual_impact)
    score = residual if residual is not None else risk_score(risk.inherent_likelihood,
                                                             risk.inherent_impact)
    level = risk.methodology.level_for(score)
    return level, level_above(level, risk.methodology.acceptance_threshold)


def _expected(risks: list[Risk], on: datetime.date, among: set[str]) -> dict:
    """Every check worked out risk by risk, as the rules judged a register in Python."""
    def rated(r):
        return risk_score(r.inherent_likelihood, r.inherent_impact) is not None

    def residual_rated(r):
        return risk_score(r.residual_likelihood, r.residual_impact) is not None

    def unsigned(r):
        return _judged(r)[1] and r.accepted_at is None

    checks = {
        "unowned": lambda r: r.owner_id is None,
        "unrated": lambda r: not rated(r),
        "untreated": lambda r: rated(r) and not r.treatment_option,
        "review_overdue": lambda r: r.next_review is not None and r.next_review < on,
        "unsigned": lambda r: unsigned(r) and (residual_rated(r)
                                               or r.treatment_option == "accept"),
        "uncontrolled": lambda r: r.treatment_option == "mitigate" and not r.controls.all(),
    }
    out: dict = {"open": len(risks), "rated": sum(map(rated, risks)),
                 "treated": sum(bool(r.treatment_option) for r in risks)}
    for name, check in checks.items():
        offenders = [r for r in risks if check(r)]
        first = heapq.nsmallest(FIRST, offenders, key=lambda r: f"{r.ref} {r.title}")
        out[name] = (len(offenders), [(r.pk, r.ref, r.title, _judged(r)[0], r.next_review)
                                      for r in first])
    out["controls"] = [ControlLink(r.ref, r.title, ref) for r in risks
                       for ref in sorted(c.requirement.ref for c in r.controls.all())
                       if ref in among]
    systems: dict = {}
    for r in risks:
        unready = (not residual_rated(r) or (r.next_review is not None and r.next_review < on)
                   or unsigned(r))
        for s in r.ai_systems.all():
            linked, n = systems.get(s.pk, (0, 0))
            systems[s.pk] = SystemRisks(linked + 1, n + unready)
    out["systems"] = systems
    return out


def _actual(facts) -> dict:
    out: dict = {"open": facts.open, "rated": facts.rated, "treated": facts.treated,
                 "controls": facts.controls, "systems": facts.systems}
    for name in ("unowned", "unrated", "untreated", "review_overdue", "unsigned",
                 "uncontrolled"):
        offenders = getattr(facts, name)
        out[name] = (offenders.count, [tuple(r) for r in offenders.first])
    return out


@pytest.fixture
def register(ctx, members):
    """Sixty risks with their fields drawn at random (seeded): owners or none, ratings whole,
    partial or missing under two methodology versions, every treatment, review dates on both
    sides of today, sign-offs, controls and AI systems; and one closed risk."""
    rng = random.Random(42001)
    first = methodology_current(ctx=ctx)
    second = methodology_version_create(ctx=ctx, data=three_by_three(), based_on=first.number)
    systems = [make_ai_system(ctx, name=f"System {i}") for i in range(5)]
    items = list(ComplianceItem.objects.for_org(ctx.org)
                 .filter(requirement__ref__in=CONTROLS))
    people = [None, members["editor"].pk, members["admin"].pk]
    for i in range(60):
        risk = risk_create(ctx=ctx, data={"title": f"Risk {rng.choice('abc')}{i}",
                                          "category": "bias"})
        scale = 5 if rng.random() < 0.5 else 3
        Risk.objects.for_org(ctx.org).filter(pk=risk.pk).update(
            methodology=first if scale == 5 else second,
            owner_id=rng.choice(people),
            inherent_likelihood=rng.choice([None, *range(1, scale + 1)]),
            inherent_impact=rng.choice([None, *range(1, scale + 1)]),
            residual_likelihood=rng.choice([None, None, *range(1, scale + 1)]),
            residual_impact=rng.choice([None, *range(1, scale + 1)]),
            treatment_option=rng.choice(["", "accept", "mitigate", "transfer", "avoid"]),
            next_review=rng.choice([None, TODAY - datetime.timedelta(days=rng.randint(1, 90)),
                                    TODAY, TODAY + datetime.timedelta(days=rng.randint(1, 90))]),
            accepted_at=rng.choice([None, timezone.now()]),
            status="closed" if i == 59 else rng.choice(["identified", "assessed", "treating"]))
        risk.controls.set(rng.sample(items, rng.randint(0, 2)))
        risk.ai_systems.set(rng.sample(systems, rng.randint(0, 2)))
    return [r for r in Risk.objects.for_org(ctx.org).exclude(status="closed")
            .select_related("methodology").prefetch_related("controls__requirement",
                                                            "ai_systems")]


@pytest.mark.parametrize("days", [0, 45, -45])
@pytest.mark.parametrize("among", [set(), {"A.5.2", "A.7.4"}, set(CONTROLS)])
def test_register_facts_agree_with_the_risks_judged_one_by_one(ctx, register, days, among):
    on = TODAY + datetime.timedelta(days=days)
    facts = register_facts(ctx=ctx, on=on, controls_among=among, first=FIRST)
    assert _actual(facts) == _expected(register, on, among)


def test_every_check_has_offenders_in_the_drawn_register(ctx, register):
    """The register above is varied enough to test every check, and the cut."""
    facts = register_facts(ctx=ctx, on=TODAY, controls_among=CONTROLS, first=FIRST)
    counts = [getattr(facts, name).count for name in (
        "unowned", "unrated", "untreated", "review_overdue", "unsigned", "uncontrolled")]
    assert min(counts) >= FIRST and max(counts) > FIRST, counts
    assert facts.controls and facts.systems


def test_the_register_costs_a_fixed_number_of_queries(ctx, register,
                                                      django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        register_facts(ctx=ctx, on=TODAY, controls_among=CONTROLS, first=FIRST)
