"""The JSON API of the network: introductions."""

from ninja import Router

router = Router(tags=["network"])
