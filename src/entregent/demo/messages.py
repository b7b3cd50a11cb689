"""Demo conversations: the two demo logins find an inbox with real-looking exchanges with their
connections (some unread, one group), in French between French speakers and in English otherwise.
Written in bulk, with each participant's inbox state as the services would have left it."""

from __future__ import annotations

import datetime as dt
import random

from entregent.core.text import fold
from entregent.messaging.models import Conversation, Message, Participant

# Each script: lines alternating between the one who writes first and the other ({a}, {b}: first names).
SCRIPTS = {
    "en": [
        [
            "Hi {b}, thanks for connecting! I saw you worked on the logistics platform at your company.",
            "Hi {a}, my pleasure. Yes, I led the integration with the carriers for two years.",
            "Would you have 20 minutes next week to tell me how you handled the data quality?",
            "Sure. Tuesday or Thursday afternoon works for me.",
            "Thursday 3 pm then. I'll send an invite.",
        ],
        [
            "Hello {b}, are you going to the industry meetup in two weeks?",
            "Hi {a}! I'm planning to, if the agenda is confirmed. You?",
            "Yes, I'm on the panel about hiring. Let's grab a coffee there.",
        ],
        [
            "{b}, quick question: do you know someone who does freelance UX research?",
            "I do: let me ask her if she's available and I'll introduce you.",
            "That would be great, thank you!",
            "She's interested. I'll send an introduction through Entregent today.",
        ],
        [
            "Congratulations on the new role, {b}!",
            "Thank you {a}! Exciting times. How are things on your side?",
        ],
        [
            "Hi {b}, here is the quote we discussed. Let me know if anything is unclear.",
            "Thanks {a}, I'll review it with my team and come back to you by Friday.",
            "Perfect, no rush.",
        ],
    ],
    "fr": [
        [
            "Bonjour {b}, merci pour la mise en relation ! J’ai vu que vous aviez travaillé sur la plateforme logistique.",
            "Bonjour {a}, avec plaisir. Oui, j’ai piloté l’intégration avec les transporteurs pendant deux ans.",
            "Auriez-vous 20 minutes la semaine prochaine pour me raconter comment vous avez géré la qualité des données ?",
            "Bien sûr. Mardi ou jeudi après-midi, c’est possible pour moi.",
            "Jeudi 15 h alors. Je vous envoie une invitation.",
        ],
        [
            "Bonjour {b}, vous venez à la rencontre professionnelle dans quinze jours ?",
            "Bonjour {a} ! Je pense, si le programme est confirmé. Et vous ?",
            "Oui, je participe à la table ronde sur le recrutement. Prenons un café sur place.",
        ],
        [
            "{b}, petite question : connaissez-vous quelqu’un qui fait de la recherche UX en indépendant ?",
            "Oui : je lui demande si elle est disponible et je vous mets en relation.",
            "Ce serait parfait, merci !",
            "Elle est intéressée. Je vous envoie une mise en relation par Entregent aujourd’hui.",
        ],
        [
            "Félicitations pour votre nouveau poste, {b} !",
            "Merci {a} ! Une belle aventure qui commence. Et de votre côté ?",
        ],
        [
            "Bonjour {b}, voici le devis dont nous avons parlé. N’hésitez pas si quelque chose n’est pas clair.",
            "Merci {a}, je le relis avec mon équipe et je reviens vers vous vendredi.",
            "Parfait, rien ne presse.",
        ],
    ],
}
GROUP = {
    "en": (
        "Project kick-off",
        [
            "Hello everyone, I created this group so we can prepare the kick-off together.",
            "Great idea. I can present the planning.",
            "I'll take care of the budget slides.",
        ],
    ),
    "fr": (
        "Lancement du projet",
        [
            "Bonjour à tous, j’ai créé ce groupe pour préparer ensemble le lancement.",
            "Bonne idée. Je peux présenter le planning.",
            "Je m’occupe des diapositives sur le budget.",
        ],
    ),
}
PER_MEMBER = 8


def seed_conversations(*, persons, user_ids: list[int], edges, seed: int, now: dt.datetime) -> int:
    """Conversations of the showcase members (the demo logins) with some of their connections; returns
    how many were written."""
    rng = random.Random(f"entregent-demo-{seed}-messages")
    showcase = [p.index for p in persons if p.tier == "showcase"]
    neighbours: dict[int, list[int]] = {index: [] for index in showcase}
    for a, b in edges:
        if a in neighbours:
            neighbours[a].append(b)
        if b in neighbours:
            neighbours[b].append(a)
    written = 0
    done_pairs: set[tuple[int, int]] = set()
    for me in showcase:
        friends = sorted(neighbours[me])
        rng.shuffle(friends)
        for n, other in enumerate(friends[:PER_MEMBER]):
            pair = tuple(sorted((me, other)))
            if pair in done_pairs:
                continue
            done_pairs.add(pair)
            language = "fr" if persons[me].french and persons[other].french else "en"
            script = SCRIPTS[language][n % len(SCRIPTS[language])]
            starter, replier = (other, me) if n % 2 else (me, other)
            start = now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23))
            _write(
                persons,
                user_ids,
                members=[starter, replier],
                lines=[(starter if i % 2 == 0 else replier, line) for i, line in enumerate(script)],
                start=start,
                kind=Conversation.Kind.DIRECT,
                unread_for_me=me if rng.random() < 0.4 else None,
                pair_key=_pair_key(user_ids[me], user_ids[other]),
            )
            written += 1
        if len(friends) >= 3:
            language = "fr" if persons[me].french else "en"
            name, lines = GROUP[language]
            members = [me, *friends[:3]]
            _write(
                persons,
                user_ids,
                members=members,
                lines=[(members[i % len(members)], line) for i, line in enumerate(lines)],
                start=now - dt.timedelta(days=2, hours=rng.randint(0, 12)),
                kind=Conversation.Kind.GROUP,
                unread_for_me=me,
                name=name,
            )
            written += 1
    return written


def _pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}"


def _write(persons, user_ids, *, members, lines, start, kind, unread_for_me, pair_key="", name="") -> None:
    ids = [user_ids[m] for m in members]
    conversation = Conversation.objects.create(
        kind=kind, name=name, created_by_id=ids[0], created_at=start, pair_key=pair_key
    )
    messages = []
    at = start
    for author, template in lines:
        first_names = {"a": persons[lines[0][0]].first_name, "b": persons[lines[1][0]].first_name}
        body = template.format(**first_names)
        messages.append(
            Message(
                conversation=conversation,
                sender_id=user_ids[author],
                body=body,
                search_text=fold(body),
                created_at=at,
            )
        )
        at += dt.timedelta(minutes=37)
    Message.objects.bulk_create(messages)
    last = messages[-1]
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=last.created_at, last_message=last)
    last_author = user_ids[lines[-1][0]]
    participants = []
    for member in members:
        uid = user_ids[member]
        unread = 0
        if member == unread_for_me and uid != last_author:
            unread = 1
        participants.append(
            Participant(
                conversation=conversation,
                member_id=uid,
                joined_at=start,
                last_message_at=last.created_at,
                last_read_at=None if unread else last.created_at,
                unread_count=unread,
            )
        )
    Participant.objects.bulk_create(participants)
