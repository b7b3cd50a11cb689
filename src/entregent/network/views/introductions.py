"""Pages of the network: introductions."""
