"""AIMS_OIDC_PROVIDERS: read from JSON or a file, turned into allauth's provider apps, and a
mistake named before anything starts."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import oidc_origins, oidc_providers

ENTRY = {"id": "contoso", "name": "Contoso", "issuer": "https://login.example.com/tenant/v2.0/",
         "client_id": "abc", "secret": "s3cret"}


def test_a_json_list_becomes_the_provider_apps():
    apps = oidc_providers(json.dumps([ENTRY]))
    assert apps == [{"provider_id": "contoso", "name": "Contoso", "client_id": "abc",
                     "secret": "s3cret",
                     "settings": {"server_url": "https://login.example.com/tenant/v2.0",
                                  "oauth_pkce_enabled": True}}]
    assert oidc_origins(apps) == ["https://login.example.com"]


def test_a_file_path_is_read(tmp_path):
    path = tmp_path / "providers.json"
    path.write_text(json.dumps([{**ENTRY, "server_url": "https://idp.example.org"}]))
    assert oidc_providers(str(path))[0]["settings"]["server_url"] == "https://idp.example.org"


def test_unset_means_no_provider():
    assert oidc_providers("") == []


@pytest.mark.parametrize("raw, words", [
    ("[{", "not valid JSON"),
    ('{"id": "x"}', "JSON list"),
    (json.dumps([{**ENTRY, "secret": ""}]), '"secret"'),
    (json.dumps([{k: v for k, v in ENTRY.items() if k != "issuer"}]), '"server_url"'),
    (json.dumps([{**ENTRY, "id": "has space"}]), '"id"'),
    (json.dumps([ENTRY, ENTRY]), "unique"),
    ("/nonexistent/providers.json", "cannot read"),
])
def test_a_mistake_is_named(raw, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        oidc_providers(raw)
