import pytest

from aims.demo.build import demo_create
from aims.frameworks.selectors import coverage_report, reporting_frameworks
from aims.orgs.context import Ctx
from aims.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_reports_against_the_eu_ai_act_and_nist_ai_rmf():
    org = demo_create(password="pw-for-tests-1").org
    m = Membership.objects.filter(org=org, role="viewer").select_related("user").first()
    ctx = Ctx(org=org, user=m.user, role=m.role, actor_label=m.user.email)
    assert [f.code for f in reporting_frameworks(ctx=ctx)] == ["eu-ai-act", "nist-ai-rmf"]
    for code in ("eu-ai-act", "nist-ai-rmf"):
        report = coverage_report(ctx=ctx, code=code)
        assert report.counts["partial"] > 0 and report.counts["gap"] > 0, report.counts
