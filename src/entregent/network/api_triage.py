"""The JSON API of the network: triage."""

from ninja import Router

router = Router(tags=["network"])
