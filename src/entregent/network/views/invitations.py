"""Pages of the network: My network (invitations received, with what the member's rules decided and the
sender's trust information), invitations sent, connections, followers and following, someone's mutual
connections and connection list, the invite form, and the actions follow / unfollow / remove / block /
unblock. Views parse, check access, call one service and render; the rules live in services.py,
selectors.py and core/policy.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entregent import plans
from entregent.core import policy
from entregent.network import cards, selectors, services
from entregent.network.forms import ConnectionFilterForm, InvitationForm, NetworkPreferencesForm
from entregent.network.models import Invitation, TriageRule
from entregent.plans import QuotaExceeded
from entregent.profiles.selectors import profile_of

PAGE_SIZE = 20
# Pending invitations with a note and how many arrived; the note is what the recipient reads first.
TIER_ADVICE_BELOW = 500


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _error(request: HttpRequest, error: Exception) -> None:
    text = error.messages[0] if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _counts(member) -> dict:
    """The side menu's figures for My network."""
    return {
        "connections": selectors.connection_count(member),
        "received": selectors.invitations_received(member, box="inbox").count(),
        "suspicious": selectors.invitations_received(member, box="suspicious").count(),
        "sorted": selectors.invitations_sorted_by_rules(member).count(),
        "following": selectors.following_of(member).count(),
        "followers": selectors.follower_count(member),
    }


# ------------------------------------------------------------------------------------------ my network


@login_required
@require_GET
def my_network(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box")
    if box == "sorted":
        invitations = selectors.invitations_sorted_by_rules(request.user)
    else:
        box = "suspicious" if box == "suspicious" else "inbox"
        invitations = selectors.invitations_received(request.user, box=box)
    page = _page(request, invitations)
    context = {
        "box": box,
        "page": page,
        "rows": cards.invitation_rows(request.user, page.object_list, incoming=True),
        "counts": _counts(request.user),
        "preferences": NetworkPreferencesForm(
            initial={
                "primary_action": profile_of(request.user).primary_action,
                "hide_connections": profile_of(request.user).hide_connections,
            }
        ),
        "section": "received",
        "query_string": "" if box == "inbox" else f"box={box}",
        "rules_count": TriageRule.objects.filter(owner=request.user, enabled=True).count(),
    }
    return render(request, "network/my_network.html", context)


@login_required
@require_GET
def invitations_sent(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.invitations_sent(request.user))
    context = {
        "page": page,
        "rows": cards.invitation_rows(request.user, page.object_list, incoming=False),
        "counts": _counts(request.user),
        "section": "sent",
    }
    return render(request, "network/invitations_sent.html", context)


@login_required
@require_GET
def connections(request: HttpRequest) -> HttpResponse:
    form = ConnectionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.connections_of(
        request.user,
        order=filters.get("sort") or "recent",
        query=filters.get("q", ""),
        company=filters.get("company", ""),
        location=filters.get("location", ""),
    )
    page = _page(request, queryset)
    context = {
        "form": form,
        "filtered": any(filters.get(k) for k in ("q", "company", "location")),
        "page": page,
        "cards": cards.member_cards(request.user, page.object_list),
        "counts": _counts(request.user),
        "section": "connections",
        "query_string": _query_without_page(request),
    }
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, "network/connections.html", context, status=status)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def followers(request: HttpRequest) -> HttpResponse:
    return _follow_page(request, selectors.followers_of(request.user), "followers")


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    return _follow_page(request, selectors.following_of(request.user), "following")


def _follow_page(request: HttpRequest, queryset, section: str) -> HttpResponse:
    page = _page(request, queryset)
    context = {
        "page": page,
        "cards": cards.member_cards(request.user, page.object_list),
        "counts": _counts(request.user),
        "section": section,
    }
    return render(request, "network/follows.html", context)


@login_required
@require_GET
def blocked(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.blocked_by(request.user))
    return render(
        request,
        "network/blocked.html",
        {"page": page, "counts": _counts(request.user), "section": "blocked"},
    )


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    from entregent.profiles import services as profile_services

    form = NetworkPreferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a main button for your profile."))
        return redirect(reverse("network:home") + "#preferences")
    profile_services.profile_update(profile=profile_of(request.user), **form.cleaned_data)
    messages.success(request, _("Your network preferences are saved."))
    return redirect(reverse("network:home") + "#preferences")


# ------------------------------------------------------------------------------------ someone's network


