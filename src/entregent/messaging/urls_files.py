"""Downloading a message's attachment (/messaging/files/<pk>/): only for the members of its
conversation (404 for anyone else, blocked members included), always as a download with the original
name, except images asked inline (?inline=1); the stored content type, never sniffed."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from django.views.decorators.http import require_safe

from entregent.messaging.attachments import attachment_of

# A file opened directly in a tab runs nothing and loads nothing else.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    row = attachment_of(request.user, pk)
    inline = request.GET.get("inline") == "1" and row.content_type.startswith("image/")
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=row.original_name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response


urlpatterns = [path("<int:pk>/", attachment, name="attachment")]
