"""Pages of the network: suggestions."""
