"""A new conversation: recipients picked among my connections (one recipient may be any member, from the
Message button: `?to=<slug>`), with the lock and its reason when that member cannot be written to freely,
the InMail's subject and credits left, a group's name. Writing to someone I already talk with goes on in
our conversation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from entregent import plans
from entregent.core import policy
from entregent.messaging import services
from entregent.messaging.forms import NewConversationForm, apply_error
from entregent.messaging.models import MAX_PARTICIPANTS, Conversation
from entregent.network import selectors as network
from entregent.plans import QuotaExceeded

PICKER_MAX = 50


def _existing_direct(member, other_id: int) -> Conversation | None:
    """The pair's conversation if the member is in it and has not hidden it."""
    return Conversation.objects.filter(
        pair_key=services.pair_key(member.pk, other_id),
        participants__member=member,
        participants__hidden=False,
    ).first()


def _ids(values) -> list[int]:
    seen: list[int] = []
    for value in values:
        if str(value).isdigit() and int(value) not in seen:
            seen.append(int(value))
    return seen


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    member = request.user
    slug = (request.POST.get("to_slug") or request.GET.get("to") or "").strip()
    target = network.member_visible_to(member, slug) if slug else None  # 404: hidden or blocked
    if target is not None and target.user_id == member.pk:
        target = None
    if request.method == "GET" and target is not None:
        existing = _existing_direct(member, target.user_id)
        if existing is not None:
            return redirect("messaging:conversation", existing.pk)

    posting = request.method == "POST"
    finding = posting and "find" in request.POST
    if posting:
        selected_ids = _ids(request.POST.getlist("to"))[: MAX_PARTICIPANTS + 1]
    else:
        selected_ids = [target.user_id] if target is not None else []
    query = (request.POST.get("q") if posting else request.GET.get("q")) or ""
    query = query.strip()[:100]

    connections = network.connections_of(member, order="name", query=query)
    picker = list(connections.exclude(user_id__in=selected_ids)[:PICKER_MAX])
    picker_total = connections.count() if len(picker) >= PICKER_MAX else None
    # Checked members are connections, or the member of the Message button (whose profile the viewer
    # may see): a posted id of anyone else is refused, and their name never shown.
    selected = list(network.connections_of(member, order="name").filter(user_id__in=selected_ids))
    connected_target = target is not None and policy.are_connected(member.pk, target.user_id)
    if target is not None and not connected_target and (not posting or target.user_id in selected_ids):
        selected.append(target)
    selected.sort(key=lambda p: selected_ids.index(p.user_id) if p.user_id in selected_ids else -1)

    # The lock, when the Message button's member is not a connection: the reason, what unlocks it.
    access = None
    if target is not None and not connected_target:
        access = policy.message_access(member, target.user)
    inmail = (
        access is not None
        and access.mode == policy.WRITE_INMAIL
        and (not posting or selected_ids == [target.user_id])
    )

    choices = [(p.user_id, p.display_name) for p in selected + picker]
    initial = {"to": selected_ids}
    if finding or not posting:
        form = NewConversationForm(
            initial={
                **initial,
                **({k: request.POST.get(k, "") for k in ("subject", "name", "body")} if posting else {}),
            },
            choices=choices,
            inmail=inmail,
            auto_id="new-%s",
        )
        return _page(request, form, target, selected, picker, picker_total, query, access, inmail)

    form = NewConversationForm(request.POST, request.FILES, choices=choices, inmail=inmail, auto_id="new-%s")
    if not form.is_valid():
        return _page(request, form, target, selected, picker, picker_total, query, access, inmail, status=422)
    by_id = {p.user_id: p for p in selected + picker}
    recipients = [by_id[i].user for i in form.cleaned_data["to"] if i in by_id]
    try:
        conversation, message = services.conversation_start(
            sender=member,
            recipients=recipients,
            body=form.cleaned_data["body"],
            name=form.cleaned_data["name"] if len(recipients) > 1 else "",
            subject=form.cleaned_data["subject"] if inmail else "",
            attachments=request.FILES.getlist("attachments"),
        )
    except ValidationError as error:
        apply_error(form, error, aliases={"recipients": "to"})
        return _page(request, form, target, selected, picker, picker_total, query, access, inmail, status=422)
    except (PermissionDenied, QuotaExceeded) as error:
        form.add_error(None, str(error))
        return _page(
            request,
            form,
            target,
            selected,
            picker,
            picker_total,
            query,
            access,
            inmail,
            status=403,
            quota_error=error,
        )
    return redirect(reverse("messaging:conversation", args=[conversation.pk]) + f"#message-{message.pk}")


def _page(
    request,
    form,
    target,
    selected,
    picker,
    picker_total,
    query,
    access,
    inmail,
    *,
    status=200,
    quota_error=None,
) -> HttpResponse:
    member = request.user
    return render(
        request,
        "messaging/new.html",
        {
            "form": form,
            "target": target,
            "selected_ids": {p.user_id for p in selected},
            "people": [{"profile": p, "selected": True} for p in selected]
            + [{"profile": p, "selected": False} for p in picker],
            "picker_total": picker_total,
            "picker_max": PICKER_MAX,
            "q": query,
            "access": access,
            "inmail": inmail,
            "credits_left": plans.remaining(member, services.INMAIL_QUOTA) if inmail else None,
            "unlock": getattr(quota_error, "unlock", []) if isinstance(quota_error, QuotaExceeded) else [],
            "max_participants": MAX_PARTICIPANTS,
        },
        status=status,
    )
