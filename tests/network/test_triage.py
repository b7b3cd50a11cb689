"""The triage rule engine and its services: each condition, first match, the default hold, validation
(unknown or out-of-range input, contradictions, rules that can never apply), the presets, what happens to
an invitation as it arrives, the dry run (changes nothing) and "apply my rules now"."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from entregent.accounts.models import User
from entregent.network import selectors, services, triage
from entregent.network.models import Connection, GraphChange, Invitation, TriageRule
from entregent.profiles.completeness import completeness_for
from entregent.trust import selectors as trust
from tests.factories import EducationFactory, ExperienceFactory, SkillFactory, UserFactory, connect, member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------------------------- helpers


def rule(action="accept", *conditions, name="", enabled=True) -> dict:
    return {
        "name": name,
        "action": action,
        "enabled": enabled,
        "conditions": [{"field": f, "op": o, "value": v} for f, o, v in conditions],
    }


def fresh(invitation) -> Invitation:
    """The invitation as a new request would load it (no sections cached from an earlier decision)."""
    return Invitation.objects.select_related("sender__profile", "recipient__profile").get(pk=invitation.pk)


def decide(recipient, invitation, *rules):
    specs = triage.clean_rules(list(rules))
    invitation = fresh(invitation)
    return triage.decide_all(invitation.recipient, specs, [invitation])[0]


def holds(recipient, invitation, condition) -> bool:
    """Whether a one-condition accept rule accepts the invitation."""
    return decide(recipient, invitation, rule("accept", condition)).action == "accept"


def invite(sender, recipient, note="") -> Invitation:
    """A pending invitation stored as is (not sorted on arrival), to try rules on."""
    return Invitation.objects.create(sender=sender, recipient=recipient, note=note)


def mutual_friends(a, b, count):
    for _ in range(count):
        friend = member()
        connect(a, friend)
        connect(b, friend)


def give_connections(user, count):
    """`count` connections to bare accounts, logged for the graph index."""
    others = UserFactory.create_batch(count)
    pairs = [Connection.pair(user.pk, other.pk) for other in others]
    Connection.objects.bulk_create([Connection(member_low_id=lo, member_high_id=hi) for lo, hi in pairs])
    GraphChange.objects.bulk_create(
        [GraphChange(kind=GraphChange.Kind.ADD, member_low=lo, member_high=hi) for lo, hi in pairs]
    )


def errors_of(data) -> dict:
    with pytest.raises(triage.RulesInvalid) as caught:
        triage.clean_rules(data)
    return caught.value.message_dict


@pytest.fixture
def me(db):
    return veteran(first_name="Mia", last_name="Roux", slug="mia-roux")


@pytest.fixture
def them(db):
    return veteran(first_name="Theo", last_name="Petit", slug="theo-petit")


def trustworthy(**fields):
    """A long-standing member with a position and a school: low risk (only "no photo")."""
    user = veteran(**fields)
    ExperienceFactory(profile=user.profile)
    EducationFactory(profile=user.profile)
    return user


def risky(level: str):
    """A member trust scores at `level`: a bare new account is medium (no photo, sparse profile, new
    account); digits in the name and a headline naming an employer they do not work at make it high."""
    if level == "medium":
        user = member()
    else:
        user = member(first_name="Jean42", headline="Head of growth at Google")
        ExperienceFactory(profile=user.profile, company_name="Acme")
    assert trust.risk_of(user).level == level
    return user


# ------------------------------------------------------------------------------------------- conditions


def test_degree_condition_reads_the_graph(me, them):
    invitation = invite(them, me)
    assert holds(me, invitation, ("degree", "is", "out"))
    middle = member()
    connect(me, middle)
    connect(middle, them)
    assert holds(me, invitation, ("degree", "is", 2))
    assert holds(me, invitation, ("degree", "at_most", 2))
    assert not holds(me, invitation, ("degree", "is_not", 2))
    assert not holds(me, invitation, ("degree", "at_least", 3))
    services.connection_remove(member=middle, other=them)
    far = member()
    connect(middle, far)
    connect(far, them)
    assert holds(me, invitation, ("degree", "is", 3))
    assert holds(me, invitation, ("degree", "at_least", 3))


def test_mutual_connections_condition_counts_shared_connections(me, them):
    invitation = invite(them, me)
    mutual_friends(me, them, 3)
    assert holds(me, invitation, ("mutuals", "at_least", 3))
    assert not holds(me, invitation, ("mutuals", "at_least", 4))
    assert holds(me, invitation, ("mutuals", "fewer_than", 4))
    assert not holds(me, invitation, ("mutuals", "fewer_than", 3))


def test_note_condition(me, them):
    with_note, without = invite(them, me, note="We met in Lyon."), invite(member(), me)
    assert holds(me, with_note, ("has_note", "is", True))
    assert not holds(me, without, ("has_note", "is", True))
    assert holds(me, without, ("has_note", "is", False))


def test_same_company_compares_current_positions_ignoring_case_and_accents(me, them):
    ExperienceFactory(profile=me.profile, company_name="Société Générale", is_current=True)
    invitation = invite(them, me)
    ExperienceFactory(profile=them.profile, company_name="societe  generale", is_current=False, end_year=2021)
    assert not holds(me, invitation, ("same_company", "is", True))  # a past position does not count
    ExperienceFactory(profile=them.profile, company_name="SOCIETE GENERALE", is_current=True)
    decision = decide(me, invitation, rule("accept", ("same_company", "is", True)))
    assert decision.action == "accept"
    assert "also works at Société Générale" in decision.explanation
    assert holds(me, invite(member(), me), ("same_company", "is", False))


def test_same_school_condition(me, them):
    EducationFactory(profile=me.profile, school="Université de Lyon")
    invitation = invite(them, me)
    assert not holds(me, invitation, ("same_school", "is", True))
    EducationFactory(profile=them.profile, school="universite de lyon")
    assert holds(me, invitation, ("same_school", "is", True))


def test_same_industry_condition(me, them):
    invitation = invite(them, me)
    assert not holds(me, invitation, ("same_industry", "is", True))  # neither chose one
    me.profile.industry = them.profile.industry = "banking"
    me.profile.save()
    them.profile.save()
    decision = decide(me, invitation, rule("accept", ("same_industry", "is", True)))
    assert decision.action == "accept" and "Banking" in decision.explanation


def test_tier_condition_reads_the_sender_connection_count(me, them):
    invitation = invite(them, me)
    assert holds(me, invitation, ("tier", "is", "0-100"))
    give_connections(them, 100)
    assert holds(me, invitation, ("tier", "is", "100-500"))
    assert holds(me, invitation, ("tier", "at_least", "100-500"))
    assert not holds(me, invitation, ("tier", "at_least", "500+"))
    assert not holds(me, invitation, ("tier", "is_not", "100-500"))


def test_completeness_condition_uses_the_profile_level(me, them):
    invitation = invite(them, me)
    assert completeness_for(them.profile).level.code == "beginner"
    assert holds(me, invitation, ("completeness", "is", "beginner"))
    assert not holds(me, invitation, ("completeness", "at_least", "intermediate"))
    profile = them.profile
    profile.headline = "Data engineer building reliable pipelines for retail banks"
    profile.about = " ".join(["I design and run data platforms for banks and insurers."] * 6)
    profile.city, profile.country, profile.industry = "Lyon", "FR", "banking"
    profile.save()
    ExperienceFactory(profile=profile, description="Built the data platform used by every team here.")
    EducationFactory(profile=profile)
    SkillFactory.create_batch(5, profile=profile)
    level = completeness_for(fresh(invitation).sender.profile).level.code
    assert level != "beginner"
    assert holds(me, invitation, ("completeness", "is", level))
    assert holds(me, invitation, ("completeness", "at_least", "intermediate"))


def test_risk_condition_uses_the_trust_level(me):
    calm = trustworthy()
    assert trust.risk_of(calm).level == "low"
    assert holds(me, invite(calm, me), ("risk", "is", "low"))
    medium = invite(risky("medium"), me)
    assert holds(me, medium, ("risk", "at_least", "medium"))
    assert not holds(me, medium, ("risk", "is", "high"))
    high = invite(risky("high"), me)
    decision = decide(me, high, rule("suspicious", ("risk", "at_least", "medium"), name="Risky"))
    assert decision.action == "suspicious"
    assert decision.explanation == "Rule 1 “Risky”: risk level high (at least medium)"


# --------------------------------------------------------------------------------------------- ordering


def test_the_first_enabled_rule_whose_conditions_all_hold_decides(me, them):
    mutual_friends(me, them, 4)
    invitation = invite(them, me)
    decision = decide(
        me,
        invitation,
        rule("decline", ("mutuals", "at_least", 4), ("has_note", "is", True), name="Needs both"),
        rule("suspicious", ("mutuals", "at_least", 1), name="Off", enabled=False),
        rule("accept", ("mutuals", "at_least", 3), name="Selective"),
        rule("hold", ("degree", "is", 2)),
    )
    assert decision.action == "accept" and decision.position == 3
    assert decision.explanation == "Rule 3 “Selective”: 4 mutual connections (≥ 3)"


def test_no_matching_rule_holds_for_review(me, them):
    invitation = invite(them, me)
    decision = decide(me, invitation, rule("accept", ("has_note", "is", True)))
    assert decision.action == "hold" and decision.position is None
    assert decision.explanation == "No rule applies: held for your review."
    none = triage.decide_all(me, [], [invitation])[0]
    assert none.action == "hold" and none.explanation == "You have no rules: held for your review."


def test_a_rule_without_conditions_catches_everything(me, them):
    decision = decide(me, invite(them, me), rule("accept", name="Everyone"))
    assert decision.action == "accept"
    assert decision.explanation == "Rule 1 “Everyone”: applies to every invitation"


def test_the_stored_reason_fits_and_still_explains(me, them):
    long_company = "Compagnie Générale des Établissements " * 3
    ExperienceFactory(profile=me.profile, company_name=long_company[:120])
    ExperienceFactory(profile=them.profile, company_name=long_company[:120])
    EducationFactory(profile=me.profile, school="É" * 120)
    EducationFactory(profile=them.profile, school="É" * 120)
    conditions = [
        ("same_company", "is", True),
        ("same_school", "is", True),
        ("degree", "at_least", 3),
        ("mutuals", "fewer_than", 30000),
        ("tier", "at_most", "500+"),
        ("completeness", "at_most", "all_star"),
        ("risk", "at_most", "high"),
        ("has_note", "is", True),
        ("same_industry", "is", False),
    ]
    decision = decide(me, invite(them, me, note="Hi"), rule("accept", *conditions, name="N" * 80))
    assert decision.action == "accept"
    stored = decision.reason()
    assert len(stored) <= 300
    assert json.loads(stored)["p"] == 1
    assert decision.explanation.startswith("Rule 1 “N")


# ------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("condition", "key", "message"),
    [
        ({"field": "age", "op": "is", "value": 3}, "field", "Unknown condition “age”"),
        ({"field": "mutuals", "op": "is", "value": 3}, "op", "cannot be compared with “is”"),
        ({"field": "has_note", "op": "at_least", "value": True}, "op", "cannot be compared"),
        ({"field": "mutuals", "op": "at_least", "value": 30001}, "value", "from 0 to 30,000"),
        ({"field": "mutuals", "op": "at_least", "value": -1}, "value", "from 0 to 30,000"),
        ({"field": "mutuals", "op": "fewer_than", "value": 0}, "value", "from 1 to 30,000"),
        ({"field": "mutuals", "op": "at_least", "value": "3"}, "value", "whole number"),
        ({"field": "mutuals", "op": "at_least", "value": True}, "value", "whole number"),
        ({"field": "mutuals", "op": "at_least", "value": 2.5}, "value", "whole number"),
        ({"field": "degree", "op": "is", "value": 4}, "value", "not a possible value for “Degree”"),
        ({"field": "degree", "op": "is", "value": True}, "value", "not a possible value"),
        ({"field": "risk", "op": "is", "value": "extreme"}, "value", "not a possible value"),
        ({"field": "has_note", "op": "is", "value": 1}, "value", "yes or no"),
        ({"field": "risk", "op": "is", "value": "low", "weight": 2}, "field", "Unknown part"),
        ("mutuals>3", "field", "object"),
    ],
)
def test_bad_conditions_are_refused_with_a_message_on_the_condition(condition, key, message):
    errors = errors_of([{"action": "accept", "conditions": [condition]}])
    assert any(message in text for text in errors[f"rules.0.conditions.0.{key}"])


@pytest.mark.parametrize(
    ("rule_data", "key", "message"),
    [
        ({"action": "delete"}, "rules.0.action", "Choose what the rule does"),
        ({}, "rules.0.action", "Choose what the rule does"),
        ({"action": "hold", "name": "x" * 81}, "rules.0.name", "at most 80 characters"),
        ({"action": "hold", "name": "a\x00b"}, "rules.0.name", "Null characters"),
        ({"action": "hold", "name": "\ud800"}, "rules.0.name", "Invalid characters"),
        ({"action": "hold", "enabled": "yes"}, "rules.0.enabled", "true or false"),
        ({"action": "hold", "conditions": {"field": "degree"}}, "rules.0.conditions", "as a list"),
        ({"action": "hold", "priority": 1}, "rules.0", "Unknown part of a rule"),
        ({"action": "hold", "id": 12345}, "rules.0.id", "does not exist"),
    ],
)
def test_bad_rules_are_refused(rule_data, key, message):
    errors = errors_of([rule_data])
    assert any(message in text for text in errors[key])


def test_at_most_twenty_rules_and_ten_conditions():
    assert (
        "at most 20 rules"
        in errors_of([rule("hold", ("mutuals", "at_least", n)) for n in range(21)])["rules"][0]
    )
    many = [("mutuals", "at_least", n) for n in range(11)]
    assert "at most 10 conditions" in errors_of([rule("hold", *many)])["rules.0.conditions"][0]
    assert len(triage.clean_rules([rule("hold", ("mutuals", "at_least", 20 - n)) for n in range(20)])) == 20


@pytest.mark.parametrize(
    "conditions",
    [
        [("mutuals", "at_least", 5), ("mutuals", "fewer_than", 2)],
        [("mutuals", "at_least", 5), ("mutuals", "fewer_than", 5)],
        [("degree", "is", 1), ("degree", "is", 2)],
        [("degree", "at_most", 1), ("degree", "at_least", 3)],
        [("has_note", "is", True), ("has_note", "is", False)],
        [("risk", "is_not", "low"), ("risk", "at_most", "low")],
    ],
)
def test_contradicting_conditions_are_refused(conditions):
    errors = errors_of([rule("accept", *conditions)])
    assert "contradict each other" in errors["rules.0.conditions"][0]


def test_conditions_that_narrow_without_contradiction_are_fine():
    [spec] = triage.clean_rules([rule("accept", ("mutuals", "at_least", 2), ("mutuals", "fewer_than", 5))])
    assert spec.describe() == "Mutual connections at least 2 and Mutual connections fewer than 5"


def test_same_conditions_with_different_actions_are_refused():
    errors = errors_of(
        [
            rule("accept", ("has_note", "is", True), ("degree", "is", 2)),
            rule("decline", ("degree", "is", 2), ("has_note", "is", True)),
        ]
    )
    assert "same conditions but different actions" in errors["rules.1"][0]
    # Spelled differently, the same senders: still the same conditions.
    errors = errors_of(
        [
            rule("accept", ("degree", "at_most", 2)),
            rule("hold", ("degree", "at_least", 1), ("degree", "is_not", 3), ("degree", "is_not", "out")),
        ]
    )
    assert "same conditions" in errors["rules.1"][0]


def test_a_rule_after_a_catch_all_can_never_apply():
    errors = errors_of([rule("hold", name="Everyone"), rule("accept", ("has_note", "is", True))])
    assert "Rule 2 can never apply: rule 1 comes first and has no conditions" in errors["rules.1"][0]


def test_a_rule_covered_by_an_earlier_broader_rule_can_never_apply():
    errors = errors_of(
        [
            rule("accept", ("mutuals", "at_least", 3)),
            rule("suspicious", ("mutuals", "at_least", 5), ("has_note", "is", False)),
        ]
    )
    assert "Rule 2 can never apply: rule 1 comes first" in errors["rules.1"][0]


def test_a_disabled_rule_does_not_hide_the_rules_after_it():
    specs = triage.clean_rules([rule("hold", enabled=False), rule("accept", ("has_note", "is", True))])
    assert [s.action for s in specs] == ["hold", "accept"]
    # …and a narrower rule first is how a catch-all is meant to be used.
    triage.clean_rules([rule("suspicious", ("risk", "is", "high")), rule("accept")])


# ---------------------------------------------------------------------------------------------- presets


def senders_for_presets(me):
    """Senders covering the presets' cases: 3 mutual connections, a note, 1 mutual connection."""
    shared, noted, loose = trustworthy(), trustworthy(), trustworthy()
    mutual_friends(me, shared, 3)
    mutual_friends(me, loose, 1)
    return {
        "shared": invite(shared, me),
        "noted": invite(noted, me, note="We met at the Lyon meetup."),
        "loose": invite(loose, me),
    }


