"""Pages of messaging settings: the member's preferences (/messaging/settings/), their labels (list,
create, rename and recolour, delete after confirmation), and the buttons of a conversation that share
contact details, ask for them, answer such a request, and mark an InMail as spam. Views parse, check
access (a conversation or a label that is not the member's is a 404), call one function and redirect;
the rules live in contacts.py, spam.py, preferences.py and services.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from entregent.messaging import contacts, preferences, selectors, services, spam
from entregent.messaging.models import Label, MessagingSettings

LABELS_PAGE = 50
SHARING_AUTO, SHARING_CHOSEN = "auto", "chosen"


def conversation_url(conversation_id: int) -> str:
    """The conversation's page; the inbox, or the home page, while the pages are not installed."""
    for name, args in (("messaging:conversation", [conversation_id]), ("messaging:inbox", []), ("home", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/"


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal next to the field it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# -------------------------------------------------------------------------------------------- settings


class SettingsForm(forms.Form):
    read_receipts = forms.BooleanField(
        label=gettext_lazy("Send read receipts"),
        required=False,
        help_text=gettext_lazy("The others in a conversation see when you have read their messages."),
    )
    refuse_inmail = forms.BooleanField(
        label=gettext_lazy("Refuse InMail"),
        required=False,
        help_text=gettext_lazy(
            "Members you are not connected to cannot write to you, even with an InMail credit."
        ),
    )
    email_unread = forms.ChoiceField(
        label=gettext_lazy("Email me about unread messages"),
        choices=MessagingSettings.Digest.choices,
        widget=forms.RadioSelect,
    )
    sharing = forms.ChoiceField(
        label=gettext_lazy("Contact details shared in one click"),
        choices=[
            (
                SHARING_AUTO,
                gettext_lazy(
                    "Automatically: my account email, and the contact details my profile already shows "
                    "to the people in the conversation"
                ),
            ),
            (SHARING_CHOSEN, gettext_lazy("Only the details I tick below")),
        ],
        widget=forms.RadioSelect,
    )
    shared = forms.MultipleChoiceField(
        label=gettext_lazy("Details to share"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose contact details you have.")},
    )

    def __init__(self, *args: Any, items: list[contacts.Shareable], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["shared"].choices = [(item.key, item.value) for item in items]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        shared = contacts.AUTO if data["sharing"] == SHARING_AUTO else data["shared"]
        return {
            "read_receipts": data["read_receipts"],
            "refuse_inmail": data["refuse_inmail"],
            "email_unread": data["email_unread"],
            "shared": shared,
        }


def _settings_initial(current: MessagingSettings, items: list[contacts.Shareable]) -> dict[str, Any]:
    chosen = contacts.sharing_of(current.member, current)
    if chosen == contacts.AUTO:
        # Ticked in advance: what a connection would get, a starting point for choosing.
        ticked = [i.key for i in items if i.is_account or i.visibility != "me"]
    else:
        ticked = [i.key for i in items if i.key in chosen]
    return {
        "read_receipts": current.read_receipts,
        "refuse_inmail": current.refuse_inmail,
        "email_unread": current.email_unread,
        "sharing": SHARING_AUTO if chosen == contacts.AUTO else SHARING_CHOSEN,
        "shared": ticked,
    }


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    member = request.user
    items = contacts.shareable_of(member)
    if request.method == "POST":
        form = SettingsForm(request.POST, items=items)
        if form.is_valid():
            try:
                preferences.preferences_update(member=member, **form.values())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your messaging settings are saved."))
                return redirect("messaging:settings")
        status = 422
    else:
        current = preferences.preferences_of(member)
        form = SettingsForm(initial=_settings_initial(current, items), items=items)
        status = 200
    context = {
        "form": form,
        "general_fields": [form["read_receipts"], form["refuse_inmail"], form["email_unread"]],
        "shared_choices": list(zip(form["shared"], items, strict=True)),
        "inbox_url": _url_or_none("messaging:inbox"),
    }
    return render(request, "messaging/settings.html", context, status=status)


# ---------------------------------------------------------------------------------------------- labels


class ColourInput(forms.TextInput):
    input_type = "color"


class LabelForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=Label._meta.get_field("name").max_length,
        error_messages={"required": gettext_lazy("Give the label a name.")},
    )
    colour = forms.CharField(label=gettext_lazy("Colour"), initial="#0a66c2", widget=ColourInput)


def _labels_of(member) -> Any:
    return selectors.labels_of(member).annotate(conversations=Count("participants"))


def _labels_page(request: HttpRequest, form: LabelForm, *, status: int = 200) -> HttpResponse:
    page = Paginator(_labels_of(request.user), LABELS_PAGE).get_page(request.GET.get("page"))
    rows = [
        (label, LabelForm(initial={"name": label.name, "colour": label.colour}, prefix=f"label-{label.pk}"))
        for label in page
    ]
    context = {"form": form, "page": page, "rows": rows, "inbox_url": _url_or_none("messaging:inbox")}
    return render(request, "messaging/labels.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def labels(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _labels_page(request, LabelForm(prefix="new"))
    form = LabelForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            label = services.label_create(
                owner=request.user, name=form.cleaned_data["name"], colour=form.cleaned_data["colour"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The label “%(name)s” was created.") % {"name": label.name})
            return redirect("messaging:labels")
    return _labels_page(request, form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def label_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename or recolour a label: the list posts here; a refusal shows this label's form alone."""
    label = get_object_or_404(selectors.labels_of(request.user), pk=pk)
    prefix = f"label-{label.pk}"
    if request.method != "POST":
        form = LabelForm(initial={"name": label.name, "colour": label.colour}, prefix=prefix)
        return render(request, "messaging/label_edit.html", {"form": form, "label": label})
    form = LabelForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            preferences.label_update(
                label=label,
                owner=request.user,
                name=form.cleaned_data["name"],
                colour=form.cleaned_data["colour"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The label “%(name)s” was saved.") % {"name": label.name})
            return redirect("messaging:labels")
    label.refresh_from_db()
    return render(request, "messaging/label_edit.html", {"form": form, "label": label}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def label_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), delete on POST: the label leaves every conversation it was on."""
    label = get_object_or_404(_labels_of(request.user), pk=pk)
    if request.method != "POST":
        return render(request, "messaging/label_delete.html", {"label": label})
    services.label_delete(label=label, owner=request.user)
    messages.success(request, _("The label “%(name)s” was deleted.") % {"name": label.name})
    return redirect("messaging:labels")


# -------------------------------------------------------------------------------- conversation buttons


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run one service: its success or its ValidationError as a flash message. A PermissionDenied goes
    up and shows the 403 page with its reason."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


@login_required
@require_POST
def contact_share(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.participant_of(request.user, pk).conversation
    _act(
        request,
        lambda: contacts.contact_share(conversation=conversation, member=request.user),
        _("Your contact details were shared."),
    )
    return redirect(conversation_url(pk))


@login_required
@require_POST
def contact_request(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.participant_of(request.user, pk).conversation
    _act(
        request,
        lambda: contacts.contact_request(conversation=conversation, member=request.user),
        _("You asked for contact details."),
    )
    return redirect(conversation_url(pk))


@login_required
@require_POST
def contact_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_of(request.user, pk)
    _act(
        request,
        lambda: contacts.contact_request_accept(message=message, member=request.user),
        _("Your contact details were shared."),
    )
    return redirect(conversation_url(message.conversation_id))


@login_required
@require_POST
def inmail_spam(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.participant_of(request.user, pk).conversation
    _act(
        request,
        lambda: spam.inmail_mark_spam(conversation=conversation, member=request.user),
        _("The InMail was marked as spam and archived; its sender was reported to the moderators."),
    )
    return redirect(conversation_url(pk))
