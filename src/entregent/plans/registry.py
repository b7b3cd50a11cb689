"""The registry of everything a plan can allow: yes/no **features** and counted **quotas**, declared in code.

Each entry has a code name (`inmail.send`, `invitations.weekly`), a translated label and description, and a
default per default plan. The database (plans, their entitlements, edited by the operator in the admin or
through `entregent plans import`) overrides the defaults; an entry a plan has no row for falls back to the
default declared here, so a later issue registers its features and quotas without a data migration:

    from entregent.plans import registry
    registry.feature("groups.create", label=..., description=..., defaults={"free": False, "career": True})
    registry.quota("posts.daily", label=..., description=..., window=registry.DAY, ...)

Quotas come in two kinds: a **counter** is spent with `plans.consume` and comes back at the start of its
window (week, month; `none` never resets by itself and is given back with `engine.refund`); a **setting** is
a number read with `plans.limit` and never spent (how many days of profile views, how many viewers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

WEEK = "week"
MONTH = "month"
NONE = "none"
WINDOWS = (WEEK, MONTH, NONE)

COUNTER = "counter"
SETTING = "setting"

FREE, CAREER, BUSINESS, SALES = "free", "career", "business", "sales"

# The default plans, created by the data migration (`engine.ensure_default_plans`). Names are stored in
# the database (the operator renames them); these are marked for translation so the defaults read in French.
DEFAULT_PLANS: tuple[dict[str, Any], ...] = (
    {
        "code": FREE,
        "name": gettext_noop("Free"),
        "description": gettext_noop("What every member gets."),
        "position": 0,
        "is_default": True,
    },
    {
        "code": CAREER,
        "name": gettext_noop("Career"),
        "description": gettext_noop(
            "For a job search: InMail, who viewed your profile for a year, open profile."
        ),
        "position": 10,
        "is_default": False,
    },
    {
        "code": BUSINESS,
        "name": gettext_noop("Business"),
        "description": gettext_noop("To grow a network: more InMail, more searches, advanced filters."),
        "position": 20,
        "is_default": False,
    },
    {
        "code": SALES,
        "name": gettext_noop("Sales"),
        "description": gettext_noop("For prospecting: lead lists, notes, saved searches, 50 InMail a month."),
        "position": 30,
        "is_default": False,
    },
)
DEFAULT_PLAN_CODES = tuple(plan["code"] for plan in DEFAULT_PLANS)


@dataclass(frozen=True)
class Feature:
    code: str
    label: Any
    description: Any
    defaults: dict[str, bool]

    def default_for(self, plan_code: str) -> bool:
        return self.defaults.get(plan_code, self.defaults.get(FREE, False))


@dataclass(frozen=True)
class QuotaDefault:
    """A quota's numbers on one plan. `limit` None is unlimited. For a monthly quota, `carry_over_cap` lets
    unspent grants accumulate up to that many (None: no carry-over) and `expires_after_days` drops a
    month's grant that many days after it was given."""

    limit: int | None
    carry_over_cap: int | None = None
    expires_after_days: int | None = None


@dataclass(frozen=True)
class Quota:
    code: str
    label: Any
    description: Any
    window: str
    # "%(count)s InMail a month": how one number of this quota reads in a sentence.
    amount_format: Any
    defaults: dict[str, QuotaDefault]
    kind: str = COUNTER
    # Whether completeness multipliers may apply (a number of days of history is not scaled).
    scalable: bool = True

    def default_for(self, plan_code: str) -> QuotaDefault:
        return self.defaults.get(plan_code, self.defaults.get(FREE, QuotaDefault(0)))

    def phrase(self, amount: int | None) -> str:
        if amount is None:
            return str(_("%(label)s: unlimited") % {"label": self.label})
        return str(self.amount_format % {"count": amount})


@dataclass
class Registry:
    features: dict[str, Feature] = field(default_factory=dict)
    quotas: dict[str, Quota] = field(default_factory=dict)

    def feature(self, code: str, *, label: Any, description: Any, defaults: dict[str, bool]) -> Feature:
        if code in self.quotas:
            raise ValueError(f"{code!r} is already registered as a quota")
        item = Feature(code=code, label=label, description=description, defaults=dict(defaults))
        self.features[code] = item
        return item

    def quota(
        self,
        code: str,
        *,
        label: Any,
        description: Any,
        window: str,
        amount_format: Any,
        defaults: dict[str, QuotaDefault | int | None],
        kind: str = COUNTER,
        scalable: bool = True,
    ) -> Quota:
        if window not in WINDOWS:
            raise ValueError(f"window must be one of {WINDOWS}, not {window!r}")
        if kind not in (COUNTER, SETTING):
            raise ValueError(f"kind must be {COUNTER!r} or {SETTING!r}")
        if code in self.features:
            raise ValueError(f"{code!r} is already registered as a feature")
        normalised = {
            plan: value if isinstance(value, QuotaDefault) else QuotaDefault(value)
            for plan, value in defaults.items()
        }
        item = Quota(
            code=code,
            label=label,
            description=description,
            window=window,
            amount_format=amount_format,
            defaults=normalised,
            kind=kind,
            scalable=scalable,
        )
        self.quotas[code] = item
        return item

    def get_feature(self, code: str) -> Feature:
        try:
            return self.features[code]
        except KeyError:
            raise UnknownEntitlement(code) from None

    def get_quota(self, code: str) -> Quota:
        try:
            return self.quotas[code]
        except KeyError:
            raise UnknownEntitlement(code) from None

    def is_known(self, code: str) -> bool:
        return code in self.features or code in self.quotas


