"""The API's rate limit: per token, per address without one; 429 with Retry-After."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings):
    settings.AIMS_API_RATE = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_a_token_past_its_limit_gets_429_with_retry_after(limited, org, members, api_client_for,
                                                         web_client_for):
    first = api_client_for(members["editor"])
    url = f"/api/v1/orgs/{org.slug}/ai-systems"
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 200]
    r = first.get(url)
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 60
    assert "3/m" in r.json()["detail"] and "AIMS_API_RATE" in r.json()["detail"]
    # Another token (even the same person's) has its own allowance.
    assert api_client_for(members["editor"]).get(url).status_code == 200
    # A session counts per address, apart from the tokens.
    session = web_client_for(members["viewer"])
    assert [session.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert session.get(url).status_code == 429
    other_address = session.get(url, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200
    # A forwarded-for header does not buy a new allowance unless proxies are configured.
    assert session.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


def test_no_limit_when_the_setting_is_empty(settings, org, api):
    settings.AIMS_API_RATE = ""
    url = f"/api/v1/orgs/{org.slug}/ai-systems"
    assert {api.get(url).status_code for _ in range(5)} == {200}
