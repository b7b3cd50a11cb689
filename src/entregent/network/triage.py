"""Triage rules: a member's own ordered rules that sort the invitations they receive (the seed's "contact
strategy"). This module owns the condition format and its strict validation, the rule engine, the presets,
and the services that save a rule set, try one on the pending invitations (changing nothing), and apply
the saved rules — to a new invitation as it arrives, or to every pending one on demand.

A rule is a name, an action (accept, hold for review, decline silently, put in "suspicious"), whether it
is enabled, and zero or more conditions that must all hold. A condition is `{"field", "op", "value"}` on
the sender as seen from the recipient:

    field          ops                             values
    degree         is, is_not, at_least, at_most   1, 2, 3, "out" (out of network), in that order
    mutuals        at_least, fewer_than            a whole number (0–30,000; "fewer than" from 1)
    has_note       is                              true / false
    same_company   is                              true / false (a current position at the same company)
    same_school    is                              true / false (a school in common)
    same_industry  is                              true / false
    tier           is, is_not, at_least, at_most   "0-100", "100-500", "500+" (the sender's connections)
    completeness   is, is_not, at_least, at_most   "beginner", "intermediate", "advanced", "all_star"
    risk           is, is_not, at_least, at_most   "low", "medium", "high" (trust.selectors.risk_of)

The first enabled rule whose conditions all hold decides; a rule without conditions catches every
invitation; when no rule applies the invitation is held for review. A rule set is refused (nothing saved)
when a rule's conditions contradict each other, when two enabled rules have the same conditions and
different actions, or when an enabled rule can never apply because an earlier enabled rule catches
everything it would: each condition is turned into the set of sender values it allows, so these checks
are exact set comparisons rather than guesses.

Each decision is stored on the invitation (`triage_action`, `triage_rule`, `triage_reason`). The reason
is kept as a compact JSON snapshot of the deciding rule (position, name) and of the sender's facts that
matched, not as text: `explain(invitation)` renders it in whatever language the reader uses, and it stays
true after the rule is edited or deleted.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from entregent.core.text import join_reasons
from entregent.network.models import Invitation, TriageAction, TriageRule

if TYPE_CHECKING:
    from entregent.accounts.models import User

MAX_RULES = 20
MAX_CONDITIONS = 10
MAX_MUTUALS = 30_000
# A dry run and the preview of "apply now" look at this many pending invitations, newest first.
DRY_RUN_LIMIT = 500
REASON_MAX = 300  # Invitation.triage_reason
NAME_MAX = 80  # TriageRule.name

ACTIONS = tuple(TriageAction.values)

# ------------------------------------------------------------------------------------------ the fields

IS, IS_NOT, AT_LEAST, AT_MOST, FEWER_THAN = "is", "is_not", "at_least", "at_most", "fewer_than"
OP_LABELS: dict[str, Promise] = {
    IS: pgettext_lazy("triage condition", "is"),
    IS_NOT: pgettext_lazy("triage condition", "is not"),
    AT_LEAST: pgettext_lazy("triage condition", "at least"),
    AT_MOST: pgettext_lazy("triage condition", "at most"),
    FEWER_THAN: pgettext_lazy("triage condition", "fewer than"),
}
OPS = tuple(OP_LABELS)

ENUM, BOOL, COUNT = "enum", "bool", "count"


@dataclass(frozen=True)
class FieldSpec:
    code: str
    label: Promise
    kind: str  # ENUM (ordered values), BOOL or COUNT
    values: tuple = ()  # ENUM: the possible values, in order
    value_labels: tuple = ()  # ENUM: their labels, same order

    @property
    def ops(self) -> tuple[str, ...]:
        if self.kind == ENUM:
            return (IS, IS_NOT, AT_LEAST, AT_MOST)
        if self.kind == BOOL:
            return (IS,)
        return (AT_LEAST, FEWER_THAN)

    def value_label(self, value: Any) -> str:
        if self.kind == BOOL:
            return str(_("yes") if value else _("no"))
        if self.kind == COUNT:
            return formats.number_format(value, force_grouping=True)
        return str(self.value_labels[self.values.index(value)])


FIELDS: dict[str, FieldSpec] = {
    spec.code: spec
    for spec in (
        FieldSpec(
            "degree",
            gettext_lazy("Degree"),
            ENUM,
            (1, 2, 3, "out"),
            (gettext_lazy("1st"), gettext_lazy("2nd"), gettext_lazy("3rd"), gettext_lazy("out of network")),
        ),
        FieldSpec("mutuals", gettext_lazy("Mutual connections"), COUNT),
        FieldSpec("has_note", gettext_lazy("Includes a note"), BOOL),
        FieldSpec("same_company", gettext_lazy("Works at my current company"), BOOL),
        FieldSpec("same_school", gettext_lazy("Went to one of my schools"), BOOL),
        FieldSpec("same_industry", gettext_lazy("Works in my industry"), BOOL),
        FieldSpec(
            "tier",
            gettext_lazy("Their number of connections"),
            ENUM,
            ("0-100", "100-500", "500+"),
            (gettext_lazy("0–100"), gettext_lazy("100–500"), gettext_lazy("500+")),
        ),
        FieldSpec(
            "completeness",
            gettext_lazy("Profile level"),
            ENUM,
            ("beginner", "intermediate", "advanced", "all_star"),
            (
                gettext_lazy("Beginner"),
                gettext_lazy("Intermediate"),
                gettext_lazy("Advanced"),
                gettext_lazy("All-Star"),
            ),
        ),
        FieldSpec(
            "risk",
            gettext_lazy("Risk level"),
            ENUM,
            ("low", "medium", "high"),
            (gettext_lazy("low"), gettext_lazy("medium"), gettext_lazy("high")),
        ),
    )
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ------------------------------------------------------------------------------------- rules as data


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "op": self.op, "value": self.value}

    def allowed(self) -> Any:
        """The sender values this condition lets through: a frozenset for enums and booleans, a
        half-open [low, high) interval for counts."""
        spec = FIELDS[self.field]
        if spec.kind == BOOL:
            return frozenset({self.value})
        if spec.kind == COUNT:
            return (self.value, math.inf) if self.op == AT_LEAST else (0, self.value)
        position = spec.values.index(self.value)
        if self.op == IS:
            return frozenset({self.value})
        if self.op == IS_NOT:
            return frozenset(spec.values) - {self.value}
        if self.op == AT_LEAST:
            return frozenset(spec.values[position:])
        return frozenset(spec.values[: position + 1])

    def holds(self, actual: Any) -> bool:
        allowed = self.allowed()
        if FIELDS[self.field].kind == BOOL:
            return bool(actual) in allowed
        if isinstance(allowed, tuple):
            return allowed[0] <= actual < allowed[1]
        return actual in allowed

    def describe(self) -> str:
        """ "Mutual connections at least 3", "Includes a note: yes"."""
        spec = FIELDS[self.field]
        if spec.kind == BOOL:
            return _("%(field)s: %(value)s") % {"field": spec.label, "value": spec.value_label(self.value)}
        return _("%(field)s %(op)s %(value)s") % {
            "field": spec.label,
            "op": OP_LABELS[self.op],
            "value": spec.value_label(self.value),
        }


@dataclass(frozen=True)
class RuleSpec:
    """A rule as proposed or stored: validated, not necessarily saved (a dry run uses unsaved ones)."""

    action: str
    name: str = ""
    enabled: bool = True
    conditions: tuple[Condition, ...] = ()
    id: int | None = None  # the stored rule it edits, if any

    def scope(self) -> dict[str, Any]:
        """Field → the sender values all the conditions on it let through (absent: anything)."""
        scope: dict[str, Any] = {}
        for condition in self.conditions:
            allowed = condition.allowed()
            if condition.field not in scope:
                scope[condition.field] = allowed
            elif isinstance(allowed, tuple):
                low, high = scope[condition.field]
                scope[condition.field] = (max(low, allowed[0]), min(high, allowed[1]))
            else:
                scope[condition.field] = scope[condition.field] & allowed
        return scope

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "action": self.action,
            "enabled": self.enabled,
            "conditions": [c.as_json() for c in self.conditions],
        }

    @property
    def action_label(self) -> str:
        return str(TriageAction(self.action).label)

    def describe(self) -> str:
        """ "Mutual connections at least 3 and Includes a note: yes", or "Every invitation"."""
        if not self.conditions:
            return _("Every invitation")
        parts = [c.describe() for c in self.conditions]
        if len(parts) == 1:
            return parts[0]
        return _("%(conditions)s and %(last)s") % {"conditions": ", ".join(parts[:-1]), "last": parts[-1]}

    @classmethod
    def of(cls, rule: TriageRule) -> RuleSpec:
        """A stored rule (validated when saved)."""
        return cls(
            action=rule.action,
            name=rule.name,
            enabled=rule.enabled,
            conditions=tuple(Condition(c["field"], c["op"], c["value"]) for c in rule.conditions or ()),
            id=rule.pk,
        )


def _empty(allowed: Any) -> bool:
    if isinstance(allowed, tuple):
        return allowed[0] >= allowed[1]
    return not allowed


def _covers(outer: Any, inner: Any) -> bool:
    """Whether every value `inner` allows is allowed by `outer`."""
    if isinstance(outer, tuple):
        return outer[0] <= inner[0] and inner[1] <= outer[1]
    return inner <= outer


def _catches_all_of(earlier: dict[str, Any], later: dict[str, Any]) -> bool:
    """Whether a rule with scope `earlier` matches every invitation a rule with scope `later` would."""
    return all(name in later and _covers(allowed, later[name]) for name, allowed in earlier.items())


# ----------------------------------------------------------------------------------------- validation


class RulesInvalid(ValidationError):
    """A refused rule set. `problems` keeps where each message belongs — (rule index, condition index or
    None, part) with part one of "name", "action", "enabled", "conditions", "field", "op", "value", "id",
    "rule" or "rules" — so that forms can show each message next to its input; as a ValidationError its
    keys are "rules", "rules.2", "rules.2.action", "rules.2.conditions.0.value"…"""

    def __init__(self, problems: list[tuple[int | None, int | None, str, str]]) -> None:
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for rule, condition, part, message in problems:
            if rule is None:
                key = "rules"
            elif condition is not None:
                key = f"rules.{rule}.conditions.{condition}.{part}"
            elif part == "rule":
                key = f"rules.{rule}"
            else:
                key = f"rules.{rule}.{part}"
            errors.setdefault(key, []).append(message)
        super().__init__(errors)


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return _("Null characters are not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("Invalid characters.")
    return None


def _value_problem(spec: FieldSpec, op: str, value: Any) -> str | None:
    if spec.kind == BOOL:
        if not isinstance(value, bool):
            return _("“%(field)s” takes yes or no (true or false).") % {"field": spec.label}
        return None
    if spec.kind == COUNT:
        low = 1 if op == FEWER_THAN else 0
        if not _is_int(value) or not low <= value <= MAX_MUTUALS:
            return _("Enter a whole number from %(low)s to %(high)s for “%(field)s”.") % {
                "low": low,
                "high": formats.number_format(MAX_MUTUALS, force_grouping=True),
                "field": spec.label,
            }
        return None
    if isinstance(value, bool) or value not in spec.values:
        return _("This is not a possible value for “%(field)s”. Possible values: %(values)s.") % {
            "field": spec.label,
            "values": ", ".join(
                f"{label} ({json.dumps(code)})"
                for code, label in zip(spec.values, spec.value_labels, strict=True)
            ),
        }
    return None


def _rule_number(index: int) -> int:
    return index + 1


def clean_rules(data: Any, *, owner: User | None = None) -> list[RuleSpec]:
    """Validate a whole ordered rule set given as JSON-like data (a list of {"name", "action", "enabled",
    "conditions", optional "id"}); returns the rules, or raises RulesInvalid with every problem found.
    With `owner`, an "id" must be one of the owner's stored rules (it says which rule is edited)."""
    problems: list[tuple[int | None, int | None, str, str]] = []
    if not isinstance(data, list):
        raise RulesInvalid([(None, None, "rules", _("Send the rules as a list."))])
    if len(data) > MAX_RULES:
        problems.append(
            (None, None, "rules", _("You can have at most %(count)s rules.") % {"count": MAX_RULES})
        )
        raise RulesInvalid(problems)
    own_ids: set[int] = set()
    if owner is not None and any(isinstance(r, dict) and r.get("id") is not None for r in data):
        own_ids = set(TriageRule.objects.filter(owner=owner).values_list("pk", flat=True))
    seen_ids: set[int] = set()
    rules: list[RuleSpec | None] = []
    for i, raw in enumerate(data):
        if not isinstance(raw, dict):
            problems.append((i, None, "rule", _("Send each rule as an object.")))
            rules.append(None)
            continue
        before = len(problems)
        unknown = sorted(set(raw) - {"id", "name", "action", "enabled", "conditions"})
        for key in unknown:
            problems.append((i, None, "rule", _("Unknown part of a rule: “%(key)s”.") % {"key": key[:40]}))
        rule_id = raw.get("id")
        if rule_id is not None:
            if not _is_int(rule_id) or rule_id not in own_ids or rule_id in seen_ids:
                problems.append((i, None, "id", _("This rule does not exist (any more): leave out its id.")))
            else:
                seen_ids.add(rule_id)
        name = raw.get("name", "")
        if name is None:
            name = ""
        if not isinstance(name, str):
            problems.append((i, None, "name", _("Enter a text value.")))
            name = ""
        name = name.strip()
        if len(name) > NAME_MAX:
            problems.append(
                (i, None, "name", _("A rule's name has at most %(count)s characters.") % {"count": NAME_MAX})
            )
        elif (message := _text_problem(name)) is not None:
            problems.append((i, None, "name", message))
        action = raw.get("action")
        if action not in ACTIONS:
            problems.append(
                (
                    i,
                    None,
                    "action",
                    _("Choose what the rule does: %(actions)s.")
                    % {"actions": ", ".join(f"{label} ({value})" for value, label in TriageAction.choices)},
                )
            )
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append((i, None, "enabled", _("Enter true or false.")))
        raw_conditions = raw.get("conditions", [])
        if raw_conditions is None:
            raw_conditions = []
        conditions: list[Condition] = []
        if not isinstance(raw_conditions, list):
            problems.append((i, None, "conditions", _("Send the conditions as a list.")))
            raw_conditions = []
        elif len(raw_conditions) > MAX_CONDITIONS:
            problems.append(
                (
                    i,
                    None,
                    "conditions",
                    _("A rule has at most %(count)s conditions.") % {"count": MAX_CONDITIONS},
                )
            )
            raw_conditions = []
        for j, condition in enumerate(raw_conditions):
            if not isinstance(condition, dict):
                problems.append((i, j, "field", _("Send each condition as an object.")))
                continue
            for key in sorted(set(condition) - {"field", "op", "value"}):
                problems.append(
                    (i, j, "field", _("Unknown part of a condition: “%(key)s”.") % {"key": str(key)[:40]})
                )
            name_of_field, op, value = condition.get("field"), condition.get("op"), condition.get("value")
            spec = FIELDS.get(name_of_field) if isinstance(name_of_field, str) else None
            if spec is None:
                problems.append(
                    (
                        i,
                        j,
                        "field",
                        _("Unknown condition “%(field)s”. Possible conditions: %(fields)s.")
                        % {
                            "field": str(name_of_field)[:40],
                            "fields": ", ".join(f"{s.label} ({s.code})" for s in FIELDS.values()),
                        },
                    )
                )
                continue
            if op not in spec.ops:
                problems.append(
                    (
                        i,
                        j,
                        "op",
                        _("“%(field)s” cannot be compared with “%(op)s”: use %(ops)s.")
                        % {
                            "field": spec.label,
                            "op": str(op)[:40],
                            "ops": ", ".join(f"{OP_LABELS[o]} ({o})" for o in spec.ops),
                        },
                    )
                )
                continue
            if (message := _value_problem(spec, op, value)) is not None:
                problems.append((i, j, "value", message))
                continue
            conditions.append(Condition(spec.code, op, value))
        if len(problems) > before:
            rules.append(None)
            continue
        rule = RuleSpec(action=action, name=name, enabled=enabled, conditions=tuple(conditions), id=rule_id)
        contradiction = _contradiction(rule)
        if contradiction is not None:
            problems.append((i, None, "conditions", contradiction))
            rules.append(None)
            continue
        rules.append(rule)
    if problems:
        raise RulesInvalid(problems)
    problems.extend(_order_problems(rules))  # type: ignore[arg-type]
    if problems:
        raise RulesInvalid(problems)
    return rules  # type: ignore[return-value]


