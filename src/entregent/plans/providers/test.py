"""A provider that pays at once, for the demo and the tests. Never enable it on a real instance: anyone
could give themselves any plan (the default `PAYMENT_PROVIDERS` leaves it out in production)."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _

from entregent.plans.providers.base import CheckoutResult, PaymentProvider


class TestProvider(PaymentProvider):
    __test__ = False  # not a pytest test class

    name = "test"
    label = _("Test payment (no money is taken)")
    description = _("For trying the instance: the payment succeeds at once.")

    def start_checkout(self, subscription) -> CheckoutResult:
        return CheckoutResult(paid=True, reference=f"test-{secrets.token_hex(6)}")

    def confirm(self, subscription) -> CheckoutResult:
        return CheckoutResult(paid=True, reference=f"test-{secrets.token_hex(6)}")

    def renew(self, subscription) -> CheckoutResult:
        return CheckoutResult(paid=True, reference=f"test-{secrets.token_hex(6)}")
