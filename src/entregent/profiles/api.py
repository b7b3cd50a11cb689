"""The profile endpoints of the JSON API: the member's own profile (read, edit, and each section's
items), and another member's profile as the access policy lets the caller see it.

The request and response schemas of the sections are built from the section registry
(`profiles.sections`): each form's fields, typed from the model field behind it. Input is then
checked by that same form and saved by the same service as the HTML pages, so the API never has a
rule of its own. Who sees what comes from `selectors.profile_view_for` (that is, `core.policy`).
"""

import re
from typing import Annotated, Any, Literal

from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from entregent.core import policy
from entregent.core.policy import Relation
from entregent.profiles import selectors, services
from entregent.profiles.models import PUBLIC_SECTIONS, Profile
from entregent.profiles.sections import SECTIONS, SectionSpec

router = Router(tags=["profiles"])

# The sections shown on a profile (contact details are listed apart, each with its own visibility).
PROFILE_SECTIONS = [name for name in SECTIONS if name != "contacts"]
MAX_ID = 2**63 - 1
SLUG_IN_PATH = re.compile(r"[A-Za-z0-9-]{1,100}")


# --- Types -----------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    """Refuse what no database column can hold (NUL, lone surrogates) with a 422, not a 500."""
    if "\x00" in value:
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("string_unicode", "Invalid characters.") from None
    return value


def _no_default(schema: dict[str, Any]) -> None:
    # PATCH fields are optional, but "absent" is not "null": hide the technical default.
    schema.pop("default", None)


def _field_type(field: models.Field) -> Any:
    """The pydantic type of a model field, with the limits the model enforces."""
    if field.choices:
        values = [value for value, _label in field.flatchoices]
        if isinstance(field, models.CharField) and field.blank and "" not in values:
            values = ["", *values]
        annotation: Any = Literal[tuple(values)]  # type: ignore[valid-type]
    elif isinstance(field, models.BooleanField):
        annotation = bool
    elif isinstance(field, models.IntegerField):
        limits: dict[str, int] = {}
        for validator in field.validators:
            if isinstance(validator, validators.MinValueValidator):
                limits["ge"] = max(limits.get("ge", validator.limit_value), validator.limit_value)
            elif isinstance(validator, validators.MaxValueValidator):
                limits["le"] = min(limits.get("le", validator.limit_value), validator.limit_value)
        annotation = Annotated[int, Field(**limits)]
    else:  # CharField, TextField, URLField, EmailField
        limits = {"max_length": field.max_length} if field.max_length else {}
        if not field.blank:
            limits["min_length"] = 1
        annotation = Annotated[str, Field(**limits), AfterValidator(_clean_text)]
    return annotation | None if field.null else annotation


def _output_type(field: models.Field) -> Any:
    # Stored data is shown as it is: no input limits on the way out.
    if isinstance(field, models.BooleanField):
        annotation: Any = bool
    elif isinstance(field, models.IntegerField):
        annotation = int
    else:
        annotation = str
    return annotation | None if field.null else annotation


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


def _model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)  # type: ignore[return-value]


def _create_fields(model: type[models.Model], names: list[str]) -> dict[str, Any]:
    fields = {}
    for name in names:
        field = _model_field(model, name)
        if field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        elif field.blank:
            default = ""
        else:
            default = ...  # required
        fields[name] = (_field_type(field), default)
    return fields


def _update_fields(model: type[models.Model], names: list[str]) -> dict[str, Any]:
    return {
        name: (_field_type(_model_field(model, name)), Field(default=None, json_schema_extra=_no_default))
        for name in names
    }


def _form_fields(spec: SectionSpec) -> list[str]:
    return list(spec.form._meta.fields)  # type: ignore[attr-defined]


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


SECTION_CREATE: dict[str, type[Schema]] = {}
SECTION_UPDATE: dict[str, type[Schema]] = {}
SECTION_OUT: dict[str, type[Schema]] = {}
for _spec in SECTIONS.values():
    _names = _form_fields(_spec)
    _base = _camel(_spec.name)
    SECTION_CREATE[_spec.name] = create_model(
        f"{_base}Create", __base__=InputSchema, **_create_fields(_spec.model, _names)
    )
    SECTION_UPDATE[_spec.name] = create_model(
        f"{_base}Update", __base__=InputSchema, **_update_fields(_spec.model, _names)
    )
    SECTION_OUT[_spec.name] = create_model(
        f"{_base}Item",
        __base__=Schema,
        id=(int, ...),
        **{name: (_output_type(_model_field(_spec.model, name)), ...) for name in _names},
    )

