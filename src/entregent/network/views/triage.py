"""Pages of the network: the member's invitation rules (/network/rules/).

The whole rule set is one form, so it works without JavaScript: each rule is a fieldset (name, action,
enabled, its conditions as rows of three selects), and every button submits everything typed so far.
"Move up", "Move down", "Delete", "Add a condition" and "Add a rule" only rearrange the proposed set and
show it again (nothing is saved); "Try on my pending invitations" validates it and shows what it would do
with each pending invitation (nothing changes); "Save rules" validates and saves it. A refused set is
shown again with each message next to its input, with status 422. Presets and "apply my rules now" ask
for confirmation first. Rules are only ever read and written for request.user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from entregent.network import selectors, triage
from entregent.network.models import TriageAction

# Rows shown for each rule beyond its conditions, for adding one (more with "Add a condition").
BLANK_ROWS = 1
# What a form may post, whatever it claims: a few more than allowed, so the limit gets its own message.
MAX_POSTED_RULES = triage.MAX_RULES + 5
MAX_POSTED_ROWS = triage.MAX_CONDITIONS + 5
# The mutual-connection thresholds offered in the value list (any other stored value is added to it).
COUNT_CHOICES = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 250, 500, 1000)
# Cards shown per outcome in a dry run (all are counted).
DRY_RUN_SHOWN = 30

# --------------------------------------------------------------------------------------------- values
# The value select lists every field's values in groups; each option says which field it belongs to
# ("degree:2", "count:3", "yes"), so a value from another field's group is refused, not reinterpreted.

_NAMESPACE = {
    "degree": "degree",
    "mutuals": "count",
    "has_note": "bool",
    "same_company": "bool",
    "same_school": "bool",
    "same_industry": "bool",
    "tier": "tier",
    "completeness": "completeness",
    "risk": "risk",
}


def _token(field_code: str, value: Any) -> str:
    namespace = _NAMESPACE[field_code]
    if namespace == "bool":
        return "yes" if value else "no"
    return f"{namespace}:{value}"


def _untoken(choice: str) -> tuple[str, Any]:
    """("bool", True), ("count", 3), ("degree", 2), ("degree", "out"), ("risk", "low")…"""
    if choice in ("yes", "no"):
        return "bool", choice == "yes"
    namespace, _sep, raw = choice.partition(":")
    if namespace == "count":
        return namespace, int(raw)
    if namespace == "degree" and raw.isdigit():
        return namespace, int(raw)
    return namespace, raw


def _value_choices(extra_counts: set[int]) -> list:
    def enum(code: str) -> list[tuple[str, str]]:
        spec = triage.FIELDS[code]
        return [
            (_token(code, value), str(label))
            for value, label in zip(spec.values, spec.value_labels, strict=True)
        ]

    counts = sorted(set(COUNT_CHOICES) | extra_counts)
    return [
        ("", "—"),
        (str(triage.FIELDS["degree"].label), enum("degree")),
        (_("Yes or no"), [("yes", _("yes")), ("no", _("no"))]),
        (
            str(triage.FIELDS["mutuals"].label),
            [(f"count:{n}", formats.number_format(n, force_grouping=True)) for n in counts],
        ),
        (str(triage.FIELDS["tier"].label), enum("tier")),
        (str(triage.FIELDS["completeness"].label), enum("completeness")),
        (str(triage.FIELDS["risk"].label), enum("risk")),
    ]


# ---------------------------------------------------------------------------------------------- forms


class RuleForm(forms.Form):
    id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=triage.NAME_MAX,
        required=False,
        help_text=gettext_lazy("Optional: shown with every invitation this rule sorts."),
        widget=forms.TextInput(attrs={"maxlength": triage.NAME_MAX}),
    )
    action = forms.ChoiceField(label=gettext_lazy("Then"), choices=TriageAction.choices)
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False)


class ConditionForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("If"), required=False)
    op = forms.ChoiceField(label=gettext_lazy("Comparison"), required=False)
    value = forms.ChoiceField(label=gettext_lazy("Value"), required=False)

    def __init__(self, *args: Any, extra_counts: set[int] = frozenset(), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("— choose a condition —"))] + [
            (code, str(spec.label)) for code, spec in triage.FIELDS.items()
        ]
        self.fields["op"].choices = [("", "—")] + [
            (code, str(label)) for code, label in triage.OP_LABELS.items()
        ]
        self.fields["value"].choices = _value_choices(set(extra_counts))

    @property
    def is_blank(self) -> bool:
        return not any(
            (self.data.get(self.add_prefix(part)) or "").strip() for part in ("field", "op", "value")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("field")
        if not code:
            if "field" not in self.errors:
                self.add_error("field", _("Choose a condition, or clear this line."))
            return data
        if not data.get("op") and "op" not in self.errors:
            self.add_error("op", _("Choose a comparison."))
        token = data.get("value")
        if not token and "value" not in self.errors:
            self.add_error("value", _("Choose a value."))
        elif token and _untoken(token)[0] != _NAMESPACE[code]:
            self.add_error(
                "value",
                _("Choose the value in the “%(group)s” group for this condition.")
                % {"group": _group_label(code)},
            )
        return data

    def as_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"field": data["field"], "op": data["op"], "value": _untoken(data["value"])[1]}


def _group_label(code: str) -> str:
    if _NAMESPACE[code] == "bool":
        return _("Yes or no")
    return str(triage.FIELDS[code].label)


# --------------------------------------------------------------------------------------------- drafts
# A draft is the rule set as typed: plain strings, possibly invalid, in the order shown.


@dataclass
class DraftRule:
    id: str = ""
    name: str = ""
    action: str = TriageAction.HOLD.value
    enabled: bool = True
    conditions: list[dict[str, str]] = field(default_factory=list)  # field, op, value (token)
    blank_rows: int = BLANK_ROWS


def _drafts_from_specs(specs: list[triage.RuleSpec]) -> list[DraftRule]:
    return [
        DraftRule(
            id=str(spec.id or ""),
            name=spec.name,
            action=spec.action,
            enabled=spec.enabled,
            conditions=[
                {"field": c.field, "op": c.op, "value": _token(c.field, c.value)} for c in spec.conditions
            ],
        )
        for spec in specs
    ]


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


def _drafts_from_post(post: QueryDict) -> list[DraftRule]:
    drafts = []
    for i in range(_int(post.get("rules"), 0, 0, MAX_POSTED_RULES)):
        prefix = f"r{i}"
        rows = _int(post.get(f"{prefix}-rows"), 0, 0, MAX_POSTED_ROWS)
        conditions = []
        for j in range(rows):
            row = {part: post.get(f"{prefix}c{j}-{part}", "")[:40] for part in ("field", "op", "value")}
            if row["field"] or row["op"] or row["value"]:
                conditions.append(row)
        drafts.append(
            DraftRule(
                id=post.get(f"{prefix}-id", "")[:20],
                name=post.get(f"{prefix}-name", "")[:200],
                action=post.get(f"{prefix}-action", "")[:20],
                enabled=bool(post.get(f"{prefix}-enabled")),
                conditions=conditions,
            )
        )
    return drafts


def _extra_counts(drafts: list[DraftRule]) -> set[int]:
    counts = set()
    for draft in drafts:
        for row in draft.conditions:
            namespace, _sep, raw = row.get("value", "").partition(":")
            if namespace == "count" and raw.isdigit() and int(raw) <= triage.MAX_MUTUALS:
                counts.add(int(raw))
    return counts


@dataclass
class RuleBlock:
    """One rule of the editor: its form, its condition rows, and messages about the rule as a whole."""

    number: int
    form: RuleForm
    rows: list[ConditionForm]
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.form.errors or any(row.errors for row in self.rows))


class Editor:
    """The rule-set form: built from drafts, either to show (unbound) or to check (bound)."""

    def __init__(self, drafts: list[DraftRule], *, bound: bool) -> None:
        self.drafts = drafts
        self.errors: list[str] = []
        counts = _extra_counts(drafts)
        self.blocks: list[RuleBlock] = []
        for i, draft in enumerate(drafts):
            prefix = f"r{i}"
            rule_data = {
                f"{prefix}-id": draft.id,
                f"{prefix}-name": draft.name,
                f"{prefix}-action": draft.action,
            }
            if draft.enabled:
                rule_data[f"{prefix}-enabled"] = "on"
            initial = {"id": draft.id, "name": draft.name, "action": draft.action, "enabled": draft.enabled}
            form = RuleForm(rule_data if bound else None, prefix=prefix, initial=initial)
            rows = []
            for j, row in enumerate([*draft.conditions, *([{}] * (0 if bound else draft.blank_rows))]):
                row_prefix = f"{prefix}c{j}"
                data = {f"{row_prefix}-{part}": row.get(part, "") for part in ("field", "op", "value")}
                rows.append(
                    ConditionForm(
                        data if bound else None, prefix=row_prefix, initial=row, extra_counts=counts
                    )
                )
            self.blocks.append(RuleBlock(number=i + 1, form=form, rows=rows))

    @property
    def count(self) -> int:
        return len(self.blocks)

    def clean(self, *, owner) -> list[triage.RuleSpec] | None:
        """The validated rules, or None with every message attached where it belongs."""
        raw_rules: list[dict[str, Any]] = []
        row_of: list[list[ConditionForm]] = []  # for each rule, the rows behind its conditions
        valid = True
        for block in self.blocks:
            form_ok = block.form.is_valid()
            rows = [row for row in block.rows if not row.is_blank]
            checked = [row.is_valid() for row in rows]  # every row, so that every message shows
            rows_ok = all(checked)
            valid = valid and form_ok and rows_ok
            if form_ok and rows_ok:
                data = block.form.cleaned_data
                raw_rules.append(
                    {
                        "id": data["id"],
                        "name": data["name"],
                        "action": data["action"],
                        "enabled": data["enabled"],
                        "conditions": [row.as_json() for row in rows],
                    }
                )
            else:
                raw_rules.append({"action": TriageAction.HOLD.value})  # placeholder, errors already shown
            row_of.append(rows)
        if len(self.blocks) > triage.MAX_RULES:
            self.errors.append(_("You can have at most %(count)s rules.") % {"count": triage.MAX_RULES})
            return None
        if not valid:
            return None
        try:
            return triage.clean_rules(raw_rules, owner=owner)
        except triage.RulesInvalid as invalid:
            for rule_index, condition_index, part, message in invalid.problems:
                if rule_index is None:
                    self.errors.append(message)
                    continue
                block = self.blocks[rule_index]
                if condition_index is not None:
                    row = row_of[rule_index][condition_index]
                    row.add_error(part if part in ("field", "op", "value") else None, message)
                elif part in ("name", "action", "enabled"):
                    block.form.add_error(part, message)
                else:
                    block.errors.append(message)
            return None

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(block.has_errors for block in self.blocks)


# ---------------------------------------------------------------------------------------------- views


def _preset_rows() -> list[dict[str, Any]]:
    return [{"preset": preset, "rules": preset.specs()} for preset in triage.PRESETS.values()]


def _dry_run_context(member, result: triage.DryRun) -> dict[str, Any]:
    from entregent.network.cards import member_cards

    shown: list[tuple[Any, triage.Decision]] = []
    for action in triage.ACTIONS:
        shown.extend(result.by_action(action)[:DRY_RUN_SHOWN])
    cards = member_cards(member, [invitation.sender.profile for invitation, _d in shown])
    card_of = {invitation.pk: card for (invitation, _d), card in zip(shown, cards, strict=True)}
    counts = result.counts
    groups = []
    for action in triage.ACTIONS:
        entries = [
            {"card": card_of[invitation.pk], "decision": decision, "invitation": invitation}
            for invitation, decision in result.by_action(action)[:DRY_RUN_SHOWN]
        ]
        groups.append(
            {
                "action": action,
                "title": _OUTCOME_TITLES[action],
                "count": counts[action],
                "entries": entries,
                "more": counts[action] - len(entries),
            }
        )
    return {"dry_run": result, "groups": groups, "summary": _summary(result)}


_OUTCOME_TITLES = {
    TriageAction.ACCEPT: gettext_lazy("Would be accepted"),
    TriageAction.HOLD: gettext_lazy("Would be held for your review"),
    TriageAction.DECLINE: gettext_lazy("Would be declined silently"),
    TriageAction.SUSPICIOUS: gettext_lazy("Would be put in “suspicious” (hidden from your invitations)"),
}


def _summary(result: triage.DryRun) -> str:
    counts = result.counts
    looked = len(result.results)
    parts = [
        ngettext("%(count)s would be accepted", "%(count)s would be accepted", counts["accept"]),
        ngettext("%(count)s held for your review", "%(count)s held for your review", counts["hold"]),
        ngettext("%(count)s declined silently", "%(count)s declined silently", counts["decline"]),
        ngettext("%(count)s hidden as suspicious", "%(count)s hidden as suspicious", counts["suspicious"]),
    ]
    parts = [p % {"count": counts[a]} for p, a in zip(parts, triage.ACTIONS, strict=True)]
    head = ngettext(
        "Of your %(count)s pending invitation: ",
        "Of your %(count)s pending invitations: ",
        looked,
    ) % {"count": looked}
    if result.truncated:
        head = _("Of your %(count)s most recent pending invitations (out of %(total)s): ") % {
            "count": looked,
            "total": result.total,
        }
    return head + ", ".join(parts) + "."


def _render_editor(request: HttpRequest, editor: Editor, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "editor": editor,
        "presets": _preset_rows(),
        "pending_count": selectors.invitations_received(request.user).count(),
        "max_rules": triage.MAX_RULES,
        "condition_fields": triage.FIELDS.values(),
        **extra,
    }
    return render(request, "network/rules.html", context, status=status)


def _index(value: str, drafts: list[DraftRule]) -> int | None:
    try:
        index = int(value)
    except ValueError:
        return None
    return index if 0 <= index < len(drafts) else None


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_editor(
            request, Editor(_drafts_from_specs(triage.rule_specs_of(request.user)), bound=False)
        )
    drafts = _drafts_from_post(request.POST)
    do = request.POST.get("do", "")
    verb, _sep, where = do.partition("-")
    index = _index(where, drafts) if where else None
    if verb in ("try", "save"):
        editor = Editor(drafts, bound=True)
        specs = editor.clean(owner=request.user)
        if specs is None:
            return _render_editor(request, editor, status=422, unsaved=True)
        if verb == "try":
            shown = Editor(drafts, bound=False)
            result = triage.dry_run(request.user, specs)
            return _render_editor(request, shown, unsaved=True, **_dry_run_context(request.user, result))
        triage.rules_replace(member=request.user, rules=specs)
        if specs:
            saved = ngettext(
                "Your %(count)s rule is saved. It sorts new invitations; use “Apply my rules now” for "
                "those already waiting.",
                "Your %(count)s rules are saved. They sort new invitations; use “Apply my rules now” for "
                "those already waiting.",
                len(specs),
            ) % {"count": len(specs)}
        else:
            saved = _("You have no rules: every invitation waits for your review.")
        messages.success(request, saved)
        return redirect("network:rules")
    editor_error = ""
    if verb == "add_rule":
        if len(drafts) >= triage.MAX_RULES:
            editor_error = _("You can have at most %(count)s rules.") % {"count": triage.MAX_RULES}
        else:
            drafts.append(DraftRule())
    elif verb in ("up", "down", "delete", "add_condition") and index is not None:
        if verb == "up" and index > 0:
            drafts[index - 1], drafts[index] = drafts[index], drafts[index - 1]
        elif verb == "down" and index < len(drafts) - 1:
            drafts[index + 1], drafts[index] = drafts[index], drafts[index + 1]
        elif verb == "delete":
            drafts.pop(index)
        elif verb == "add_condition":
            if len(drafts[index].conditions) + drafts[index].blank_rows >= triage.MAX_CONDITIONS:
                editor_error = _("A rule has at most %(count)s conditions.") % {
                    "count": triage.MAX_CONDITIONS
                }
            else:
                drafts[index].blank_rows += 1
    else:
        editor_error = _("Choose one of the buttons of the form.")
    editor = Editor(drafts, bound=False)
    if editor_error:
        editor.errors.append(editor_error)
    return _render_editor(request, editor, status=422 if editor_error else 200, unsaved=True)


@login_required
@require_POST
def rules_preset(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("preset", "")
    preset = triage.PRESETS.get(code)
    current = triage.rule_specs_of(request.user)
    context = {"preset": preset, "current": current, "rules": preset.specs() if preset else []}
    if preset is None:
        context["error"] = _("Choose one of the presets offered.")
        return render(request, "network/rules_preset.html", context, status=422)
    if current and request.POST.get("confirm") != "yes":
        return render(request, "network/rules_preset.html", context)
    triage.preset_install(member=request.user, code=code)
    messages.success(
        request,
        _("The “%(preset)s” rules replace your rules.") % {"preset": preset.name}
        + " "
        + _("They sort new invitations; use “Apply my rules now” for those already waiting."),
    )
    return redirect("network:rules")


@login_required
@require_http_methods(["GET", "POST"])
def rules_apply(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        done = triage.rules_apply_to_pending(member=request.user)
        total = sum(done.values())
        if total:
            messages.success(
                request,
                ngettext(
                    "Your rules sorted %(count)s pending invitation: ",
                    "Your rules sorted %(count)s pending invitations: ",
                    total,
                )
                % {"count": total}
                + _(
                    "%(accept)s accepted, %(hold)s held for your review, %(decline)s declined silently, %(suspicious)s put in “suspicious”."
                )
                % done,
            )
        else:
            messages.info(request, _("You have no pending invitations to sort."))
        return redirect("network:rules")
    specs = triage.rule_specs_of(request.user)
    result = triage.dry_run(request.user, specs)
    context = {"rules": specs, **_dry_run_context(request.user, result)}
    return render(request, "network/rules_apply.html", context)