def _contradiction(rule: RuleSpec) -> str | None:
    for name, allowed in rule.scope().items():
        if _empty(allowed):
            on_field = [c.describe() for c in rule.conditions if c.field == name]
            return _(
                "These conditions contradict each other, so the rule could never apply: %(conditions)s."
            ) % {"conditions": _(" and ").join(on_field)}
    return None


def _order_problems(rules: list[RuleSpec]) -> list[tuple[int | None, int | None, str, str]]:
    problems: list[tuple[int | None, int | None, str, str]] = []
    enabled = [(i, rule, rule.scope()) for i, rule in enumerate(rules) if rule.enabled]
    for later_position, (j, later, later_scope) in enumerate(enabled):
        for i, earlier, earlier_scope in enabled[:later_position]:
            if not _catches_all_of(earlier_scope, later_scope):
                continue
            if earlier_scope == later_scope and earlier.action != later.action:
                message = _(
                    "Rules %(first)s and %(second)s have the same conditions but different actions: only "
                    "rule %(first)s would ever apply. Delete one, or change its conditions."
                ) % {"first": _rule_number(i), "second": _rule_number(j)}
            elif not earlier.conditions:
                message = _(
                    "Rule %(rule)s can never apply: rule %(first)s comes first and has no conditions, so it "
                    "catches every invitation. Move this rule above it, or give rule %(first)s conditions."
                ) % {"rule": _rule_number(j), "first": _rule_number(i)}
            else:
                message = _(
                    "Rule %(rule)s can never apply: rule %(first)s comes first and catches every invitation "
                    "it would. Move this rule above rule %(first)s, or change its conditions."
                ) % {"rule": _rule_number(j), "first": _rule_number(i)}
            problems.append((j, None, "rule", message))
            break
    return problems


