import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from entregent.network.models import Invitation
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_daily_job_expires_invitations_open_for_six_months():
    a, b, c = member(slug="aa-one"), member(slug="bb-two"), member(slug="cc-three")
    old = Invitation.objects.create(sender=a, recipient=b, created_at=timezone.now() - dt.timedelta(days=200))
    recent = Invitation.objects.create(sender=a, recipient=c)
    out = StringIO()
    call_command("network", "daily", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Invitation.Status.EXPIRED
    assert recent.status == Invitation.Status.PENDING
    assert "Invitations expired: 1" in out.getvalue()
