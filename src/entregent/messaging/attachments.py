"""Files attached to messages: what may be attached (images — JPEG, PNG, WebP, the first frame of a GIF —
and PDF documents, at most 10 MB each and 5 per message), how each is checked by its content and never
trusted by its name (images decoded and re-encoded by Pillow without EXIF, under a pixel cap; PDFs parsed
for their header, cross-reference and trailer, and refused with scripts or embedded files), how they are
stored (generated names, the sanitised original name kept for display), who may download them, and the
sweep of files left behind by a transaction that rolled back.

`attach()` runs inside `services.message_send`'s transaction: it checks every file before writing any,
so a refused file raises ValidationError({"attachments": [...]}) and the whole message is rolled back.
Files written by a transaction that later rolls back stay on disk (Django has no rollback hook); the
daily `attachments_orphans_delete()` removes them."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from entregent.core import policy
from entregent.core.images import MAX_PIXELS
from entregent.core.text import fold
from entregent.messaging.models import Attachment, Message

if TYPE_CHECKING:
    from entregent.accounts.models import User

MAX_FILES = 5
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
NAME_MAX = 200  # Attachment.original_name
DIRECTORY = "messages"  # where Attachment.file's upload_to puts them
ORPHAN_GRACE = timedelta(hours=1)  # longer than any transaction

# Pillow format → (content type, stored extension, extensions a display name may keep).
_IMAGE_OUTPUT = {
    "JPEG": ("image/jpeg", "jpg", {"jpg", "jpeg", "jpe", "jfif"}),
    "PNG": ("image/png", "png", {"png"}),
    "WEBP": ("image/webp", "webp", {"webp"}),
    "GIF": ("image/png", "png", {"png"}),  # the first frame, as a PNG
}
_PDF = ("application/pdf", "pdf", {"pdf"})


@dataclass(frozen=True)
class _Checked:
    """A file that passed every check, ready to store."""

    content: bytes
    original_name: str
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None


class _Refused(Exception):
    pass


# --------------------------------------------------------------------------------------------- attach


def attach(message: Message, files: Iterable) -> list[Attachment]:
    """Check `files` (Django uploaded files), then store them on `message` and add their names to its
    search text. Raises ValidationError({"attachments": [...]}) before writing anything when a file is
    refused, naming each refused file."""
    checked = check(files)
    if not checked:
        return []
    storage = Attachment._meta.get_field("file").storage
    rows: list[Attachment] = []
    try:
        for item in checked:
            row = Attachment(
                message=message,
                original_name=item.original_name,
                content_type=item.content_type,
                size=len(item.content),
                width=item.width,
                height=item.height,
            )
            # upload_to generates the stored name; only the extension of this one is used.
            row.file.save(f"upload.{item.extension}", ContentFile(item.content), save=False)
            rows.append(row)
        Attachment.objects.bulk_create(rows)
    except BaseException:
        for row in rows:
            storage.delete(row.file.name)
        raise
    names = search_names(item.original_name for item in checked)
    message.search_text = f"{message.search_text} {names}".strip()
    Message.objects.filter(pk=message.pk).update(search_text=message.search_text)
    return rows


def search_names(names: Iterable[str]) -> str:
    """What attachments add to a message's search text (an edit of the text should keep it:
    `fold(body) + " " + search_names(a.original_name for a in message.attachments.all())`)."""
    return " ".join(fold(name) for name in names)


def check(files: Iterable) -> list[_Checked]:
    """Every file checked and re-encoded in memory, nothing written; ValidationError listing every
    refused file otherwise. A service may call it before writing anything and hand its result to
    `attach()`, which then does not check again."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"attachments": [_("Attach at most %(max)d files to a message.") % {"max": MAX_FILES}]},
            code="too_many_files",
        )
    checked, errors = [], []
    for upload in files:
        if isinstance(upload, _Checked):
            checked.append(upload)
            continue
        try:
            checked.append(_check_one(upload))
        except _Refused as refused:
            errors.append(str(refused))
    if errors:
        raise ValidationError({"attachments": errors}, code="invalid_attachment")
    return checked


def _check_one(upload) -> _Checked:
    raw_name = getattr(upload, "name", "") or ""
    shown = _clean_name(raw_name) or _("attachment")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _Refused(_too_large(shown))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _Refused(_too_large(shown))
    if not data:
        raise _Refused(_("“%(name)s” is empty.") % {"name": shown})
    if data.startswith(b"%PDF-"):
        _check_pdf(data, shown)
        content_type, extension, keep = _PDF
        return _Checked(data, _display_name(shown, extension, keep), content_type, extension)
    if _looks_like_image(data):
        return _reencode_image(data, shown)
    raise _Refused(
        _("“%(name)s” cannot be attached: only images (JPEG, PNG, WebP, GIF) and PDF documents are accepted.")
        % {"name": shown}
    )