ContactItem = SECTION_OUT["contacts"]
SectionsOut = create_model(
    "ProfileSections", __base__=Schema, **{name: (list[SECTION_OUT[name]], ...) for name in PROFILE_SECTIONS}
)
PublicSectionsIn = create_model(
    "PublicSectionsUpdate",
    __base__=InputSchema,
    **{name: (bool, Field(default=None, json_schema_extra=_no_default)) for name in PUBLIC_SECTIONS},
)
PublicSectionsOut = create_model(
    "PublicSections", __base__=Schema, **dict.fromkeys(PUBLIC_SECTIONS, (bool, ...))
)
ProfileUpdate = create_model(
    "ProfileUpdate",
    __base__=InputSchema,
    __doc__="Only the fields sent are changed; all of them are checked before anything is saved.",
    slug=(
        Annotated[str, Field(max_length=100), AfterValidator(_clean_text)],
        Field(default=None, json_schema_extra=_no_default, description="Your public URL: /in/<slug>/"),
    ),
    public_sections=(PublicSectionsIn, Field(default=None, json_schema_extra=_no_default)),
    **_update_fields(Profile, list(services.IDENTITY_FIELDS)),
)


class OpenToOut(Schema):
    work: Literal["off", "recruiters", "all"]
    work_titles: str
    hiring: bool
    mentoring: bool
    business: bool


class TargetOut(Schema):
    industry: str
    goal: str


class ImagesOut(Schema):
    photo: str | None
    photo_small: str | None
    banner: str | None


class OwnProfileOut(Schema):
    slug: str
    url: str
    first_name: str
    last_name: str
    display_name: str
    headline: str
    about: str
    city: str
    country: str
    industry: str
    images: ImagesOut
    open_to: OpenToOut
    target: TargetOut
    public_profile: bool
    public_sections: PublicSectionsOut  # type: ignore[valid-type]
    slug_changes_left: int
    sections: SectionsOut  # type: ignore[valid-type]
    contacts: list[ContactItem]  # type: ignore[valid-type]


class MemberOpenToOut(Schema):
    work: bool
    work_titles: str
    hiring: bool
    mentoring: bool
    business: bool


class MemberContactOut(Schema):
    kind: str
    label: str
    value: str


class MemberProfileOut(Schema):
    slug: str
    url: str
    relation: Literal["public", "member", "connection", "owner"] = Field(
        description="How the caller stands to this member; it decides what is shown."
    )
    first_name: str
    last_name: str
    display_name: str
    headline: str | None = Field(description="null when hidden from the caller")
    about: str | None = Field(description="null when hidden from the caller")
    city: str
    country: str
    industry: str
    images: ImagesOut
    open_to: MemberOpenToOut | None = Field(description="null for logged-out callers")
    sections: SectionsOut = Field(  # type: ignore[valid-type]
        description="A section hidden from the caller is an empty list."
    )
    contacts: list[MemberContactOut] = Field(description="Only the details the caller may see.")


class MoveIn(InputSchema):
    direction: Literal["up", "down"]


# --- Serialisation --------------------------------------------------------------------------------


def _images(request: HttpRequest, profile: Profile, *, show_photo: bool = True) -> dict[str, str | None]:
    def url(file) -> str | None:
        return request.build_absolute_uri(file.url) if file else None

    return {
        "photo": url(profile.photo) if show_photo else None,
        "photo_small": url(profile.photo_small) if show_photo else None,
        "banner": url(profile.banner),
    }


def _item(spec: SectionSpec, item: models.Model) -> dict[str, Any]:
    return {"id": item.pk, **{name: getattr(item, name) for name in _form_fields(spec)}}


def _identity(request: HttpRequest, profile: Profile) -> dict[str, Any]:
    return {
        "slug": profile.slug,
        "url": request.build_absolute_uri(profile.get_absolute_url()),
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "display_name": profile.display_name,
        "city": profile.city,
        "country": profile.country,
        "industry": profile.industry,
    }


