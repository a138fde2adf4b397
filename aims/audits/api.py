"""Internal audits: the API."""

from ninja import Router

router = Router()