@require_GET
def mutual(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    profile = selectors.member_visible_to(request.user, slug)
    if profile.user_id == request.user.pk:
        return redirect("network:connections")
    page = _page(request, selectors.mutual_connections(request.user, profile.user))
    context = {"profile": profile, "page": page, "cards": cards.member_cards(request.user, page.object_list)}
    return render(request, "network/mutual.html", context)


@require_GET
def member_connections(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone's connections, as much as the policy lets the viewer see (all, shared ones, or none)."""
    if not request.user.is_authenticated:
        raise Http404
    profile = selectors.member_visible_to(request.user, slug)
    if profile.user_id == request.user.pk:
        return redirect("network:connections")
    scope = policy.connection_list_scope(profile.relation, profile)
    if scope == policy.CONNECTIONS_NONE:
        raise Http404
    if scope == policy.CONNECTIONS_ALL:
        queryset = policy.exclude_blocked(
            selectors.connections_of(profile.user, order="name"), request.user.pk, "user_id"
        )
    else:
        queryset = selectors.mutual_connections(request.user, profile.user)
    page = _page(request, queryset)
    context = {
        "profile": profile,
        "scope": scope,
        "page": page,
        "cards": cards.member_cards(request.user, page.object_list),
    }
    return render(request, "network/member_connections.html", context)


# ------------------------------------------------------------------------------------------- inviting


def _invite_context(request: HttpRequest, profile, form: InvitationForm) -> dict:
    card = cards.member_card(request.user, profile)
    return {
        "profile": profile,
        "card": card,
        "form": form,
        "advise_note": card.connection_count < TIER_ADVICE_BELOW,
        "notes_allowed": plans.has(request.user, "invitations.note"),
        "invitations_left": plans.remaining(request.user, "invitations.weekly"),
        "notes_left": plans.remaining(request.user, "invitation_notes.monthly"),
        "examples": example_notes(request.user, profile),
    }


def example_notes(sender, profile) -> list[str]:
    """Two or three short notes in the member's language, with the invitee's first name."""
    name = profile.first_name
    mine = profile_of(sender)
    examples = [
        _("Hello %(name)s, we met recently and I would be glad to stay in touch here.") % {"name": name},
        _("Hello %(name)s, I follow your work and would like to add you to my professional network.")
        % {"name": name},
    ]
    if mine.industry and mine.industry == profile.industry:
        examples.append(
            _("Hello %(name)s, we both work in %(industry)s: I would be happy to exchange ideas.")
            % {"name": name, "industry": profile.get_industry_display()}
        )
    else:
        examples.append(
            _("Hello %(name)s, a mutual contact spoke highly of you; shall we connect?") % {"name": name}
        )
    return examples


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.member_visible_to(request.user, slug)
    if profile.user_id == request.user.pk:
        messages.error(request, _("You cannot invite yourself."))
        return redirect(profile)
    if request.method == "GET":
        initial = {}
        examples = example_notes(request.user, profile)
        choice = request.GET.get("example", "")
        if choice.isdigit() and int(choice) < len(examples):
            initial["note"] = examples[int(choice)]
        return render(
            request, "network/invite.html", _invite_context(request, profile, InvitationForm(initial=initial))
        )
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render(request, "network/invite.html", _invite_context(request, profile, form), status=422)
    try:
        invitation = services.invitation_send(
            sender=request.user, recipient=profile.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return render(request, "network/invite.html", _invite_context(request, profile, form), status=422)
    except (PermissionDenied, QuotaExceeded) as error:
        form.add_error(None, str(error))
        return render(request, "network/invite.html", _invite_context(request, profile, form), status=403)
    if invitation.status == Invitation.Status.ACCEPTED:
        messages.success(request, _("You are now connected with %(name)s.") % {"name": profile.display_name})
    else:
        messages.success(request, _("Invitation sent to %(name)s.") % {"name": profile.display_name})
    return redirect(_next(request, profile.get_absolute_url()))


def _own_invitation(request: HttpRequest, pk: int, *, as_recipient: bool) -> Invitation:
    """The invitation `pk` if the member is its recipient (or sender): anyone else gets a 404."""
    role = {"recipient": request.user} if as_recipient else {"sender": request.user}
    return get_object_or_404(
        Invitation.objects.select_related("sender__profile", "recipient__profile"), pk=pk, **role
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk, as_recipient=True)
    try:
        services.invitation_accept(invitation=invitation, member=request.user)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("You are now connected with %(name)s.") % {"name": invitation.sender.profile.display_name},
        )
    return redirect(_next(request, reverse("network:home")))


@login_required
@require_POST
def invitation_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk, as_recipient=True)
    try:
        services.invitation_ignore(invitation=invitation, member=request.user)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Invitation from %(name)s ignored. They are not told.")
            % {"name": invitation.sender.profile.display_name},
        )
    return redirect(_next(request, reverse("network:home")))


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own_invitation(request, pk, as_recipient=False)
    try:
        services.invitation_withdraw(invitation=invitation, member=request.user)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Invitation to %(name)s withdrawn. You can invite them again in three weeks.")
            % {"name": invitation.recipient.profile.display_name},
        )
    return redirect(_next(request, reverse("network:sent")))


# --------------------------------------------------------------------- follow, remove, block, unblock


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.member_visible_to(request.user, slug)
    try:
        services.follow(follower=request.user, followed=profile.user)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(request, _("You follow %(name)s.") % {"name": profile.display_name})
    return redirect(_next(request, profile.get_absolute_url()))


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.member_visible_to(request.user, slug)
    services.unfollow(follower=request.user, followed=profile.user)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": profile.display_name})
    return redirect(_next(request, profile.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.member_visible_to(request.user, slug)
    if request.method == "GET":
        return render(request, "network/confirm.html", {"profile": profile, "action": "remove"})
    if services.connection_remove(member=request.user, other=profile.user):
        messages.success(
            request,
            _("%(name)s was removed from your connections. They are not told.")
            % {"name": profile.display_name},
        )
    return redirect(_next(request, reverse("network:connections")))


@login_required
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.member_visible_to(request.user, slug)
    if profile.user_id == request.user.pk:
        raise Http404
    if request.method == "GET":
        return render(request, "network/confirm.html", {"profile": profile, "action": "block"})
    try:
        services.block(blocker=request.user, blocked=profile.user)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
        return redirect(profile)
    messages.success(
        request,
        _(
            "You blocked %(name)s. You will not see each other on %(site)s; you can unblock them from My network."
        )
        % {"name": profile.display_name, "site": _site_name()},
    )
    return redirect("network:blocked")


def _site_name() -> str:
    from django.conf import settings

    return settings.SITE_NAME


@login_required
@require_POST
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift one of my blocks (by the blocked member's id: their profile is hidden from me)."""
    row = get_object_or_404(selectors.blocked_by(request.user), blocked_id=pk)
    services.unblock(blocker=request.user, blocked=row.blocked)
    messages.success(
        request,
        _("You unblocked %(name)s. You cannot block them again for 48 hours.")
        % {"name": row.blocked.profile.display_name},
    )
    return redirect("network:blocked")