# ------------------------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    code: str
    name: Promise
    description: Promise
    rules: tuple[tuple[Promise, str, tuple[Condition, ...]], ...]  # (name, action, conditions)

    def specs(self) -> list[RuleSpec]:
        return [
            RuleSpec(action=action, name=str(name), conditions=conds) for name, action, conds in self.rules
        ]


PRESETS: dict[str, Preset] = {
    preset.code: preset
    for preset in (
        Preset(
            "open",
            gettext_lazy("Open networker"),
            gettext_lazy("Accept every invitation, except from high-risk senders: those go to “suspicious”."),
            (
                (
                    gettext_lazy("High-risk senders"),
                    TriageAction.SUSPICIOUS,
                    (Condition("risk", IS, "high"),),
                ),
                (gettext_lazy("Everyone else"), TriageAction.ACCEPT, ()),
            ),
        ),
        Preset(
            "selective",
            gettext_lazy("Selective"),
            gettext_lazy(
                "Accept people with at least 3 mutual connections or who wrote a note; put medium- and "
                "high-risk senders in “suspicious”; hold the rest for your review."
            ),
            (
                (
                    gettext_lazy("Risky senders"),
                    TriageAction.SUSPICIOUS,
                    (Condition("risk", AT_LEAST, "medium"),),
                ),
                (
                    gettext_lazy("Shared connections"),
                    TriageAction.ACCEPT,
                    (Condition("mutuals", AT_LEAST, 3),),
                ),
                (gettext_lazy("Wrote a note"), TriageAction.ACCEPT, (Condition("has_note", IS, True),)),
            ),
        ),
        Preset(
            "closed",
            gettext_lazy("Closed"),
            gettext_lazy("Hold every invitation for your review."),
            ((gettext_lazy("Everyone"), TriageAction.HOLD, ()),),
        ),
    )
}


