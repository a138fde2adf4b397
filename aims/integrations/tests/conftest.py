import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from aims.integrations.services import integration_token_create
from aims.testing.factories import ctx_for, make_ai_system

PERIOD = {"effective_from": datetime.date(2026, 1, 1), "effective_to": datetime.date(2026, 3, 31)}


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="Claims triage model")


@pytest.fixture
def other_system(ctx):
    return make_ai_system(ctx, name="Fraud scorer")


def issue(ctx, **kwargs):
    """An integration token through the service, in its own transaction as a request would."""
    kwargs.setdefault("name", "claims-model CI")
    with transaction.atomic():
        return integration_token_create(ctx=ctx, **kwargs)


def report(content: bytes = b"<html>eval</html>", name: str = "eval.html"):
    return SimpleUploadedFile(name, content, content_type="text/html")
