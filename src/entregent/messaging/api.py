"""Messaging API (filled by its owner)."""

from ninja import Router

router = Router(tags=["messaging"])
