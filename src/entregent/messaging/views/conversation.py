"""One conversation: its messages (latest page, older pages by `before`), the reply form, the member's
actions on it (archive, star, mute, snooze, reminder, labels, Focused / Other, unread), group changes,
and editing or deleting one's own message. Every conversation and message goes through the selectors'
`participant_of` / `message_of`, so another member's is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entregent.accounts.models import User
from entregent.core import policy
from entregent.messaging import selectors, services
from entregent.messaging.forms import (
    GroupRenameForm,
    MessageEditForm,
    MessageForm,
    RemindForm,
    SnoozeForm,
    apply_error,
)
from entregent.messaging.models import Attachment, Conversation, Message, MessagingSettings, Participant
from entregent.messaging.views.common import (
    ConversationHead,
    full_time,
    head_of,
    message_views,
    place_receipts,
    referenced_member_ids,
    safe_next,
)
from entregent.plans import QuotaExceeded
from entregent.profiles.models import Profile

FRAGMENT_MAX = 50
ADD_PICKER_MAX = 20


def _url(conversation_id: int, anchor: str = "") -> str:
    return reverse("messaging:conversation", args=[conversation_id]) + (f"#{anchor}" if anchor else "")


# -------------------------------------------------------------------------------------- snooze times


def snooze_presets(now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """Later today (in three hours, on the hour), tomorrow at 8:00, next Monday at 8:00, local time."""
    now = timezone.localtime(now or timezone.now())
    later = (now + dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    morning = now.replace(hour=8, minute=0, second=0, microsecond=0)
    tomorrow = morning + dt.timedelta(days=1)
    monday = morning + dt.timedelta(days=7 - now.weekday())
    return {"later": later, "tomorrow": tomorrow, "next_week": monday}


def _preset_labels(presets: dict[str, dt.datetime]) -> list[dict]:
    texts = {
        "later": _("Later today"),
        "tomorrow": _("Tomorrow"),
        "next_week": _("Next week"),
    }
    shown = {
        "later": formats.time_format(presets["later"], "TIME_FORMAT"),
        "tomorrow": formats.time_format(presets["tomorrow"], "TIME_FORMAT"),
        "next_week": formats.date_format(presets["next_week"], "SHORT_DATETIME_FORMAT"),
    }
    return [{"value": key, "label": texts[key], "when": shown[key]} for key in presets]


# -------------------------------------------------------------------------------------------- the page


def _receipts_on(settings_by_member: dict[int, MessagingSettings], member_id: int) -> bool:
    row = settings_by_member.get(member_id)
    return row.read_receipts if row is not None else True


def _profiles_for(ids: set[int], known: dict[int, Profile]) -> dict[int, Profile]:
    missing = ids - set(known)
    found = dict(known)
    if missing:
        found.update({p.user_id: p for p in Profile.objects.filter(user_id__in=missing)})
    return found


def _conversation_context(
    request: HttpRequest,
    participant: Participant,
    *,
    form: MessageForm | None = None,
    errors: dict | None = None,
    rename_form: GroupRenameForm | None = None,
    snooze_form: SnoozeForm | None = None,
    remind_form: RemindForm | None = None,
) -> dict:
    member = request.user
    head = head_of(participant)
    conversation = head.conversation
    before = request.GET.get("before", "")
    before_id = int(before) if before.isdigit() else None
    page = selectors.messages_of(
        conversation, before_id=before_id, limit=selectors.MESSAGES_PAGE + 1, until=participant.left_at
    )
    has_older = len(page) > selectors.MESSAGES_PAGE
    if has_older:
        page = page[1:]
    profiles = _profiles_for(referenced_member_ids(page), head.profiles)
    views = message_views(page, viewer_id=member.pk, profiles=profiles)
    active = getattr(conversation, "active_participants", [])
    settings_by_member = {
        row.member_id: row
        for row in MessagingSettings.objects.filter(member_id__in=[p.member_id for p in active] + [member.pk])
    }
    receipts = _receipts_on(settings_by_member, member.pk)
    if receipts and before_id is None:
        readers = [
            p for p in active if p.member_id != member.pk and _receipts_on(settings_by_member, p.member_id)
        ]
        place_receipts(views, readers, profiles)
    labels = list(selectors.labels_of(member))
    label_ids = {label.pk for label in participant.labels.all()}
    access = None
    if conversation.kind == Conversation.Kind.DIRECT and not head.has_left:
        other = next((p.member for p in active if p.member_id != member.pk), None)
        if other is not None:
            access = policy.message_access(member, other)
    now = timezone.now()
    presets = snooze_presets(now)
    return {
        "head": head,
        "participant": participant,
        "conversation": conversation,
        "message_views": views,
        "has_older": has_older,
        "older_url": f"{_url(conversation.pk)}?before={page[0].pk}" if has_older and page else "",
        "paged": before_id is not None,
        "form": form or MessageForm(auto_id="compose-%s"),
        "errors": errors or {},
        "rename_form": rename_form
        or GroupRenameForm(initial={"name": conversation.name}, auto_id="rename-%s"),
        "snooze_form": snooze_form or SnoozeForm(auto_id="snooze-%s"),
        "remind_form": remind_form or RemindForm(auto_id="remind-%s"),
        "snooze_presets": _preset_labels(presets),
        "snoozed": participant.snoozed_until is not None and participant.snoozed_until > now,
        "snoozed_text": full_time(participant.snoozed_until),
        "reminder_due": selectors.reminders_showing(participant),
        "reminder_pending": participant.remind_at is not None and participant.reminded_at is None,
        "remind_at_text": full_time(participant.remind_at),
        "remind_from_text": full_time(participant.remind_from),
        "labels": [{"label": label, "on": label.pk in label_ids} for label in labels],
        "access": access,
        "can_write": not head.has_left and (access is None or access.allowed),
        "receipts_on": receipts,
        "after_url": reverse("messaging:messages_after", args=[conversation.pk])
        + (f"?after={page[-1].pk}" if page else "?after=0"),
        "is_inmail_recipient": conversation.kind == Conversation.Kind.INMAIL
        and conversation.inmail_sender_id not in (None, member.pk),
        "next": request.get_full_path(),
    }


def _render(request: HttpRequest, participant: Participant, status: int = 200, **parts) -> HttpResponse:
    return render(
        request,
        "messaging/conversation.html",
        _conversation_context(request, participant, **parts),
        status=status,
    )


def _has_unread(participant: Participant) -> bool:
    """Whether opening the conversation changes the member's read state (no write otherwise)."""
    return (
        participant.is_unread
        or participant.last_read_at is None
        or (
            participant.last_message_at is not None and participant.last_read_at < participant.last_message_at
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_of(request.user, pk)
    if request.method == "POST":
        return _send(request, participant)
    if (
        participant.is_unread
        or participant.last_read_at is None
        or (participant.last_message_at and participant.last_read_at < participant.last_message_at)
    ):
        services.conversation_read(conversation=participant.conversation, member=request.user)
        participant.unread_count, participant.marked_unread = 0, False
    return _render(request, participant)


def _send(request: HttpRequest, participant: Participant) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES, auto_id="compose-%s")
    if not form.is_valid():
        return _render(request, participant, status=422, form=form)
    try:
        message = services.message_send(
            conversation=participant.conversation,
            sender=request.user,
            body=form.cleaned_data["body"],
            attachments=request.FILES.getlist("attachments"),
        )
    except ValidationError as error:
        apply_error(form, error)
        return _render(request, participant, status=422, form=form)
    except (PermissionDenied, QuotaExceeded) as error:
        form.add_error(None, str(error))
        return _render(request, participant, status=403, form=form)
    return redirect(_url(participant.conversation_id, f"message-{message.pk}"))


# ------------------------------------------------------------------------- the live updates' fragment


@login_required
@require_GET
def messages_after(request: HttpRequest, pk: int) -> HttpResponse:
    """`<li data-message-id>` items for an open conversation: the messages after `after` (oldest first,
    at most 50), or the ones listed in `ids` (edited or deleted since the page was drawn). New
    messages shown in an open conversation are read."""
    participant = selectors.participant_of(request.user, pk)
    conversation = participant.conversation
    messages_qs = (
        Message.objects.filter(conversation=conversation)
        .select_related("sender__profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "id")
    )
    if participant.left_at is not None:  # who left a group reads it up to their leaving
        messages_qs = messages_qs.filter(created_at__lte=participant.left_at)
    ids = [int(value) for value in request.GET.get("ids", "").split(",") if value.strip().isdigit()]
    after = request.GET.get("after", "")
    if ids:
        page = list(messages_qs.filter(id__in=ids[:FRAGMENT_MAX]))
    else:
        page = list(messages_qs.filter(id__gt=int(after) if after.isdigit() else 0)[:FRAGMENT_MAX])
    head = head_of(participant)
    profiles = _profiles_for(referenced_member_ids(page), head.profiles)
    views = message_views(page, viewer_id=request.user.pk, profiles=profiles)
    if page and not ids and participant.left_at is None and _has_unread(participant):
        services.conversation_read(conversation=conversation, member=request.user)
    return render(request, "messaging/_messages.html", {"message_views": views, "head": head})


# ------------------------------------------------------------------------------------- member actions


@login_required
@require_POST
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's organisation of one conversation: `action` is archive, unarchive, star, unstar, mute,
    unmute, unread, snooze (a preset or `until`), unsnooze, remind (`days`), remind_cancel, labels (the
    checked `labels`), focused or other."""
    participant = selectors.participant_of(request.user, pk)
    conversation, member = participant.conversation, request.user
    name = request.POST.get("action", "")
    inbox = reverse("messaging:inbox")
    back = safe_next(request, _url(conversation.pk))
    try:
        if name in ("archive", "unarchive"):
            services.conversation_archive(
                conversation=conversation, member=member, archived=name == "archive"
            )
            if name == "archive":
                messages.success(request, _("Conversation archived."))
                return redirect(inbox)
            messages.success(request, _("Conversation moved back to the inbox."))
        elif name in ("star", "unstar"):
            services.conversation_star(conversation=conversation, member=member, starred=name == "star")
            messages.success(request, _("Conversation starred.") if name == "star" else _("Star removed."))
        elif name in ("mute", "unmute"):
            services.conversation_mute(conversation=conversation, member=member, muted=name == "mute")
            messages.success(
                request,
                _("Conversation muted: no notifications for it.")
                if name == "mute"
                else _("Conversation unmuted."),
            )
        elif name == "unread":
            services.conversation_mark_unread(conversation=conversation, member=member)
            messages.success(request, _("Conversation marked as unread."))
            return redirect(inbox)  # staying on the page would read it again
        elif name == "snooze":
            form = SnoozeForm(request.POST, auto_id="snooze-%s")
            if not form.is_valid():
                return _render(request, participant, status=422, snooze_form=form)
            preset = form.cleaned_data["preset"]
            until = snooze_presets().get(preset) or form.cleaned_data["until"]
            try:
                services.conversation_snooze(conversation=conversation, member=member, until=until)
            except ValidationError as error:
                apply_error(form, error)
                return _render(request, participant, status=422, snooze_form=form)
            messages.success(request, _("Conversation snoozed until %(when)s.") % {"when": full_time(until)})
            return redirect(inbox)
        elif name == "unsnooze":
            services.conversation_snooze(conversation=conversation, member=member, until=None)
            messages.success(request, _("Conversation back in the inbox."))
        elif name == "remind":
            form = RemindForm(request.POST, auto_id="remind-%s")
            if not form.is_valid():
                return _render(request, participant, status=422, remind_form=form)
            try:
                row = services.conversation_remind(
                    conversation=conversation, member=member, days=form.cleaned_data["days"]
                )
            except ValidationError as error:
                apply_error(form, error)
                return _render(request, participant, status=422, remind_form=form)
            messages.success(
                request,
                _("We will remind you on %(when)s if nobody answers.") % {"when": full_time(row.remind_at)},
            )
        elif name == "remind_cancel":
            services.conversation_remind(conversation=conversation, member=member, days=None)
            messages.success(request, _("Reminder removed."))
        elif name == "labels":
            wanted = set(request.POST.getlist("labels"))
            labels = list(selectors.labels_of(member))
            known = {str(label.pk) for label in labels}
            if wanted - known:
                return _render(
                    request, participant, status=422, errors={"labels": [_("Choose one of your labels.")]}
                )
            current = {label.pk for label in participant.labels.all()}
            for label in labels:
                on = str(label.pk) in wanted
                if on != (label.pk in current):
                    services.conversation_label(conversation=conversation, member=member, label=label, on=on)
            messages.success(request, _("Labels saved."))
        elif name in ("focused", "other"):
            services.conversation_move(conversation=conversation, member=member, folder=name)
            messages.success(
                request,
                _("Moved to Focused: this member’s conversations will go there.")
                if name == "focused"
                else _("Moved to Other: this member’s conversations will go there."),
            )
        else:
            return _render(request, participant, status=422, errors={"top": [_("Choose an action.")]})
    except ValidationError as error:
        return _render(request, participant, status=422, errors={"top": error.messages})
    except PermissionDenied as error:
        return _render(request, participant, status=403, errors={"top": [str(error)]})
    return redirect(back)


# ---------------------------------------------------------------------------------------- groups


@login_required
@require_POST
def group_rename(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_of(request.user, pk)
    form = GroupRenameForm(request.POST, auto_id="rename-%s")
    if not form.is_valid():
        return _render(request, participant, status=422, rename_form=form)
    try:
        services.group_rename(
            conversation=participant.conversation, member=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as error:
        apply_error(form, error)
        return _render(request, participant, status=422, rename_form=form)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _render(request, participant, status=403, rename_form=form)
    messages.success(request, _("Conversation renamed."))
    return redirect(_url(pk))


@login_required
@require_http_methods(["GET", "POST"])
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one of my connections: GET lists my connections matching `q` who are not in the conversation;
    POST `member` adds one."""
    from entregent.network import selectors as network

    participant = selectors.participant_of(request.user, pk)
    head = head_of(participant)
    error, status = "", 200
    if request.method == "POST":
        raw = request.POST.get("member", "")
        new = (
            User.objects.filter(pk=int(raw), is_active=True).select_related("profile").first()
            if raw.isdigit()
            else None
        )
        if new is None:
            error, status = _("Choose one of your connections."), 422
        else:
            try:
                services.group_add(conversation=participant.conversation, member=request.user, new=new)
            except ValidationError as problem:
                error, status = " ".join(problem.messages), 422
            except PermissionDenied as problem:
                error, status = str(problem), 403
            else:
                messages.success(request, _("%(name)s was added.") % {"name": new.profile.display_name})
                return redirect(_url(pk))
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    in_conversation = set(head.profiles)
    candidates = (
        network.connections_of(request.user, order="name", query=query).exclude(user_id__in=in_conversation)[
            :ADD_PICKER_MAX
        ]
        if head.is_group and not head.has_left
        else []
    )
    return render(
        request,
        "messaging/group_add.html",
        {"head": head, "candidates": candidates, "q": query, "error": error, "limit": ADD_PICKER_MAX},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_of(request.user, pk)
    head = head_of(participant)
    if request.method == "POST":
        try:
            services.group_leave(conversation=participant.conversation, member=request.user)
        except PermissionDenied as error:
            return render(
                request, "messaging/group_leave.html", {"head": head, "error": str(error)}, status=403
            )
        messages.success(request, _("You left “%(title)s”.") % {"title": head.title})
        return redirect("messaging:inbox")
    return render(request, "messaging/group_leave.html", {"head": head})


# ---------------------------------------------------------------------------- one's own messages


def _message_and_head(request: HttpRequest, pk: int) -> tuple[Message, ConversationHead]:
    message = selectors.message_of(request.user, pk)
    participant = selectors.participant_of(request.user, message.conversation_id)
    return message, head_of(participant)


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message, head = _message_and_head(request, pk)
    form = MessageEditForm(request.POST or None, initial={"body": message.body}, auto_id=f"edit-{pk}-%s")
    error, status = "", 200
    if message.sender_id != request.user.pk:
        error, status = _("You can only edit your own messages."), 403
    elif request.method == "GET":
        view = message_views([message], viewer_id=request.user.pk, profiles={})[0]
        if not view.can_edit:  # said at once; on POST the service decides
            error, status = _("A message can be edited for 15 minutes after it was sent."), 403
    elif form.is_valid():
        try:
            services.message_edit(message=message, member=request.user, body=form.cleaned_data["body"])
        except ValidationError as problem:
            apply_error(form, problem)
            status = 422
        except PermissionDenied as problem:
            error, status = str(problem), 403
        else:
            messages.success(request, _("Message edited."))
            return redirect(_url(message.conversation_id, f"message-{pk}"))
    else:
        status = 422
    return render(
        request,
        "messaging/message_edit.html",
        {"form": form, "message": message, "head": head, "error": error},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message, head = _message_and_head(request, pk)
    error, status = "", 200
    if message.sender_id != request.user.pk:
        error, status = _("You can only delete your own messages."), 403
    elif request.method == "POST":
        try:
            services.message_delete(message=message, member=request.user)
        except (PermissionDenied, ValidationError) as problem:
            error, status = " ".join(getattr(problem, "messages", [str(problem)])), 403
        else:
            messages.success(request, _("Message deleted."))
            return redirect(_url(message.conversation_id, f"message-{pk}"))
    return render(
        request,
        "messaging/message_delete.html",
        {"message": message, "head": head, "error": error, "preview": message.body},
        status=status,
    )
