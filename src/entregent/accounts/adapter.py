"""Hooks into django-allauth: mails are rendered in the visitor's language while the request is
at hand, then leave through our task queue once the transaction has committed (a slow or failing
SMTP server never slows or breaks a sign-up)."""

from __future__ import annotations

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.db import transaction

from entregent.accounts.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        # Without django.contrib.sites allauth would name the site after the host; use SITE_NAME.
        domain = request.get_host() if request is not None else ""
        ctx = {
            "request": request,
            "email": email,
            "current_site": SimpleNamespace(name=settings.SITE_NAME, domain=domain),
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        payload = {
            "subject": message.subject,
            "body": message.body,
            "to": list(message.to),
            "from_email": message.from_email,
            "html": html,
        }
        transaction.on_commit(lambda: send_email.enqueue(**payload))