# --------------------------------------------------------------------------------------- the senders


class _SqlNetwork:
    """Degrees, mutual connections and connection counts from the database: right inside a transaction,
    where the graph index does not follow the change log. For the one invitation that just arrived."""

    def __init__(self, *members: User) -> None:
        self.members = {member.pk: member for member in members}

    def degree(self, a: int, b: int) -> int | None:
        from entregent.network import selectors

        return selectors.degree_between(self.members[a], self.members[b])

    def mutual_count(self, a: int, b: int) -> int:
        from entregent.network import selectors

        return len(selectors.mutual_connection_ids(self.members[a], self.members[b]))

    def connection_count(self, member_id: int) -> int:
        from entregent.network import selectors

        return selectors.connection_count(self.members[member_id])


def _graph_network():
    from entregent.network import graph

    return graph.get_index()


def _risk_levels(members: list[User]) -> dict[int, str]:
    from entregent.trust import selectors as trust

    return {member_id: risk.level for member_id, risk in trust.risks_of(members).items()}


def _fold(text: str) -> str:
    from entregent.core.text import fold

    return " ".join(fold(text).split())


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Senders:
    """What the conditions read about each sender of a batch of invitations, relative to the recipient:
    computed once per batch and only for the fields the rules use, in a fixed number of queries."""

    def __init__(self, recipient: User, invitations: Sequence[Invitation], fields: set[str], network) -> None:
        from django.db.models import prefetch_related_objects

        from entregent.profiles.completeness import SECTION_RELATIONS, completeness_for

        self.recipient = recipient
        self.network = network
        self.fields = fields
        self.values: dict[int, dict[str, Any]] = {inv.pk: {} for inv in invitations}
        senders = {inv.sender_id: inv.sender for inv in invitations}
        profiles = [getattr(s, "profile", None) for s in senders.values()]
        profiles = [p for p in profiles if p is not None]
        wants_sections = fields & {"same_company", "same_school", "completeness"}
        if wants_sections:
            relations = SECTION_RELATIONS if "completeness" in fields else ("experiences", "educations")
            prefetch_related_objects(profiles, *relations)
        mine = getattr(recipient, "profile", None)
        my_companies: dict[str, str] = {}
        my_schools: dict[str, str] = {}
        if mine is not None and fields & {"same_company", "same_school"}:
            prefetch_related_objects([mine], "experiences", "educations")
            my_companies = {
                _fold(e.company_name): e.company_name for e in mine.experiences.all() if e.is_current
            }
            my_schools = {_fold(e.school): e.school for e in mine.educations.all()}
        risks = _risk_levels(list(senders.values())) if "risk" in fields else {}
        levels = {}
        if "completeness" in fields:
            levels = {p.user_id: completeness_for(p).level.code for p in profiles}
        for invitation in invitations:
            sender_id = invitation.sender_id
            profile = getattr(invitation.sender, "profile", None)
            values = self.values[invitation.pk]
            if "degree" in fields:
                values["degree"] = network.degree(recipient.pk, sender_id) or "out"
            if "mutuals" in fields:
                values["mutuals"] = network.mutual_count(recipient.pk, sender_id)
            if "has_note" in fields:
                values["has_note"] = bool(invitation.note.strip())
            if "same_company" in fields:
                theirs = (
                    {_fold(e.company_name) for e in profile.experiences.all() if e.is_current}
                    if profile
                    else set()
                )
                common = sorted(set(my_companies) & theirs - {""})
                values["same_company"] = _short(my_companies[common[0]]) if common else False
            if "same_school" in fields:
                theirs = {_fold(e.school) for e in profile.educations.all()} if profile else set()
                common = sorted(set(my_schools) & theirs - {""})
                values["same_school"] = _short(my_schools[common[0]]) if common else False
            if "same_industry" in fields:
                industry = profile.industry if profile else ""
                same = bool(industry) and mine is not None and industry == mine.industry
                values["same_industry"] = industry if same else False
            if "tier" in fields:
                from entregent.network.selectors import network_tier

                values["tier"] = network_tier(network.connection_count(sender_id))
            if "completeness" in fields:
                values["completeness"] = levels.get(sender_id, "beginner")
            if "risk" in fields:
                values["risk"] = risks.get(sender_id, "low")

    def value(self, invitation: Invitation, name: str) -> Any:
        return self.values[invitation.pk][name]