def preset_actions(me, code, invitations):
    specs = triage.PRESETS[code].specs()
    triage.clean_rules([s.as_json() for s in specs])  # a preset is a valid rule set
    decisions = triage.decide_all(me, specs, list(invitations.values()))
    return {key: d.action for key, d in zip(invitations, decisions, strict=True)}


def test_selective_preset(me):
    invitations = senders_for_presets(me)
    assert preset_actions(me, "selective", invitations) == {
        "shared": "accept",
        "noted": "accept",
        "loose": "hold",
    }


def test_open_networker_preset(me):
    invitations = senders_for_presets(me)
    assert set(preset_actions(me, "open", invitations).values()) == {"accept"}


def test_closed_preset(me):
    invitations = senders_for_presets(me)
    assert set(preset_actions(me, "closed", invitations).values()) == {"hold"}


def test_presets_put_risky_senders_in_suspicious(me):
    invitations = senders_for_presets(me)
    medium, high = risky("medium"), risky("high")
    mutual_friends(me, medium, 3)
    invitations |= {"medium": invite(medium, me, note="Hi"), "high": invite(high, me, note="Hi")}
    selective = preset_actions(me, "selective", invitations)
    assert (selective["medium"], selective["high"], selective["shared"]) == (
        "suspicious",
        "suspicious",
        "accept",
    )
    open_networker = preset_actions(me, "open", invitations)
    assert (open_networker["medium"], open_networker["high"]) == ("accept", "suspicious")
    assert set(preset_actions(me, "closed", invitations).values()) == {"hold"}


