"""Payment providers: the registry of known providers and which ones this instance enables.

    from entregent.plans import providers
    providers.enabled()          -> list of provider instances members may choose, in settings order
    providers.get("manual")      -> the provider (any registered one, enabled or not: a subscription made
                                    before the operator disabled it still renews and is confirmed with it)
    providers.register(MyProviderClass)

`settings.PAYMENT_PROVIDERS` lists enabled providers by name or by dotted path of a PaymentProvider class
(imported and registered on first use). Default: ["manual", "test"] outside production, ["manual"] in
production.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from entregent.plans.providers.base import CheckoutResult, PaymentError, PaymentProvider
from entregent.plans.providers.manual import ManualProvider
from entregent.plans.providers.test import TestProvider

__all__ = [
    "CheckoutResult",
    "PaymentError",
    "PaymentProvider",
    "UnknownProvider",
    "enabled",
    "enabled_names",
    "get",
    "register",
]

_REGISTRY: dict[str, type[PaymentProvider]] = {}


class UnknownProvider(LookupError):
    """A provider name nobody registered (a configuration error, or a member's forged form)."""


def register(provider: type[PaymentProvider]) -> type[PaymentProvider]:
    """Make a provider class known by its `name`. Usable as a class decorator."""
    if not getattr(provider, "name", ""):
        raise ValueError("a payment provider needs a name")
    _REGISTRY[provider.name] = provider
    return provider


register(ManualProvider)
register(TestProvider)


def _configured() -> list[str]:
    names = getattr(settings, "PAYMENT_PROVIDERS", None)
    if names is None:
        names = ["manual"] if getattr(settings, "PRODUCTION", False) else ["manual", "test"]
    return list(names)


def _resolve(entry: str) -> type[PaymentProvider]:
    if entry in _REGISTRY:
        return _REGISTRY[entry]
    if "." in entry:
        cls = import_string(entry)
        if not (isinstance(cls, type) and issubclass(cls, PaymentProvider)):
            raise UnknownProvider(f"{entry} is not a PaymentProvider class")
        return register(cls)
    raise UnknownProvider(f"unknown payment provider: {entry!r}")


def enabled_names() -> list[str]:
    return [_resolve(entry).name for entry in _configured()]


def enabled() -> list[PaymentProvider]:
    return [_resolve(entry)() for entry in _configured()]


def get(name: str, *, enabled_only: bool = False) -> PaymentProvider:
    """The provider called `name`. With `enabled_only`, refuse one this instance does not offer (a
    member's choice)."""
    if enabled_only and name not in enabled_names():
        raise UnknownProvider(f"payment provider not enabled: {name!r}")
    if name not in _REGISTRY:
        for entry in _configured():
            _resolve(entry)
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise UnknownProvider(f"unknown payment provider: {name!r}") from None