class UnknownEntitlement(KeyError):
    """A feature or quota name nobody registered: a programming or import error, never a member's doing."""

    def __str__(self) -> str:
        return f"unknown feature or quota: {self.args[0]!r}"


REGISTRY = Registry()
feature = REGISTRY.feature
quota = REGISTRY.quota

# ------------------------------------------------------------------------------------------- features

feature(
    "inmail.send",
    label=_("InMail"),
    description=_("Message members you are not connected to, spending an InMail credit."),
    defaults={FREE: False, CAREER: True, BUSINESS: True, SALES: True},
)
feature(
    "profile_views.full_list",
    label=_("Who viewed your profile: full list"),
    description=_("See everyone who viewed your profile over the history window, not only the last few."),
    defaults={FREE: False, CAREER: True, BUSINESS: True, SALES: True},
)
feature(
    "prospecting.lead_lists",
    label=_("Lead lists"),
    description=_("Keep lists of members you prospect."),
    defaults={FREE: False, CAREER: False, BUSINESS: False, SALES: True},
)
feature(
    "prospecting.notes",
    label=_("Notes on members"),
    description=_("Write private notes on the members you prospect."),
    defaults={FREE: False, CAREER: False, BUSINESS: False, SALES: True},
)
feature(
    "prospecting.saved_searches",
    label=_("Saved searches"),
    description=_("Save searches and be told when new members match."),
    defaults={FREE: False, CAREER: False, BUSINESS: False, SALES: True},
)
feature(
    "messaging.open_profile",
    label=_("Open profile"),
    description=_("Any member may message you without spending an InMail credit."),
    defaults={FREE: False, CAREER: True, BUSINESS: True, SALES: True},
)
feature(
    "search.advanced_filters",
    label=_("Advanced search filters"),
    description=_("Filter searches by company, school, seniority and more."),
    defaults={FREE: False, CAREER: False, BUSINESS: True, SALES: True},
)
feature(
    "invitations.note",
    label=_("Note with an invitation"),
    description=_("Add a personal note when you invite someone to connect."),
    defaults={FREE: True, CAREER: True, BUSINESS: True, SALES: True},
)

# --------------------------------------------------------------------------------------------- quotas

quota(
    "invitations.weekly",
    label=_("Invitations"),
    description=_("Invitations to connect you may send each week."),
    window=WEEK,
    amount_format=_("%(count)s invitations a week"),
    defaults={FREE: 100, CAREER: 150, BUSINESS: 200, SALES: 200},
)
quota(
    "invitation_notes.monthly",
    label=_("Notes with invitations"),
    description=_("Invitations with a personal note you may send each month."),
    window=MONTH,
    amount_format=_("%(count)s invitation notes a month"),
    defaults={FREE: 5, CAREER: None, BUSINESS: None, SALES: None},
)
quota(
    "inmail.credits",
    label=_("InMail credits"),
    description=_(
        "Messages to members you are not connected to. Credits are granted each month; on some plans unspent "
        "credits add up to a cap and expire after a while; a credit comes back when the InMail is answered."
    ),
    window=MONTH,
    amount_format=_("%(count)s InMail a month"),
    defaults={
        FREE: 0,
        CAREER: QuotaDefault(5),
        BUSINESS: QuotaDefault(15),
        SALES: QuotaDefault(50, carry_over_cap=150, expires_after_days=90),
    },
)
quota(
    "introductions.pending",
    label=_("Pending introductions"),
    description=_("Introduction requests you may have waiting for an answer at the same time."),
    window=NONE,
    amount_format=_("%(count)s pending introductions"),
    defaults={FREE: 5, CAREER: 10, BUSINESS: 20, SALES: 30},
)
quota(
    "search.monthly",
    label=_("Searches"),
    description=_("People searches you may run each month."),
    window=MONTH,
    amount_format=_("%(count)s searches a month"),
    defaults={FREE: 300, CAREER: 1000, BUSINESS: None, SALES: None},
)
quota(
    "profile_views.history_days",
    label=_("Profile views history"),
    description=_("How many days back you can see who viewed your profile."),
    window=NONE,
    amount_format=_("%(count)s days of profile views"),
    defaults={FREE: 90, CAREER: 365, BUSINESS: 365, SALES: 365},
    kind=SETTING,
    scalable=False,
)
quota(
    "profile_views.visible_viewers",
    label=_("Visible profile viewers"),
    description=_("How many of your latest profile viewers you can see (unlimited: all within the history)."),
    window=NONE,
    amount_format=_("the last %(count)s viewers"),
    defaults={FREE: 5, CAREER: None, BUSINESS: None, SALES: None},
    kind=SETTING,
    scalable=False,
)
