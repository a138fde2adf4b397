import pytest

from aims.demo.build import demo_create
from aims.orgs.context import Ctx
from aims.orgs.models import Membership


@pytest.fixture
def demo_ctx(db):
    """A viewer's context in the demo organisation (exports are reads)."""
    org = demo_create(password="pw-for-oscal-tests").org
    m = Membership.objects.filter(org=org, role="viewer").select_related("user").get()
    return Ctx(org=org, user=m.user, role=m.role, actor_label=m.user.email)
