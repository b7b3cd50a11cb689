"""Manual payments, for associations and schools: the member pays by bank transfer, cheque or at the desk;
the operator records the payment in the admin ("Confirm payment"), which starts the period and issues the
receipt. Nothing renews by itself: a period is added each time the operator confirms a payment."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from entregent.plans.providers.base import CheckoutResult, PaymentProvider


class ManualProvider(PaymentProvider):
    name = "manual"
    label = _("Pay the organisation directly")
    description = _(
        "Pay by bank transfer, cheque or in person, as the organisation tells you. Your plan starts when "
        "the organisation records your payment."
    )

    def start_checkout(self, subscription) -> CheckoutResult:
        return CheckoutResult(
            paid=False,
            message=gettext(
                "Your subscription awaits payment. It starts as soon as the organisation records your payment."
            ),
        )

    def confirm(self, subscription) -> CheckoutResult:
        return CheckoutResult(paid=True)

    def renew(self, subscription) -> CheckoutResult:
        # The operator confirms each period's payment; an unconfirmed period is not paid.
        return CheckoutResult(paid=False)
