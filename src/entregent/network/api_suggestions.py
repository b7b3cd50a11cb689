"""The JSON API of the network: suggestions."""

from ninja import Router

router = Router(tags=["network"])
