"""The message search page: /messaging/search/?q=…&page=N — the member's hits grouped by
conversation, with the other members' names, a highlighted snippet and the date of each message."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from entregent.messaging.models import Conversation, Participant
from entregent.messaging.search import MAX_QUERY, SearchHit, search_messages

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 hits; past that, a better query is the answer


@dataclass
class ResultGroup:
    conversation: Conversation
    title: str
    hits: list[SearchHit] = field(default_factory=list)


def _title(conversation: Conversation, member_id: int) -> str:
    """The group's name or the InMail's subject, else the other members' names."""
    others = [
        p.member.profile.display_name
        for p in conversation.active_participants
        if p.member_id != member_id and hasattr(p.member, "profile")
    ]
    people = ", ".join(others) if others else _("Only you")
    if conversation.name:
        return conversation.name
    if conversation.subject:
        return _("%(subject)s — %(people)s") % {"subject": conversation.subject, "people": people}
    return people


def _groups(member, hits: list[SearchHit]) -> list[ResultGroup]:
    """The hits grouped by conversation, in the order of each conversation's best hit (two queries
    whatever the number of hits)."""
    order = list(dict.fromkeys(hit.conversation_id for hit in hits))
    conversations = Conversation.objects.prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.filter(left_at__isnull=True)
            .select_related("member__profile")
            .order_by("pk"),
            to_attr="active_participants",
        )
    ).in_bulk(order)
    groups = {
        pk: ResultGroup(conversations[pk], _title(conversations[pk], member.pk))
        for pk in order
        if pk in conversations
    }
    for hit in hits:
        if hit.conversation_id in groups:
            groups[hit.conversation_id].hits.append(hit)
    return list(groups.values())


def _page_number(raw: str) -> int:
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = _page_number(request.GET.get("page", "1"))
    context: dict = {"search_query": query, "groups": [], "error": "", "page": page, "searched": False}
    status = 200
    if query:
        try:
            hits = search_messages(request.user, query, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        except ValidationError as error:
            context["error"] = " ".join(error.message_dict.get("q", error.messages))
            status = 422
        else:
            context.update(
                searched=True,
                groups=_groups(request.user, hits[:PAGE_SIZE]),
                has_next=len(hits) > PAGE_SIZE and page < MAX_PAGE,
                has_previous=page > 1,
                count=len(hits[:PAGE_SIZE]),
            )
    return render(request, "messaging/search.html", context, status=status)
