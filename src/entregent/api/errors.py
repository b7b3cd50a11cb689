"""How the API says no: every error is JSON `{"detail": "...", "errors": {field: [messages]}}`, with
messages in the request's language (LocaleMiddleware reads Accept-Language).

Pydantic's own messages are English only, so each pydantic error is rewritten with the message
Django uses for the same rule (translated in Django's catalogue), and Django ValidationErrors raised
by forms and services pass through as they are. Nothing here ever answers 5xx for bad input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

NON_FIELD = "__all__"


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


# The error statuses an operation may answer, by kind of operation: listed in the OpenAPI document
# so that clients (and the schemathesis test) know every answer they can get.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}


def _field_name(loc: tuple[Any, ...]) -> str:
    """('body', 'payload', 'headline') → 'headline'; ('path', 'item_id') → 'item_id'."""
    source, *rest = loc or ("",)
    if source == "body" and rest:
        rest = rest[1:]  # the view's parameter name, not something the client sent
    return ".".join(str(part) for part in rest) or NON_FIELD


def _length(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def pydantic_message(error: dict[str, Any]) -> str:
    """A translated message for one pydantic error, reusing Django's wording where it has one."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return str(forms.Field.default_error_messages["required"])
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return validators.MaxLengthValidator(limit).message % {
            "limit_value": limit,
            "show_value": _length(value),
        }
    if kind == "string_too_short":
        limit = ctx.get("min_length", 0)
        if limit == 1:
            return str(forms.Field.default_error_messages["required"])
        return validators.MinLengthValidator(limit).message % {
            "limit_value": limit,
            "show_value": _length(value),
        }
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return validators.MaxValueValidator(limit).message % {"limit_value": limit}
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return validators.MinValueValidator(limit).message % {"limit_value": limit}
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return str(forms.IntegerField.default_error_messages["invalid"])
    if kind in ("bool_type", "bool_parsing"):
        return _("Enter true or false.")
    if kind in ("string_type", "string_unicode"):
        return _("Enter a text value.")
    if kind in ("literal_error", "enum"):
        return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": _short(value)}
    if kind == "null_characters":
        return str(validators.ProhibitNullCharactersValidator.message)
    if kind == "extra_forbidden":
        return _("This field is unknown.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Send a JSON object.")
    return str(validators.RegexValidator.message)


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:39] + "…"


def translate_pydantic_errors(errors: list[dict[str, Any]], *, prefix: tuple[Any, ...] = ()) -> list[dict]:
    return [
        {"loc": prefix + tuple(error["loc"]), "msg": pydantic_message(error), "type": error["type"]}
        for error in errors
    ]


def validation_response(api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    body = {"detail": _("The data sent is not valid: see the message on each field."), "errors": errors}
    return api.create_response(request, body, status=422)


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {NON_FIELD: [str(m) for m in error.messages]}


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (English, and 'Not Found' in plain words) with ours."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(tuple(error.get("loc", ()))), []).append(str(error.get("msg", "")))
        return validation_response(api, request, errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return validation_response(api, request, django_errors(exc))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            message = _("The request body is not valid JSON.")
        response = api.create_response(request, {"detail": message}, status=exc.status_code)
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc)
        if message == "Unauthorized":  # ninja's default when no method accepted the request
            message = _("Authentication required: send a personal access token or sign in.")
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("You are not allowed to do this.")
        return api.create_response(request, {"detail": message}, status=403)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, {"detail": _("The request body is too large.")}, status=413)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
