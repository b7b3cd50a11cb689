"""The JSON API of the network: the member's invitation rules. Read and replace the whole ordered rule
set, try a proposed set on the pending invitations (changes nothing), install a preset, and apply the saved
rules to the pending invitations now. Every rule set is checked by `triage.clean_rules`, as on the page,
and saved by the same services; only the caller's own rules are ever read or written."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS
from entregent.network import triage

router = Router(tags=["network"])

MAX_ID = 2**63 - 1
Action = Literal["accept", "hold", "decline", "suspicious"]
FieldCode = Literal[tuple(triage.FIELDS)]  # type: ignore[valid-type]
Op = Literal[tuple(triage.OPS)]  # type: ignore[valid-type]
ValueText = Annotated[str, Field(max_length=40)]

CONDITION_HELP = (
    "A condition on the member who invites you, as seen from you. `degree` (is, is_not, at_least, at_most): "
    '1, 2, 3 or "out" (out of network). `mutuals` (at_least, fewer_than): a whole number, 0–30000. '
    "`has_note`, `same_company`, `same_school`, `same_industry` (is): true or false. `tier` (is, is_not, "
    'at_least, at_most): "0-100", "100-500", "500+". `completeness` (same ops): "beginner", '
    '"intermediate", "advanced", "all_star". `risk` (same ops): "low", "medium", "high".'
)


# ------------------------------------------------------------------------------------------- schemas


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class TriageConditionIn(_Input):
    """A condition on the member who invites you."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": CONDITION_HELP})

    field: FieldCode
    op: Op
    value: bool | int | ValueText = Field(description="See the condition's field for the possible values")


class TriageConditionOut(Schema):
    field: str
    op: str
    value: bool | int | str


class TriageRuleIn(_Input):
    id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The stored rule this entry edits (from GET); leave out for a new rule",
    )
    name: str = Field("", max_length=triage.NAME_MAX)
    action: Action
    enabled: bool = True
    conditions: list[TriageConditionIn] = Field(
        default_factory=list,
        description=f"All must hold; none: the rule applies to every invitation (at most {triage.MAX_CONDITIONS})",
    )


class TriageRuleSetIn(_Input):
    rules: list[TriageRuleIn] = Field(
        description=(
            f"In order: the first enabled rule whose conditions all hold decides (at most {triage.MAX_RULES}). "
            "Refused when a rule's conditions contradict each other, when two enabled rules have the same "
            "conditions and different actions, or when an enabled rule can never apply because an earlier "
            "one catches everything it would."
        )
    )


class TriageRuleOut(Schema):
    id: int
    position: int = Field(description="1 for the first rule")
    name: str
    action: Action
    enabled: bool
    conditions: list[TriageConditionOut]
    description: str = Field(description="The conditions in words, in your language")


class TriageRuleSetOut(Schema):
    rules: list[TriageRuleOut]


class TriagePresetIn(_Input):
    preset: Literal["open", "selective", "closed"]


class TriagePresetRuleOut(Schema):
    name: str
    action: Action
    conditions: list[TriageConditionOut]
    description: str


class TriagePresetOut(Schema):
    code: str
    name: str
    description: str
    rules: list[TriagePresetRuleOut]


class TriageCountsOut(Schema):
    accept: int
    hold: int
    decline: int
    suspicious: int


class TriageSenderOut(Schema):
    slug: str
    name: str
    profile_url: str


class TriageDecisionOut(Schema):
    invitation_id: int
    sender: TriageSenderOut
    has_note: bool
    action: Action
    rule_position: int | None = Field(None, description="The deciding rule; null when none applies (held)")
    rule_name: str
    reason: str = Field(description="Why, in your language")


class TriageDryRunOut(Schema):
    pending: int = Field(description="Pending invitations in all")
    counts: TriageCountsOut = Field(description="What the rules would do with the invitations listed")
    invitations: list[TriageDecisionOut] = Field(
        description=f"The newest {triage.DRY_RUN_LIMIT} pending invitations"
    )


# ------------------------------------------------------------------------------------------- helpers


def _condition(condition: triage.Condition) -> dict[str, Any]:
    return condition.as_json()