def _too_large(name: str) -> str:
    return _("“%(name)s” is too large: at most %(max)d MB per file.") % {"name": name, "max": MAX_MB}


# --------------------------------------------------------------------------------------------- names


def _clean_name(name: str) -> str:
    """The last path component, without control or bidirectional-override characters (which can make
    "gpj.exe" look like "exe.jpg") nor characters file systems refuse, spaces collapsed."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(c) == "Zs" else c
        for c in name
        if unicodedata.category(c)[0] != "C" and unicodedata.category(c) not in ("Zl", "Zp")
    )
    name = re.sub(r'[<>:"|?*]', "_", name)
    return " ".join(name.split()).strip(" .")


def _display_name(name: str, extension: str, keep: set[str]) -> str:
    """`name` with an extension that says what the file really is ("scan.gif" re-encoded as PNG is
    downloaded as "scan.png"), at most NAME_MAX characters."""
    stem, dot, current = name.rpartition(".")
    if dot and stem and current.lower() in keep:
        name, extension = stem, current
    elif dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", current):
        name = stem  # a misleading extension: replaced
    name = name[: NAME_MAX - len(extension) - 1].rstrip(" .") or _("attachment")
    return f"{name}.{extension}"


# -------------------------------------------------------------------------------------------- images


def _looks_like_image(data: bytes) -> bool:
    return (
        data.startswith(b"\xff\xd8\xff")
        or data.startswith(b"\x89PNG\r\n\x1a\n")
        or data[:6] in (b"GIF87a", b"GIF89a")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


def _reencode_image(data: bytes, shown: str) -> _Checked:
    """Decode under a pixel cap, turn upright, drop every metadata block (EXIF, XMP, text chunks), and
    encode again in the same format (a GIF's first frame as PNG), at the same size."""
    invalid = _("“%(name)s” is not a valid image.") % {"name": shown}
    too_many = _("“%(name)s” has too many pixels: at most %(max)d megapixels.") % {
        "name": shown,
        "max": MAX_PIXELS // 1_000_000,
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in _IMAGE_OUTPUT:
                raise _Refused(invalid)
            if probe.width * probe.height > MAX_PIXELS:
                raise _Refused(too_many)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            source_format = image.format
            image.seek(0)  # the first frame of an animation
            image.load()
            image = ImageOps.exif_transpose(image)
    except _Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Refused(too_many) from None
    except Exception:
        raise _Refused(invalid) from None
    content_type, extension, keep = _IMAGE_OUTPUT[source_format]
    icc = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    image.info = {}  # EXIF, XMP, comments, text chunks: nothing follows the pixels
    buffer = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if source_format == "JPEG":
        if image.mode not in ("RGB", "L"):  # CMYK, YCCK: the profile described other channels
            image, options = image.convert("RGB"), {}
        image.save(buffer, format="JPEG", quality=85, optimize=True, **options)
    elif source_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image, options = image.convert("RGBA"), {}
        image.save(buffer, format="WEBP", quality=85, method=4, **options)
    else:  # PNG, and a GIF's first frame
        if source_format == "GIF" or image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            if transparency is not None:
                image.info["transparency"] = transparency
            image = image.convert("RGBA")
        elif transparency is not None:
            options["transparency"] = transparency
        image.save(buffer, format="PNG", **options)
    return _Checked(
        content=buffer.getvalue(),
        original_name=_display_name(shown, extension, keep),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
    )


# ---------------------------------------------------------------------------------------------- PDFs

_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_XREF_SUBSECTION = re.compile(rb"xref\s+\d+\s+\d+\s+\d{10} \d{5} [fn]")
_OBJECT_AT = re.compile(rb"\d+\s+\d+\s+obj\b")
_ROOT = re.compile(rb"/Root\s+(\d+)\s+(\d+)\s+R")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"\bstream\r?\n")
# Names that make a PDF reader run something: scripts, launch actions, files carried inside.
_ACTIVE = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
_INFLATE_BUDGET = 32 * 1024 * 1024


def _check_pdf(data: bytes, shown: str) -> None:
    """A PDF by its structure, not its name: the header at the very start, `%%EOF` at the end after a
    `startxref` offset pointing at a cross-reference table or stream, a trailer naming a catalogue, and
    objects. Scripts, launch actions and embedded files are refused (also inside object streams)."""
    invalid = _Refused(_("“%(name)s” is not a valid PDF document.") % {"name": shown})
    if not _PDF_HEADER.match(data):
        raise invalid
    found = list(_STARTXREF.finditer(data[-2048:]))
    if not found:
        raise invalid
    offset = int(found[-1].group(1))
    if not 0 < offset < len(data):
        raise invalid
    at = data[offset:].lstrip()
    if _XREF_SUBSECTION.match(at):  # a classic table, then its trailer dictionary
        trailer = at.find(b"trailer")
        if trailer < 0:
            raise invalid
        dictionary = at[trailer : trailer + 4096]
    elif _OBJECT_AT.match(at):  # a cross-reference stream (PDF 1.5+)
        dictionary = at[:4096]
        if not re.search(rb"/Type\s*/XRef\b", dictionary):
            raise invalid
    else:
        raise invalid
    root = _ROOT.search(dictionary)
    if root is None or b"endobj" not in data:
        raise invalid
    catalogue = re.search(rb"(?<!\d)%s\s+%s\s+obj\b" % (root.group(1), root.group(2)), data)
    if catalogue is not None:
        if not re.search(rb"/Type\s*/Catalog\b", data[catalogue.end() : catalogue.end() + 4096]):
            raise invalid
    elif b"/ObjStm" not in data:  # the catalogue can only be in an object stream
        raise invalid
    if _has_active_content(data):
        raise _Refused(
            _("“%(name)s” contains scripts or embedded files, which are not accepted in PDF documents.")
            % {"name": shown}
        )


def _has_active_content(data: bytes) -> bool:
    return any(_active_names(chunk) for chunk in _pdf_texts(data))


def _active_names(chunk: bytes) -> bool:
    for match in _NAME.finditer(chunk):
        name = match.group(1)
        if b"#" in name:  # "/J#61vaScript" is "/JavaScript"
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name in _ACTIVE:
            return True
    return False


def _pdf_texts(data: bytes) -> Iterator[bytes]:
    """The file itself, then its compressed object streams inflated (within a budget: a PDF is no
    decompression bomb either)."""
    yield data
    budget = _INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        if budget <= 0:
            return
        start = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        end = data.find(b"endstream", match.end())
        if start < 0 or end < 0 or b"/ObjStm" not in data[start : match.start()]:
            continue
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() : end], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