def _own_profile_data(request: HttpRequest, profile: Profile) -> dict[str, Any]:
    return {
        **_identity(request, profile),
        "headline": profile.headline,
        "about": profile.about,
        "images": _images(request, profile),
        "open_to": {
            "work": profile.open_to_work,
            "work_titles": profile.open_to_work_titles,
            "hiring": profile.open_to_hiring,
            "mentoring": profile.open_to_mentoring,
            "business": profile.open_to_business,
        },
        "target": {"industry": profile.target_industry, "goal": profile.target_goal},
        "public_profile": profile.public_profile,
        "public_sections": {name: bool(profile.public_sections.get(name, True)) for name in PUBLIC_SECTIONS},
        "slug_changes_left": services.slug_changes_left(profile),
        "sections": {
            name: [_item(SECTIONS[name], item) for item in getattr(profile, SECTIONS[name].related).all()]
            for name in PROFILE_SECTIONS
        },
        "contacts": [_item(SECTIONS["contacts"], contact) for contact in profile.contacts.all()],
    }


def _member_open_to(profile: Profile, relation: Relation) -> dict[str, Any] | None:
    # The same rule as the profile page, from the access policy.
    if relation == Relation.PUBLIC:
        return None
    work = policy.can_see_open_to_work(relation, profile)
    return {
        "work": work,
        "work_titles": profile.open_to_work_titles if work else "",
        "hiring": profile.open_to_hiring,
        "mentoring": profile.open_to_mentoring,
        "business": profile.open_to_business,
    }


def _member_data(request: HttpRequest, view: selectors.ProfileView) -> dict[str, Any]:
    profile = view.profile
    return {
        **_identity(request, profile),
        "relation": view.relation.name.lower(),
        "headline": profile.headline if view.show_headline else None,
        "about": profile.about if view.show_about else None,
        "images": _images(request, profile, show_photo=view.show_photo),
        "open_to": _member_open_to(profile, view.relation),
        "sections": {
            name: [_item(SECTIONS[name], item) for item in view.sections.get(name, [])]
            for name in PROFILE_SECTIONS
        },
        "contacts": [{"kind": c.kind, "label": c.label, "value": c.value} for c in view.contacts],
    }


def _with_sections(queryset):
    return queryset.select_related("user").prefetch_related(
        *(Prefetch(SECTIONS[name].related) for name in PROFILE_SECTIONS), "contacts"
    )


def _own_profile(request: HttpRequest, *, full: bool = False) -> Profile:
    """The caller's own profile; an account without one (an admin) gets a 404."""
    queryset = Profile.objects.filter(user_id=request.auth.pk)  # type: ignore[attr-defined]
    profile = (_with_sections(queryset) if full else queryset).first()
    if profile is None:
        raise Http404
    return profile


# --- My profile -----------------------------------------------------------------------------------


@router.get(
    "/me/profile",
    auth=auth.REQUIRED,
    response={200: OwnProfileOut, **READ_ERRORS},
    operation_id="me_profile_read",
    summary="Read my profile",
)
def me_profile_read(request: HttpRequest):
    """Your whole profile, with every section, every contact detail and its visibility."""
    return _own_profile_data(request, _own_profile(request, full=True))


@router.patch(
    "/me/profile",
    auth=auth.REQUIRED,
    response={200: OwnProfileOut, **WRITE_ERRORS},
    operation_id="me_profile_update",
    summary="Change my profile",
)
def me_profile_update(request: HttpRequest, payload: ProfileUpdate):  # type: ignore[valid-type]
    """Change identity fields, "open to", target, visibility and the public URL (slug). Only the
    fields sent change; if any of them is refused, nothing is saved."""
    profile = _own_profile(request)
    fields = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
    slug = fields.pop("slug", None)
    with transaction.atomic():
        if slug is not None:
            try:
                profile = services.profile_change_slug(profile=profile, slug=slug)
            except ValidationError as error:
                raise ValidationError({"slug": error.messages}) from None
        if fields:
            profile = services.profile_update(profile=profile, **fields)
    return _own_profile_data(request, _own_profile(request, full=True))


