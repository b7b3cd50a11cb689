"""The JSON API of trust: reports."""

from ninja import Router

router = Router(tags=["trust"])
