"""The inbox: Focused / Other, filters and labels, one page of conversations, and actions on a selection
(or on one row, from its own buttons: the same form, so it all works without JavaScript). The rows'
fragment serves the live updates."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from entregent.messaging import selectors, services
from entregent.messaging.models import Label, Participant
from entregent.messaging.views.common import inbox_rows, safe_next

FILTER_LABELS = {
    "": gettext_lazy("All"),
    "unread": gettext_lazy("Unread"),
    "starred": gettext_lazy("Starred"),
    "inmail": gettext_lazy("InMail"),
    "connections": gettext_lazy("From my connections"),
    "attachments": gettext_lazy("With attachments"),
    "snoozed": gettext_lazy("Snoozed"),
    "archived": gettext_lazy("Archived"),
}
# Filters that look within the current tab; the others look across Focused and Other.
FOLDER_FILTERS = ("", "unread")
BULK_MAX = 100
BULK_ACTIONS = {
    "read": gettext_lazy("Mark as read"),
    "unread": gettext_lazy("Mark as unread"),
    "star": gettext_lazy("Star"),
    "unstar": gettext_lazy("Remove the star"),
    "archive": gettext_lazy("Archive"),
    "unarchive": gettext_lazy("Move back to the inbox"),
    "mute": gettext_lazy("Mute"),
    "unmute": gettext_lazy("Unmute"),
    "focused": gettext_lazy("Move to Focused"),
    "other": gettext_lazy("Move to Other"),
}


@dataclass
class InboxQuery:
    folder: str
    filter: str
    label: Label | None
    labels: list[Label]
    page: str

    @property
    def folder_applies(self) -> bool:
        return self.label is None and self.filter in FOLDER_FILTERS

    def params(self, **changes) -> dict:
        values = {
            "folder": self.folder,
            "filter": self.filter,
            "label": self.label.pk if self.label else "",
        }
        values.update(changes)
        if values.get("folder") == "focused":
            values["folder"] = ""
        return {key: value for key, value in values.items() if value not in ("", None)}

    def url(self, **changes) -> str:
        query = urlencode(self.params(**changes))
        return reverse("messaging:inbox") + (f"?{query}" if query else "")

    @property
    def query_string(self) -> str:
        """For the pagination links: the current view without its page."""
        return urlencode(self.params())


def _query(request: HttpRequest, source) -> InboxQuery:
    folder = source.get("folder", "")
    folder = folder if folder in Participant.Folder.values else Participant.Folder.FOCUSED
    chosen = source.get("filter", "")
    chosen = chosen if chosen in selectors.FILTERS else ""
    labels = list(selectors.labels_of(request.user))
    label = None
    label_id = source.get("label", "")
    if label_id:
        label = next((item for item in labels if str(item.pk) == label_id), None)
        if label is None:
            raise Http404  # not one of the member's labels
    return InboxQuery(folder=folder, filter=chosen, label=label, labels=labels, page=source.get("page", ""))


def _rows_page(request: HttpRequest, query: InboxQuery):
    rows = selectors.inbox_for(
        request.user,
        folder=query.folder if query.folder_applies else "",
        filter=query.filter,
        label=query.label,
    )
    return Paginator(rows, selectors.PAGE_SIZE).get_page(query.page)


def _inbox_context(request: HttpRequest, query: InboxQuery) -> dict:
    page = _rows_page(request, query)
    other_unread = selectors.inbox_for(request.user, folder=Participant.Folder.OTHER, filter="unread").count()
    return {
        "box": query,
        "page": page,
        "rows": inbox_rows(page.object_list),
        "query_string": query.query_string,
        "folders": [
            {
                "value": value,
                "label": label,
                "url": query.url(folder=value, filter="", label=""),
                "current": query.folder_applies and query.folder == value,
                "unread": other_unread if value == Participant.Folder.OTHER else 0,
            }
            for value, label in Participant.Folder.choices
        ],
        "filters": [
            {
                "value": value,
                "label": label,
                "url": query.url(filter=value, label=""),
                "current": query.label is None and query.filter == value,
            }
            for value, label in FILTER_LABELS.items()
        ],
        "label_links": [
            {"label": label, "url": query.url(label=label.pk, filter=""), "current": query.label == label}
            for label in query.labels
        ],
        "bulk_actions": BULK_ACTIONS,
        "empty_text": _empty_text(query),
        "rows_url": reverse("messaging:inbox_rows")
        + (f"?{query.query_string}" if query.query_string else ""),
    }


def _empty_text(query: InboxQuery) -> str:
    if query.label is not None:
        return _("No conversation has the label “%(label)s”.") % {"label": query.label.name}
    if query.filter == "archived":
        return _("No archived conversation.")
    if query.filter == "snoozed":
        return _("No snoozed conversation.")
    if query.filter:
        return _("No conversation matches this filter.")
    if query.folder == Participant.Folder.OTHER:
        return _("Nothing in Other: messages from people you have not answered yet arrive here.")
    return _("No messages yet. Write to one of your connections to start a conversation.")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    query = _query(request, request.GET)
    return render(request, "messaging/inbox.html", _inbox_context(request, query))


@login_required
@require_GET
def inbox_rows_fragment(request: HttpRequest) -> HttpResponse:
    """The first page's rows alone (`<li>` items), for the live updates of an open inbox."""
    query = _query(request, request.GET)
    query.page = ""
    page = _rows_page(request, query)
    return render(
        request,
        "messaging/_inbox_rows.html",
        {"rows": inbox_rows(page.object_list), "box": query, "empty_text": _empty_text(query)},
    )


