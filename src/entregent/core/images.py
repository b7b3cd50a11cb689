"""Uploaded images are never stored as sent: each is checked (real image, allowed format, size and
pixel caps), turned upright, stripped of EXIF and other metadata, and re-encoded by Pillow."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class Variant:
    name: str
    width: int
    height: int
    crop: bool  # crop to exactly width×height, else fit inside


def _open_checked(upload) -> Image.Image:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is too large: at most 5 MB."), code="too_large")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is too large: at most 5 MB."), code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="bad_format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except Exception:
        raise ValidationError(
            _("This file is not a valid image. Upload a JPEG, PNG or WebP image."), code="invalid"
        ) from None
    return image


def process_image(upload, variants: list[Variant]) -> dict[str, ContentFile]:
    """Check `upload` and return one re-encoded JPEG per variant, keyed by variant name.

    Raises ValidationError with a translated message when the file is not acceptable.
    """
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image = image.convert("RGB")
    out = {}
    for variant in variants:
        if variant.crop:
            resized = ImageOps.fit(image, (variant.width, variant.height), Image.Resampling.LANCZOS)
        else:
            resized = image.copy()
            resized.thumbnail((variant.width, variant.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
        out[variant.name] = ContentFile(buffer.getvalue())
    return out