# ------------------------------------------------------------------------------------------ download


def attachment_of(member: User, pk: int) -> Attachment:
    """One attachment `member` may download: in a conversation they are in (and did not hide by a
    block), sent while they were in it, and not from a member blocked either way. Http404 otherwise."""
    from entregent.messaging import selectors

    attachment = (
        Attachment.objects.select_related("message").filter(pk=pk, message__deleted_at__isnull=True).first()
    )
    if attachment is None:
        raise Http404
    message = attachment.message
    participant = selectors.participant_of(member, message.conversation_id)
    if participant.left_at is not None and message.created_at > participant.left_at:
        raise Http404
    sender_id = message.sender_id
    if sender_id is not None and sender_id != member.pk and policy.is_blocked(member.pk, sender_id):
        raise Http404
    return attachment


# ------------------------------------------------------------------------------------------- orphans


def attachments_orphans_delete(*, now=None, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete stored attachment files no Attachment row names, older than `grace`: files written by a
    message whose transaction rolled back after `attach()`, or whose rows went with a deleted
    conversation or account. Run daily. Returns how many files were deleted."""
    now = now or timezone.now()
    storage = Attachment._meta.get_field("file").storage
    deleted = 0
    for chunk in _chunks(_walk(storage, DIRECTORY), 500):
        known = set(Attachment.objects.filter(file__in=chunk).values_list("file", flat=True))
        for name in chunk:
            if name in known:
                continue
            try:
                if storage.get_modified_time(name) > now - grace:
                    continue  # perhaps a transaction still running
            except (NotImplementedError, OSError):
                continue
            storage.delete(name)
            deleted += 1
    return deleted


def _walk(storage, directory: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for name in sorted(directories):
        yield from _walk(storage, f"{directory}/{name}")


def _chunks(names: Iterable[str], size: int) -> Iterator[Sequence[str]]:
    chunk: list[str] = []
    for name in names:
        chunk.append(name)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
