"""The JSON API at /api/v1/, assembled from each app's api.py.

Its OpenAPI 3.1 document is at /api/v1/openapi.json and the interactive docs at /api/v1/docs.
Authentication, error formats and endpoints are described in docs/api.md.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext

from entregent.api import auth, errors
from entregent.api.docs import LocalSwagger


class EntregentAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        # Translate while pydantic's error still holds the input (ninja drops it afterwards).
        found: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                found.append(
                    {
                        "loc": (model.__ninja_param_source__, *loc),
                        "msg": errors.pydantic_message(error),
                        "type": error["type"],
                    }
                )
        return ValidationError(found)


api = EntregentAPI(
    title="Entregent API",
    version="1",
    description=(
        "The member's own profile and other members' profiles, as JSON. Authenticate with a "
        "personal access token (`Authorization: Bearer ent_…`, created in Settings → API access "
        "tokens) or, from the site itself, with the session cookie and the CSRF header."
    ),
    urls_namespace="api",
    auth=auth.REQUIRED,
    docs=LocalSwagger(),
)
errors.install(api)


def _add_routers() -> None:
    from entregent.messaging import api as messaging_api
    from entregent.network import api_introductions, api_invitations, api_suggestions, api_triage
    from entregent.plans.api import router as plans_router
    from entregent.profiles.api import router as profiles_router
    from entregent.trust import api as trust_api

    api.add_router("/", profiles_router)
    api.add_router("/", plans_router)
    api.add_router("/", api_invitations.router)
    api.add_router("/", api_suggestions.router)
    api.add_router("/", api_introductions.router)
    api.add_router("/", api_triage.router)
    api.add_router("/", trust_api.router)
    api.add_router("/", messaging_api.router)


_add_routers()