def test_installing_a_preset_replaces_the_rule_set(me):
    triage.rules_replace(member=me, rules=triage.clean_rules([rule("decline", ("degree", "is", "out"))]))
    rows = triage.preset_install(member=me, code="selective")
    stored = list(TriageRule.objects.filter(owner=me).order_by("position"))
    assert stored == rows
    assert [(r.position, r.name, r.action) for r in stored] == [
        (1, "Risky senders", "suspicious"),
        (2, "Shared connections", "accept"),
        (3, "Wrote a note", "accept"),
    ]
    with pytest.raises(ValidationError, match="Unknown preset"):
        triage.preset_install(member=me, code="greedy")
    assert TriageRule.objects.filter(owner=me).count() == 3


# ------------------------------------------------------------------------------------------ saving rules


def test_saving_keeps_edited_rules_and_deletes_the_others(me, them):
    first, second = triage.rules_replace(
        member=me, rules=triage.clean_rules([rule("accept", ("has_note", "is", True)), rule("hold")])
    )
    data = [
        {**rule("suspicious", ("risk", "is", "high"), name="New")},
        {**rule("decline", ("has_note", "is", False), name="Edited"), "id": first.pk},
    ]
    saved = triage.rules_replace(member=me, rules=triage.clean_rules(data, owner=me))
    assert saved[1].pk == first.pk and saved[1].action == "decline" and saved[1].position == 2
    assert not TriageRule.objects.filter(pk=second.pk).exists()


