"""Pages of the network: invitations."""
