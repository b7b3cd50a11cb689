"""Generated pictures for demo members: initials on a soft two-colour gradient, and banners.

Drawing and encoding a picture takes a few milliseconds, so each (initials, colour) pair is drawn
once and its JPEG bytes reused: a 100,000-member network draws at most a few thousand pictures.
"""

from __future__ import annotations

import io
import random
from functools import cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

PHOTO_SIZE = 400
SMALL_SIZE = 96
BANNER_SIZE = (1584, 396)

# (dark, light) pairs, readable with white initials
PALETTE: list[tuple[tuple[int, int, int], tuple[int, int, int]]] = [
    ((10, 102, 194), (112, 181, 249)),
    ((5, 118, 66), (104, 200, 140)),
    ((145, 57, 145), (215, 142, 215)),
    ((180, 83, 9), (245, 166, 90)),
    ((15, 118, 110), (94, 200, 190)),
    ((190, 24, 93), (244, 130, 176)),
    ((67, 56, 202), (150, 140, 245)),
    ((71, 85, 105), (160, 174, 192)),
]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


@cache
def _gradient(colour: int, size: tuple[int, int]) -> Image.Image:
    dark, light = PALETTE[colour % len(PALETTE)]
    ramp = Image.linear_gradient("L").rotate(45, expand=True)  # a diagonal ramp, corners empty…
    middle = ramp.width // 2
    ramp = ramp.crop((middle - 88, middle - 88, middle + 88, middle + 88))  # …so keep the full middle
    ramp = ramp.resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, dark, light)


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


class AvatarMaker:
    """Hands out (photo, photo_small) JPEG bytes, drawing each distinct picture once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], tuple[bytes, bytes]] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def photo(self, initials: str, colour: int) -> tuple[bytes, bytes]:
        key = (initials, colour % len(PALETTE))
        if key not in self._cache:
            self._cache[key] = self._draw(*key)
        return self._cache[key]

    @staticmethod
    def _draw(initials: str, colour: int) -> tuple[bytes, bytes]:
        # Each size is drawn on its own: cheaper than resampling the large one.
        return _initials(initials, colour, PHOTO_SIZE), _initials(initials, colour, SMALL_SIZE)


def _initials(initials: str, colour: int, size: int) -> bytes:
    image = _gradient(colour, (size, size)).copy()
    draw = ImageDraw.Draw(image)
    draw.text(
        (size // 2, size // 2 + size // 100), initials, font=_font(size * 3 // 8), fill="white", anchor="mm"
    )
    return _jpeg(image)


def banner(seed: str, colour: int) -> bytes:
    """A calm abstract banner: the member's gradient with a few translucent circles."""
    rng = random.Random(seed)
    image = _gradient(colour, BANNER_SIZE).convert("RGBA")
    overlay = Image.new("RGBA", BANNER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(60, 260)
        x, y = rng.randint(0, BANNER_SIZE[0]), rng.randint(-60, BANNER_SIZE[1] + 60)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randint(18, 48))
        )
    return _jpeg(Image.alpha_composite(image, overlay).convert("RGB"), quality=82)