def test_a_rule_of_another_member_cannot_be_edited(me, them):
    [theirs] = triage.rules_replace(member=them, rules=triage.clean_rules([rule("hold")]))
    with pytest.raises(triage.RulesInvalid):
        triage.clean_rules([{**rule("accept"), "id": theirs.pk}], owner=me)
    spec = triage.RuleSpec(action="accept", id=theirs.pk)
    with pytest.raises(triage.RulesInvalid):
        triage.rules_replace(member=me, rules=[spec])
    theirs.refresh_from_db()
    assert theirs.action == "hold" and theirs.owner == them


def test_an_invalid_set_saves_nothing(me):
    triage.rules_replace(member=me, rules=triage.clean_rules([rule("hold")]))
    bad = [triage.RuleSpec(action="accept"), triage.RuleSpec(action="hold")]
    with pytest.raises(triage.RulesInvalid):
        triage.rules_replace(member=me, rules=bad)
    assert list(TriageRule.objects.filter(owner=me).values_list("action", flat=True)) == ["hold"]


# ------------------------------------------------------------------------------------- on arrival


def install(member_, *rules):
    return triage.rules_replace(member=member_, rules=triage.clean_rules(list(rules)))


def test_an_invitation_without_rules_is_held_with_a_reason(me, them):
    invitation = services.invitation_send(sender=them, recipient=me)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.triage_action == "hold"
    assert invitation.triage_rule is None
    assert triage.explain(invitation) == "You have no rules: held for your review."


