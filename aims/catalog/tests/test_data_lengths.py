"""The shipped catalog fits its columns. SQLite does not enforce a CharField's max_length and
PostgreSQL does, so a value one character too long passes locally and breaks `aims init` on
PostgreSQL; this test catches it on either."""

from __future__ import annotations

import pytest
from django.db import models

from aims.catalog.models import Framework, Mapping, Requirement


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Framework, Requirement, Mapping], ids=lambda m: m.__name__)
def test_every_loaded_value_fits_its_column(model):
    fields = [f for f in model._meta.get_fields()
              if isinstance(f, models.CharField) and f.max_length]
    assert model.objects.exists()  # the catalog is loaded for the test database
    too_long = [(f.name, value) for f in fields
                for value in model.objects.values_list(f.name, flat=True)
                if value and len(value) > f.max_length]
    assert too_long == []