def _rules_out(member) -> dict[str, Any]:
    rows = triage.rules_of(member)
    return {
        "rules": [
            {
                "id": row.pk,
                "position": position,
                "name": row.name,
                "action": row.action,
                "enabled": row.enabled,
                "conditions": [_condition(c) for c in spec.conditions],
                "description": spec.describe(),
            }
            for position, (row, spec) in enumerate(((r, triage.RuleSpec.of(r)) for r in rows), start=1)
        ]
    }


def _specs(request: HttpRequest, payload: TriageRuleSetIn) -> list[triage.RuleSpec]:
    return triage.clean_rules([rule.model_dump() for rule in payload.rules], owner=request.auth)


# ----------------------------------------------------------------------------------------- endpoints


@router.get(
    "/me/triage-rules",
    auth=auth.REQUIRED,
    response={200: TriageRuleSetOut, **READ_ERRORS},
    operation_id="triage_rules_read",
    summary="My invitation rules, in order",
)
def triage_rules_read(request: HttpRequest):
    return _rules_out(request.auth)


@router.put(
    "/me/triage-rules",
    auth=auth.REQUIRED,
    response={200: TriageRuleSetOut, **WRITE_ERRORS},
    operation_id="triage_rules_replace",
    summary="Replace my invitation rules with this ordered set",
    description=(
        "The whole set, in order. Give a rule's `id` to edit it (invitations it sorted keep pointing at it); "
        "rules left out are deleted. Nothing is saved when any rule is refused."
    ),
)
def triage_rules_replace(request: HttpRequest, payload: TriageRuleSetIn):
    specs = _specs(request, payload)
    triage.rules_replace(member=request.auth, rules=specs)
    return _rules_out(request.auth)


@router.post(
    "/me/triage-rules/dry-run",
    auth=auth.REQUIRED,
    response={200: TriageDryRunOut, **WRITE_ERRORS},
    operation_id="triage_rules_dry_run",
    summary="Try a rule set on my pending invitations (changes nothing)",
)
def triage_rules_dry_run(request: HttpRequest, payload: TriageRuleSetIn):
    specs = _specs(request, payload)
    result = triage.dry_run(request.auth, specs)
    return {
        "pending": result.total,
        "counts": result.counts,
        "invitations": [
            {
                "invitation_id": invitation.pk,
                "sender": {
                    "slug": invitation.sender.profile.slug,
                    "name": invitation.sender.profile.display_name,
                    "profile_url": invitation.sender.profile.get_absolute_url(),
                },
                "has_note": bool(invitation.note),
                "action": decision.action,
                "rule_position": decision.position,
                "rule_name": decision.rule.name if decision.rule else "",
                "reason": decision.explanation,
            }
            for invitation, decision in result.results
        ],
    }


@router.get(
    "/me/triage-rules/presets",
    auth=auth.REQUIRED,
    response={200: list[TriagePresetOut], **READ_ERRORS},
    operation_id="triage_presets",
    summary="The preset rule sets (open networker, selective, closed)",
)
def triage_presets(request: HttpRequest):
    return [
        {
            "code": preset.code,
            "name": str(preset.name),
            "description": str(preset.description),
            "rules": [
                {
                    "name": spec.name,
                    "action": spec.action,
                    "conditions": [_condition(c) for c in spec.conditions],
                    "description": spec.describe(),
                }
                for spec in preset.specs()
            ],
        }
        for preset in triage.PRESETS.values()
    ]


@router.post(
    "/me/triage-rules/preset",
    auth=auth.REQUIRED,
    response={200: TriageRuleSetOut, **WRITE_ERRORS},
    operation_id="triage_preset_install",
    summary="Replace my invitation rules with a preset",
)
def triage_preset_install(request: HttpRequest, payload: TriagePresetIn):
    triage.preset_install(member=request.auth, code=payload.preset)
    return _rules_out(request.auth)


@router.post(
    "/me/triage-rules/apply",
    auth=auth.REQUIRED,
    response={200: TriageCountsOut, **WRITE_ERRORS},
    operation_id="triage_rules_apply",
    summary="Apply my saved rules to my pending invitations now",
    description="Accepted invitations connect you at once; declined ones are ignored silently. Returns how many "
    "invitations each action took.",
)
def triage_rules_apply(request: HttpRequest):
    return triage.rules_apply_to_pending(member=request.auth)