# ------------------------------------------------------------------------------------------ decisions


@dataclass
class Decision:
    """What the rules decided for one invitation, and why."""

    action: str
    position: int | None = None  # 1-based place of the deciding rule in the member's list; None: default
    rule: RuleSpec | None = None
    facts: list[tuple[str, Any, str, Any]] = field(default_factory=list)  # (field, sender's value, op, value)
    no_rules: bool = False
    accept_failed: bool = False

    @property
    def action_label(self) -> str:
        return str(TriageAction(self.action).label)

    def reason_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"v": 1, "a": self.action}
        if self.position is None:
            data["d"] = "none" if self.no_rules else "default"
        else:
            data["p"] = self.position
            data["n"] = self.rule.name if self.rule else ""
            data["f"] = [list(fact) for fact in self.facts]
        if self.accept_failed:
            data["x"] = 1
        return data

    def reason(self) -> str:
        """The snapshot stored in Invitation.triage_reason: compact JSON of at most 300 characters (a
        long rule name is shortened, then the last facts dropped, never the decision)."""
        data = self.reason_data()

        def dump() -> str:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

        text = dump()
        while len(text) > REASON_MAX and data.get("n"):
            over = len(text) - REASON_MAX
            data["n"] = data["n"].rstrip("…")[: max(len(data["n"]) - over - 2, 0)] + "…"
            if data["n"] == "…":
                data["n"] = ""
            text = dump()
        while len(text) > REASON_MAX and data.get("f"):
            data["f"].pop()
            data["m"] = data.get("m", 0) + 1
            text = dump()
        return text

    @property
    def explanation(self) -> str:
        return explain_data(self.reason_data())


