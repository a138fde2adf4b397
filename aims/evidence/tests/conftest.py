import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from aims.evidence.services import evidence_create


def upload(content: bytes = b"quarterly access review\n", name: str = "review.csv"):
    return SimpleUploadedFile(name, content, content_type="application/x-evil")


def add(ctx, *, content: bytes | None = b"quarterly access review\n", name="review.csv",
        links=(), **data):
    """Evidence through the service, in its own transaction as a request would."""
    data.setdefault("title", "Access review Q3")
    with transaction.atomic():
        return evidence_create(ctx=ctx, data=data, links=links,
                               upload=upload(content, name) if content is not None else None)


@pytest.fixture
def system(ctx):
    from aims.testing.factories import make_ai_system

    return make_ai_system(ctx, name="Credit decision engine")


@pytest.fixture
def soa_item(ctx):
    from aims.compliance.selectors import soa_item_get

    return soa_item_get(ctx=ctx, ref="A.6.2.6")
