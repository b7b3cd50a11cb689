"""Pages of the network: triage."""
