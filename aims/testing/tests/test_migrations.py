"""The migrations describe the models exactly. The SQLite suite builds its schema straight from
the models (faster); the PostgreSQL suite and every real install run the migrations, so the
two must never drift apart."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree(settings):
    settings.MIGRATION_MODULES = {}  # the migrations on disk, even when the run skips them
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"models changed without a migration (exit {exc.code}):\n{out.getvalue()}")