def _decide(rules: Sequence[RuleSpec], invitation: Invitation, senders: _Senders) -> Decision:
    for position, rule in enumerate(rules, start=1):
        if not rule.enabled:
            continue
        facts = []
        for condition in rule.conditions:
            actual = senders.value(invitation, condition.field)
            if not condition.holds(actual):
                break
            facts.append((condition.field, actual, condition.op, condition.value))
        else:
            return Decision(action=rule.action, position=position, rule=rule, facts=facts)
    return Decision(action=TriageAction.HOLD, no_rules=not any(rule.enabled for rule in rules))


def _fields_of(rules: Iterable[RuleSpec]) -> set[str]:
    return {c.field for rule in rules if rule.enabled for c in rule.conditions}


def decide_all(
    recipient: User, rules: Sequence[RuleSpec], invitations: Sequence[Invitation], *, network=None
) -> list[Decision]:
    """The decision for each invitation to `recipient` under `rules`, in order. Changes nothing."""
    senders = _Senders(recipient, invitations, _fields_of(rules), network or _graph_network())
    return [_decide(rules, invitation, senders) for invitation in invitations]


# ------------------------------------------------------------------------------------- explanations


def _fact_text(name: str, actual: Any, op: str, value: Any) -> str:
    spec = FIELDS.get(name)
    if spec is None:
        return ""
    if name == "mutuals":
        count = ngettext("%(count)s mutual connection", "%(count)s mutual connections", actual) % {
            "count": formats.number_format(actual, force_grouping=True)
        }
        sign = "≥" if op == AT_LEAST else "<"
        return f"{count} ({sign} {formats.number_format(value, force_grouping=True)})"
    if spec.kind == BOOL:
        if name == "has_note":
            return _("wrote a note") if actual else _("no note")
        if name == "same_company":
            return (
                _("also works at %(company)s") % {"company": actual} if actual else _("not at your company")
            )
        if name == "same_school":
            return _("also went to %(school)s") % {"school": actual} if actual else _("not from your schools")
        from entregent.profiles.taxonomy import industry_label

        if actual:
            return _("also works in %(industry)s") % {"industry": industry_label(actual) or actual}
        return _("not in your industry")
    if actual not in spec.values:
        return ""
    shown = spec.value_label(actual)
    facts = {
        "degree": _("%(degree)s-degree connection") % {"degree": shown}
        if actual != "out"
        else _("out of your network"),
        "tier": _("%(tier)s connections") % {"tier": shown},
        "completeness": _("profile level %(level)s") % {"level": shown},
        "risk": _("risk level %(level)s") % {"level": shown},
    }
    text = facts[name]
    if op != IS:
        text = f"{text} ({OP_LABELS[op]} {spec.value_label(value)})"
    return text


