"""Incidents, nonconformities and improvement: the API."""

from ninja import Router

router = Router()
