"""The JSON API of the network: invitations."""

from ninja import Router

router = Router(tags=["network"])
