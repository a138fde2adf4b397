"""The kinds of third party the register holds (a module of its own: the checklist and the
models both need it)."""

from django.db import models


class PartyKind(models.TextChoices):
    SUPPLIER = "supplier", "Supplier"
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner"
