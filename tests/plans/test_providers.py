"""Payment providers: which are enabled, how one plugs in, what each does."""

from __future__ import annotations

import pytest

from entregent.plans import providers
from entregent.plans.models import Subscription
from entregent.plans.providers import PaymentError, PaymentProvider, UnknownProvider


class ExampleProvider(PaymentProvider):
    name = "example"
    label = "Example"

    def start_checkout(self, subscription):
        return providers.CheckoutResult(paid=False, redirect_url="https://pay.example.org/checkout/1")

    def renew(self, subscription):
        return providers.CheckoutResult(paid=True, reference="r")


def test_default_providers_outside_production(settings):
    del settings.PAYMENT_PROVIDERS
    settings.PRODUCTION = False
    assert providers.enabled_names() == ["manual", "test"]


def test_production_offers_only_manual_by_default(settings):
    del settings.PAYMENT_PROVIDERS
    settings.PRODUCTION = True
    assert providers.enabled_names() == ["manual"]
    with pytest.raises(UnknownProvider):
        providers.get("test", enabled_only=True)
    assert providers.get("test").name == "test"  # an existing subscription still finds its provider


def test_provider_plugs_in_by_dotted_path(settings):
    settings.PAYMENT_PROVIDERS = ["manual", "tests.plans.test_providers.ExampleProvider"]
    assert providers.enabled_names() == ["manual", "example"]
    assert providers.get("example", enabled_only=True).start_checkout(Subscription()).redirect_url


def test_dotted_path_to_something_else_is_refused(settings):
    settings.PAYMENT_PROVIDERS = ["tests.plans.test_providers.test_provider_plugs_in_by_dotted_path"]
    with pytest.raises(UnknownProvider):
        providers.enabled()


def test_unknown_provider_name_is_refused(settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    with pytest.raises(UnknownProvider):
        providers.get("stripe")


def test_manual_waits_and_test_pays():
    manual, test = providers.get("manual"), providers.get("test")
    assert not manual.start_checkout(Subscription()).paid
    assert manual.confirm(Subscription()).paid
    assert not manual.renew(Subscription()).paid
    assert test.start_checkout(Subscription()).paid and test.start_checkout(Subscription()).reference
    assert test.renew(Subscription()).paid


def test_webhook_providers_refuse_operator_confirmation():
    with pytest.raises(PaymentError):
        ExampleProvider().confirm(Subscription())


def test_provider_needs_a_name():
    class Nameless(PaymentProvider):
        name = ""

    with pytest.raises(ValueError, match="name"):
        providers.register(Nameless)