def explain_data(data: dict[str, Any]) -> str:
    if "p" not in data:
        if data.get("d") == "none":
            return _("You have no rules: held for your review.")
        return _("No rule applies: held for your review.")
    facts = [_fact_text(*fact) for fact in data.get("f", []) if isinstance(fact, list) and len(fact) == 4]
    facts = [text for text in facts if text]
    if data.get("m"):
        facts.append(
            ngettext("%(count)s more condition", "%(count)s more conditions", data["m"])
            % {"count": data["m"]}
        )
    why = join_reasons(facts) if facts else _("applies to every invitation")
    if data.get("n"):
        text = _("Rule %(position)s “%(name)s”: %(why)s") % {
            "position": data["p"],
            "name": data["n"],
            "why": why,
        }
    else:
        text = _("Rule %(position)s: %(why)s") % {"position": data["p"], "why": why}
    if data.get("x"):
        text = _(
            "%(reason)s. It could not be accepted automatically (a connection limit or a block): held "
            "for your review."
        ) % {"reason": text}
    return text


def explain(invitation: Invitation) -> str:
    """Why the member's rules did what they did with `invitation`, in the active language ("Rule 2
    “Selective”: 4 mutual connections (≥ 3)"); "" when it was never triaged."""
    reason = invitation.triage_reason or ""
    if not reason:
        return ""
    try:
        data = json.loads(reason)
    except ValueError:
        return reason  # written as text by something else: shown as it is
    if not isinstance(data, dict):
        return reason
    return explain_data(data)


# ------------------------------------------------------------------------------------------- selectors


def rules_of(member: User) -> list[TriageRule]:
    """The member's stored rules, in order."""
    return list(TriageRule.objects.filter(owner=member).order_by("position", "pk"))


def rule_specs_of(member: User) -> list[RuleSpec]:
    return [RuleSpec.of(rule) for rule in rules_of(member)]


def pending_for(member: User, *, limit: int | None = DRY_RUN_LIMIT) -> list[Invitation]:
    """The pending invitations the member's rules sort (those their invitations page lists), newest
    first, with each sender and profile."""
    from entregent.network import selectors

    invitations = selectors.invitations_received(member)
    return list(invitations[:limit] if limit else invitations)


@dataclass
class DryRun:
    """What a rule set would do with the pending invitations: each one's decision, and counts."""

    results: list[tuple[Invitation, Decision]]
    total: int  # pending invitations in all (the results cover the newest DRY_RUN_LIMIT)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(decision.action for _inv, decision in self.results)
        return {action: counter.get(action, 0) for action in ACTIONS}

    def by_action(self, action: str) -> list[tuple[Invitation, Decision]]:
        return [(inv, decision) for inv, decision in self.results if decision.action == action]

    @property
    def truncated(self) -> bool:
        return self.total > len(self.results)


def dry_run(member: User, rules: Sequence[RuleSpec]) -> DryRun:
    """What `rules` (saved or not) would do with `member`'s pending invitations. Changes nothing."""
    from entregent.network import selectors

    invitations = pending_for(member)
    total = len(invitations)
    if total >= DRY_RUN_LIMIT:
        total = selectors.invitations_received(member).count()
    decisions = decide_all(member, rules, invitations)
    return DryRun(results=list(zip(invitations, decisions, strict=True)), total=total)


# ------------------------------------------------------------------------------------------- services


def _lock_member(member: User) -> None:
    """Serialise the writes to one member's rules (two saves at once would interleave positions)."""
    from entregent.accounts.models import User as UserModel

    UserModel.objects.select_for_update().filter(pk=member.pk).first()