def _section_form_data(spec: SectionSpec, item: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
    data = forms.model_to_dict(item, fields=_form_fields(spec)) if item.pk else {}
    data.update(changes)
    return data


class _ModelErrorsOnForm:
    """A model's clean() may name a field its form does not show (an error on `start_year` for a
    certification's `issue_year`); Django's form would raise ValueError (a 500). Such errors are
    kept, as form-wide errors."""

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                key = name if name in self.fields or name == NON_FIELD_ERRORS else NON_FIELD_ERRORS  # type: ignore[attr-defined]
                remapped.setdefault(key, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)  # type: ignore[misc]


API_FORMS = {
    name: type(f"Api{spec.form.__name__}", (_ModelErrorsOnForm, spec.form), {})
    for name, spec in SECTIONS.items()
}


def _section_save(request: HttpRequest, spec: SectionSpec, item: models.Model, changes: dict[str, Any]):
    """Check the data with the section's own form, then save it with the same service as the site."""
    profile = item.profile  # type: ignore[attr-defined]
    form = API_FORMS[spec.name](data=_section_form_data(spec, item, changes), instance=item)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = {name: form.cleaned_data[name] for name in _form_fields(spec)}
    return services.section_item_save(profile=profile, item=item, data=data)


def _own_item(request: HttpRequest, spec: SectionSpec, item_id: int) -> models.Model:
    # Scoped to the caller's profile: another member's item is a 404, never an edit (no IDOR).
    item = spec.model.objects.filter(pk=item_id, profile__user_id=request.auth.pk).first()  # type: ignore[attr-defined]
    if item is None:
        raise Http404
    return item


ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id")]


def _register_section(spec: SectionSpec) -> None:
    name = spec.name
    create_schema, update_schema, out_schema = SECTION_CREATE[name], SECTION_UPDATE[name], SECTION_OUT[name]
    title = str(spec.title)

    @router.post(
        f"/me/profile/{name}",
        auth=auth.REQUIRED,
        response={201: out_schema, **WRITE_ERRORS},
        operation_id=f"me_{name}_create",
        summary=f"Add to my profile: {title}",
        tags=["profile sections"],
    )
    def create(request: HttpRequest, payload: create_schema):  # type: ignore[valid-type]
        profile = _own_profile(request)
        item = _section_save(request, spec, spec.model(profile=profile), payload.model_dump())  # type: ignore[attr-defined]
        return Status(201, _item(spec, item))

    @router.patch(
        f"/me/profile/{name}/{{item_id}}",
        auth=auth.REQUIRED,
        response={200: out_schema, **WRITE_ERRORS},
        operation_id=f"me_{name}_update",
        summary=f"Change an item of my profile: {title}",
        tags=["profile sections"],
    )
    def update(request: HttpRequest, item_id: ItemId, payload: update_schema):  # type: ignore[valid-type]
        item = _own_item(request, spec, item_id)
        changes = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        return _item(spec, _section_save(request, spec, item, changes))

    @router.delete(
        f"/me/profile/{name}/{{item_id}}",
        auth=auth.REQUIRED,
        response={204: None, **WRITE_ERRORS},
        operation_id=f"me_{name}_delete",
        summary=f"Delete an item of my profile: {title}",
        tags=["profile sections"],
    )
    def delete(request: HttpRequest, item_id: ItemId):
        item = _own_item(request, spec, item_id)
        services.section_item_delete(profile=item.profile, item=item)  # type: ignore[attr-defined]
        return Status(204, None)

    @router.post(
        f"/me/profile/{name}/{{item_id}}/move",
        auth=auth.REQUIRED,
        response={204: None, **WRITE_ERRORS},
        operation_id=f"me_{name}_move",
        summary=f"Move an item of my profile up or down: {title}",
        tags=["profile sections"],
    )
    def move(request: HttpRequest, item_id: ItemId, payload: MoveIn):
        item = _own_item(request, spec, item_id)
        direction = -1 if payload.direction == "up" else 1
        services.section_item_move(profile=item.profile, item=item, direction=direction)  # type: ignore[attr-defined]
        return Status(204, None)


for _spec in SECTIONS.values():
    _register_section(_spec)


# --- Other members --------------------------------------------------------------------------------


@router.get(
    "/members/{slug}",
    auth=auth.OPTIONAL,
    openapi_extra=auth.OPTIONAL_OPENAPI,
    response={200: MemberProfileOut, 301: None, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="member_read",
    summary="Read a member's profile",
    url_name="member_read",
)
def member_read(
    request: HttpRequest,
    slug: str,
    view: Literal["public", "member", "connection"] | None = None,
):
    """A member's profile, showing exactly what the caller may see on the profile page: logged-out
    callers get only the sections the member made public (404 if the profile is not public);
    contact details follow their own visibility. A former address answers 301 with the new one in
    `Location`. The owner may preview their profile with `view=public|member|connection`."""
    if not SLUG_IN_PATH.fullmatch(slug):
        raise Http404
    profile, new_slug = selectors.profile_for_slug(slug)
    if new_slug:
        location = reverse("api:member_read", kwargs={"slug": new_slug})
        if request.META.get("QUERY_STRING"):
            location += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(location)
    if profile is None:
        raise Http404
    profile = _with_sections(Profile.objects.filter(pk=profile.pk)).get()
    profile_view = selectors.profile_view_for(auth.viewer_of(request), profile, preview=view)
    return _member_data(request, profile_view)
