"""The payment-provider interface. A provider takes money for a subscription's period; Entregent keeps the
subscription, the plan and the receipts (`plans/subscriptions.py`). A provider never changes a subscription
itself: it answers whether a payment is made, and the services record it.

A provider that redirects to a hosted checkout page returns `CheckoutResult(paid=False, redirect_url=...)`
from `start_checkout`; its webhook view (its own code, under its own URL) calls
`subscriptions.subscription_confirm_payment(subscription=..., reference=...)` once the payment is confirmed.
See docs/payments.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from entregent.plans.models import Subscription


@dataclass(frozen=True)
class CheckoutResult:
    """`paid`: the money is taken, the period starts now. Otherwise the subscription waits for payment;
    `redirect_url` (optional) is where the member pays, `message` tells them what happens next."""

    paid: bool
    reference: str = ""
    redirect_url: str | None = None
    message: str = ""


class PaymentError(Exception):
    """The provider refused or failed: nothing was charged, nothing changes. The message is shown to the
    member."""


class PaymentProvider:
    """Subclass, set `name` (stored on subscriptions and receipts, so never rename it), `label` and
    `description` (shown to members), then register the class (`providers.register`) or name its dotted
    path in the `PAYMENT_PROVIDERS` setting."""

    name: ClassVar[str]
    label: ClassVar[Any]
    description: ClassVar[Any] = ""

    def start_checkout(self, subscription: Subscription) -> CheckoutResult:
        """The member chose a plan: take the first period's payment, or say how it will be paid."""
        raise NotImplementedError

    def confirm(self, subscription: Subscription) -> CheckoutResult:
        """The operator says the payment arrived (manual payments). Providers that confirm by webhook refuse."""
        raise PaymentError(f"{self.name} payments are confirmed by the provider, not by the operator")

    def renew(self, subscription: Subscription) -> CheckoutResult:
        """The period ended: charge the next one. Unpaid: the subscription ends and the member goes back to
        the default plan."""
        raise NotImplementedError

    def cancel(self, subscription: Subscription) -> None:
        """The member cancelled: stop any recurring charge at the provider. Default: nothing to stop."""