def test_an_accept_rule_connects_at_once(me, them):
    [accept] = install(me, rule("accept", ("has_note", "is", True), name="Notes"))
    invitation = services.invitation_send(sender=them, recipient=me, note="Hello from Lyon")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.triage_action == "accept" and invitation.triage_rule == accept
    assert triage.explain(invitation) == "Rule 1 “Notes”: wrote a note"
    assert selectors.are_connected(me, them)
    assert selectors.is_following(them, me) and selectors.is_following(me, them)


def test_a_decline_rule_ignores_silently_and_the_sender_still_sees_pending(me, them):
    [decline] = install(me, rule("decline", ("degree", "is", "out"), name="Strangers"))
    invitation = services.invitation_send(sender=them, recipient=me)
    invitation.refresh_from_db()
    assert invitation.status == "ignored" and invitation.triage_rule == decline
    assert triage.explain(invitation) == "Rule 1 “Strangers”: out of your network"
    [sent] = selectors.invitations_sent(them)
    assert sent.pk == invitation.pk and sent.shown_status == "pending"
    assert list(selectors.invitations_received(me)) == []
    assert not selectors.are_connected(me, them)


def test_a_suspicious_rule_keeps_it_pending_in_suspicious(me, them):
    install(me, rule("suspicious", ("has_note", "is", False), name="Silent"))
    invitation = services.invitation_send(sender=them, recipient=me)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.triage_action == "suspicious"
    assert list(selectors.invitations_received(me)) == [invitation]
    assert list(Invitation.objects.filter(recipient=me, triage_action="suspicious")) == [invitation]


