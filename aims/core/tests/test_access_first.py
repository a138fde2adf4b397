"""Access before the body: a caller without access learns nothing from a bad body."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["ai-systems/new/", "risks/new/", "evidence/new/",
                                  "documents/new/"])
def test_web_forms_answer_403_or_404_before_judging_an_empty_body(org, other_org, members,
                                                                  web_client_for, path):
    viewer = web_client_for(members["viewer"])
    assert viewer.post(f"/o/{org.slug}/{path}", {}).status_code == 403
    assert viewer.post(f"/o/{other_org.slug}/{path}", {}).status_code == 404
    assert viewer.post(f"/o/no-such-org/{path}", {}).status_code == 404
    editor = web_client_for(members["editor"])
    assert editor.post(f"/o/{org.slug}/{path}", {}).status_code == 422


def test_api_answers_403_or_404_before_judging_a_missing_field(org, other_org, members,
                                                               api_client_for):
    viewer = api_client_for(members["viewer"])
    for slug, status in ((org.slug, 403), (other_org.slug, 404), ("no-such-org", 404)):
        assert viewer.post(f"/api/v1/orgs/{slug}/ai-systems", {}).status_code == status
    assert api_client_for(members["editor"]).post(
        f"/api/v1/orgs/{org.slug}/ai-systems", {}).status_code == 422