# ------------------------------------------------------------------------------------------ actions


def _apply(action: str, participant: Participant, member, labels: dict[int, Label]) -> None:
    conversation = participant.conversation
    if action == "read":
        services.conversation_read(conversation=conversation, member=member)
    elif action == "unread":
        services.conversation_mark_unread(conversation=conversation, member=member)
    elif action in ("star", "unstar"):
        services.conversation_star(conversation=conversation, member=member, starred=action == "star")
    elif action in ("archive", "unarchive"):
        services.conversation_archive(conversation=conversation, member=member, archived=action == "archive")
    elif action in ("mute", "unmute"):
        services.conversation_mute(conversation=conversation, member=member, muted=action == "mute")
    elif action in ("focused", "other"):
        services.conversation_move(conversation=conversation, member=member, folder=action)
    elif action.startswith(("label:", "unlabel:")):
        verb, _sep, label_id = action.partition(":")
        label = labels.get(int(label_id)) if label_id.isdigit() else None
        if label is None:
            raise ValidationError(_("Choose one of your labels."), code="label")
        services.conversation_label(conversation=conversation, member=member, label=label, on=verb == "label")
    else:
        raise ValidationError(_("Choose an action."), code="action")


def _done_text(action: str, n: int, labels: dict[int, Label]) -> str:
    if action.startswith(("label:", "unlabel:")):
        label = labels[int(action.partition(":")[2])]
        if action.startswith("label:"):
            return ngettext(
                "Label “%(label)s” added to %(n)d conversation.",
                "Label “%(label)s” added to %(n)d conversations.",
                n,
            ) % {"label": label.name, "n": n}
        return ngettext(
            "Label “%(label)s” removed from %(n)d conversation.",
            "Label “%(label)s” removed from %(n)d conversations.",
            n,
        ) % {"label": label.name, "n": n}
    texts = {
        "read": ngettext("%(n)d conversation marked as read.", "%(n)d conversations marked as read.", n),
        "unread": ngettext(
            "%(n)d conversation marked as unread.", "%(n)d conversations marked as unread.", n
        ),
        "star": ngettext("%(n)d conversation starred.", "%(n)d conversations starred.", n),
        "unstar": ngettext(
            "Star removed from %(n)d conversation.", "Star removed from %(n)d conversations.", n
        ),
        "archive": ngettext("%(n)d conversation archived.", "%(n)d conversations archived.", n),
        "unarchive": ngettext(
            "%(n)d conversation moved back to the inbox.", "%(n)d conversations moved back to the inbox.", n
        ),
        "mute": ngettext("%(n)d conversation muted.", "%(n)d conversations muted.", n),
        "unmute": ngettext("%(n)d conversation unmuted.", "%(n)d conversations unmuted.", n),
        "focused": ngettext(
            "%(n)d conversation moved to Focused.", "%(n)d conversations moved to Focused.", n
        ),
        "other": ngettext("%(n)d conversation moved to Other.", "%(n)d conversations moved to Other.", n),
    }
    return texts[action] % {"n": n}


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on the selected conversations (`ids` and `action`), or on one row (`row` = "<id>:<action>",
    the row's own buttons). All or nothing; another member's conversation is a 404."""
    member = request.user
    row = request.POST.get("row", "")
    if row:
        conversation_id, _sep, action = row.partition(":")
        raw_ids = [conversation_id]
    else:
        action = request.POST.get("action", "")
        raw_ids = request.POST.getlist("ids")
    query = _query(request, request.POST)
    error = ""
    ids = {int(value) for value in raw_ids if value.isdigit()}
    if len(ids) != len(set(raw_ids)) or not ids:
        error = _("Select at least one conversation.")
    elif len(ids) > BULK_MAX:
        error = _("Select at most %(max)d conversations at once.") % {"max": BULK_MAX}
    status = 422
    if not error:
        participants = list(
            Participant.objects.filter(member=member, hidden=False, conversation_id__in=ids).select_related(
                "conversation"
            )
        )
        if len(participants) != len(ids):
            raise Http404
        labels = {label.pk: label for label in query.labels}
        try:
            with transaction.atomic():
                for participant in participants:
                    _apply(action, participant, member, labels)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        except PermissionDenied as problem:
            error, status = str(problem), 403
        else:
            messages.success(request, _done_text(action, len(participants), labels))
            return redirect(safe_next(request, query.url()))
    context = _inbox_context(request, query)
    context["bulk_error"] = error
    return render(request, "messaging/inbox.html", context, status=status)