def test_on_arrival_reads_degrees_from_the_database_inside_the_transaction(me, them, settings):
    """The graph index does not follow the change log inside a transaction: the rules must still see
    a connection made just before."""
    install(me, rule("accept", ("mutuals", "at_least", 1)))
    friend = member()
    triage.decide_all(me, [], [invite(friend, them)])  # builds the index now
    settings.GRAPH_POLL_IN_TRANSACTION = False
    connect(me, friend)
    connect(friend, them)
    invitation = services.invitation_send(sender=them, recipient=me)
    assert invitation.status == "accepted"


def test_sql_and_graph_facts_agree(me, them):
    middle, far = member(), member()
    connect(me, middle)
    connect(middle, far)
    connect(far, them)
    mutual_friends(me, far, 2)
    conditions = [
        ("degree", "is", 2),
        ("degree", "is", 3),
        ("mutuals", "at_least", 2),
        ("tier", "is", "0-100"),
    ]
    for sender in (them, far, middle):
        invitation = invite(sender, me)
        for condition in conditions:
            specs = triage.clean_rules([rule("accept", condition)])
            by_graph = triage.decide_all(me, specs, [invitation])[0].action
            by_sql = triage.decide_all(me, specs, [invitation], network=triage._SqlNetwork(me, sender))[
                0
            ].action
            assert by_graph == by_sql, (sender, condition)


