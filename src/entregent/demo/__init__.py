"""The demo network generator (see `entregent seed`)."""

DEMO_PASSWORD = "entregent-demo"  # noqa: S105 - public on purpose: demo instances only
DEMO_LOGINS = [
    ("camille.martin@demo.entregent.org", DEMO_PASSWORD),
    ("thomas.bernard@demo.entregent.org", DEMO_PASSWORD),
]
