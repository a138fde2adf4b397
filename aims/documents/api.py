"""Documented information: the API."""

from ninja import Router

router = Router()