@transaction.atomic
def rules_replace(*, member: User, rules: Sequence[RuleSpec]) -> list[TriageRule]:
    """Make `rules` the member's rule set, in this order. A rule with an id updates that stored rule (so
    invitations it decided keep pointing at it); stored rules left out are deleted. Call `clean_rules`
    first: this refuses an invalid set the same way."""
    _lock_member(member)
    clean_rules([{**rule.as_json(), "id": rule.id} for rule in rules], owner=member)
    existing = {rule.pk: rule for rule in TriageRule.objects.filter(owner=member)}
    kept = {rule.id for rule in rules if rule.id is not None}
    TriageRule.objects.filter(owner=member).exclude(pk__in=kept).delete()
    saved = []
    for position, spec in enumerate(rules, start=1):
        row = existing.get(spec.id) if spec.id is not None else None
        if row is None:
            row = TriageRule(owner=member)
        row.position = position
        row.name = spec.name
        row.action = spec.action
        row.enabled = spec.enabled
        row.conditions = [c.as_json() for c in spec.conditions]
        row.full_clean()
        row.save()
        saved.append(row)
    return saved


def preset_install(*, member: User, code: str) -> list[TriageRule]:
    """Replace the member's rules with a preset's (names in the active language)."""
    preset = PRESETS.get(code)
    if preset is None:
        raise ValidationError(
            {
                "preset": [
                    _("Unknown preset. Possible presets: %(presets)s.")
                    % {"presets": ", ".join(f"{p.name} ({p.code})" for p in PRESETS.values())}
                ]
            }
        )
    return rules_replace(member=member, rules=preset.specs())


def _carry_out(
    invitation: Invitation, decision: Decision, recipient: User, rows: dict[int, TriageRule]
) -> str:
    """Act on the decision and record it on the invitation; returns the action taken, or "" when the
    invitation was answered meanwhile. An accept that cannot be carried out (a connection limit, a block)
    holds the invitation instead, and the reason says so."""
    from entregent.network import services

    if decision.action == TriageAction.ACCEPT:
        try:
            services.invitation_accept(invitation=invitation, member=recipient)
        except PermissionDenied:
            decision.action = TriageAction.HOLD
            decision.accept_failed = True
        except ValidationError:  # no longer pending
            return ""
    elif decision.action == TriageAction.DECLINE:
        try:
            services.invitation_ignore(invitation=invitation, member=recipient)
        except ValidationError:
            return ""
    rule_row = rows.get(decision.rule.id) if decision.rule and decision.rule.id else None
    reason = decision.reason()
    stored = Invitation.objects.filter(pk=invitation.pk)
    if decision.action in (TriageAction.HOLD, TriageAction.SUSPICIOUS):
        stored = stored.filter(status=Invitation.Status.PENDING)
    if not stored.update(triage_action=decision.action, triage_rule=rule_row, triage_reason=reason):
        return ""
    invitation.triage_action, invitation.triage_rule, invitation.triage_reason = (
        decision.action,
        rule_row,
        reason,
    )
    return decision.action


def triage_on_arrival(invitation: Invitation) -> None:
    """Apply the recipient's rules to a new invitation (inside invitation_send's transaction): accept it
    at once, decline it silently (the sender still sees it pending), put it in "suspicious" or hold it for
    review — and record which rule decided and why. Degrees and mutual connections come from the
    database here, where the graph index does not follow the change log."""
    recipient = invitation.recipient
    stored = rules_of(recipient)
    rules = [RuleSpec.of(rule) for rule in stored]
    decision = decide_all(recipient, rules, [invitation], network=_SqlNetwork(recipient, invitation.sender))[
        0
    ]
    _carry_out(invitation, decision, recipient, {rule.pk: rule for rule in stored})


def rules_apply_to_pending(*, member: User) -> dict[str, int]:
    """Apply the member's saved rules to all their pending invitations now ("apply my rules"); returns
    how many were accepted, held, declined and put in "suspicious". Decisions are made first, on the graph
    index, then carried out in one transaction; an invitation answered meanwhile is left alone."""
    stored = rules_of(member)
    rules = [RuleSpec.of(rule) for rule in stored]
    rows = {rule.pk: rule for rule in stored}
    counts = dict.fromkeys(ACTIONS, 0)
    invitations = pending_for(member, limit=None)
    for start in range(0, len(invitations), DRY_RUN_LIMIT):
        chunk = invitations[start : start + DRY_RUN_LIMIT]
        decisions = decide_all(member, rules, chunk)
        with transaction.atomic():
            for invitation, decision in zip(chunk, decisions, strict=True):
                done = _carry_out(invitation, decision, member, rows)
                if done:
                    counts[done] += 1
    return counts
