"""Who viewed my profile: the viewers page, and the edit-hub card where a member chooses how they
appear when they view other profiles. The page is always the signed-in member's own: its URL holds
no member id, so there is nobody else's list to ask for."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from entregent.profiles import selectors, services
from entregent.profiles.models import Profile


class ViewerModeForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["viewer_mode"]
        widgets = {"viewer_mode": forms.RadioSelect}
        help_texts = {
            "viewer_mode": _(
                "This is what members whose profiles you view see on their viewers page. The choice "
                "applies to the profiles you view from now on. On a plan without the full viewers "
                "list, browsing in private or semi-private mode hides your own viewers list."
            )
        }


def save_viewer_mode(profile: Profile, form: forms.BaseForm) -> object:
    """The edit hub's save callable for the "How you appear when you view profiles" card."""
    return services.profile_set_viewer_mode(profile=profile, viewer_mode=form.cleaned_data["viewer_mode"])


@login_required
@require_GET
def viewers(request: HttpRequest) -> HttpResponse:
    report = selectors.viewers_report(request.user, page_number=request.GET.get("page"))
    return render(request, "profiles/viewers.html", {"report": report})