# ------------------------------------------------------------------------------------ dry run, apply


def snapshot(user):
    return (
        sorted(
            Invitation.objects.filter(recipient=user).values_list(
                "pk", "status", "triage_action", "triage_reason"
            )
        ),
        Connection.objects.count(),
        list(TriageRule.objects.filter(owner=user).values_list("pk", "action", "position")),
    )


def test_a_dry_run_changes_nothing(me):
    invitations = senders_for_presets(me)
    install(me, rule("hold"))
    before = snapshot(me)
    result = triage.dry_run(me, triage.PRESETS["selective"].specs())
    assert snapshot(me) == before
    assert result.counts == {"accept": 2, "hold": 1, "decline": 0, "suspicious": 0}
    assert result.total == 3 and not result.truncated
    assert [inv.pk for inv, _d in result.by_action("hold")] == [invitations["loose"].pk]
    [(_inv, decision)] = result.by_action("hold")
    assert decision.explanation == "No rule applies: held for your review."


def test_applying_the_rules_to_pending_invitations(me):
    invitations = senders_for_presets(me)
    declined = invite(trustworthy(), me)
    mutual_friends(me, declined.sender, 1)  # two senders with 1 mutual: "loose" and this one
    answered = invite(trustworthy(), me)
    answered.status = "ignored"
    answered.save()
    install(
        me,
        rule("accept", ("mutuals", "at_least", 3)),
        rule("suspicious", ("has_note", "is", True)),
        rule("decline", ("mutuals", "at_least", 1), ("degree", "is", 2)),
    )
    assert triage.rules_apply_to_pending(member=me) == {"accept": 1, "hold": 0, "decline": 2, "suspicious": 1}
    by_key = {key: Invitation.objects.get(pk=inv.pk) for key, inv in invitations.items()}
    assert by_key["shared"].status == "accepted"
    assert by_key["noted"].status == "pending" and by_key["noted"].triage_action == "suspicious"
    assert by_key["loose"].status == "ignored" and by_key["loose"].triage_action == "decline"
    answered.refresh_from_db()
    assert answered.triage_action == ""  # set aside by the member before: left alone


@override_settings(ENTREGENT_MAX_CONNECTIONS=1)
def test_an_accept_that_cannot_be_carried_out_is_held_and_says_why(me, them):
    invitation = invite(them, me)
    connect(me, member())  # now at the limit
    install(me, rule("accept", name="All"))
    assert triage.rules_apply_to_pending(member=me)["hold"] == 1
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.triage_action == "hold"
    assert "could not be accepted automatically" in triage.explain(invitation)


def test_rules_are_scoped_to_their_owner(me, them):
    install(them, rule("accept"))
    invitation = services.invitation_send(sender=member(), recipient=me)
    assert invitation.status == "pending"
    assert triage.rules_of(me) == [] and len(triage.rules_of(them)) == 1
    assert User.objects.filter(pk=me.pk).exists()
