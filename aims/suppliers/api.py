"""Suppliers and customers: the API."""

from ninja import Router

router = Router()
