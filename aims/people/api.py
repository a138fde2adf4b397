"""AIMS roles and competence: the API."""

from ninja import Router

router = Router()
