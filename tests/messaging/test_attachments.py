"""Attachments: only real images (re-encoded without EXIF, under a pixel cap) and real PDFs, 10 MB and 5
files at most, refused with a clear message and nothing stored; downloads only for the conversation's
members; files left by a rolled-back transaction swept."""

import datetime as dt
import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from entregent.messaging import attachments, services
from entregent.messaging.models import Attachment, Conversation, Message
from entregent.network import services as network
from tests.factories import connect

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# ------------------------------------------------------------------------------------------ files


def image_bytes(fmt: str, size=(40, 20), colour=(200, 30, 30), exif=None, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, colour).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Firmware 1.0"  # Software
    exif[0x0112] = orientation
    return exif


def pdf_bytes(*extra_objects: bytes, padding: int = 0, catalogue: bytes = b"") -> bytes:
    """A minimal valid PDF, written by hand with exact cross-reference offsets."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * (padding - 2) + b"\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming width×height pixels in a few bytes: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[str]:
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, name) for name in files]
    return found


def send(sender, recipient, *files, body=""):
    return services.conversation_start(sender=sender, recipients=[recipient], body=body, attachments=files)


def refused(pair, *files) -> list[str]:
    ann, ben = pair
    with pytest.raises(ValidationError) as error:
        send(ann, ben, *files, body="Here it is")
    assert not Message.objects.exists() and not Conversation.objects.exists()
    assert not Attachment.objects.exists() and stored_files() == []
    return error.value.message_dict["attachments"]


# ------------------------------------------------------------------------------------------ images


def test_a_jpeg_is_re_encoded_upright_without_its_exif(pair):
    ann, ben = pair
    original = image_bytes("JPEG", size=(40, 20), exif=camera_exif(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "SecretCam"
    _, message = send(ann, ben, upload("IMG_0001.JPG", original, "image/jpeg"))
    (row,) = message.attachments.all()
    assert (row.content_type, row.original_name) == ("image/jpeg", "IMG_0001.JPG")
    assert (row.width, row.height) == (20, 40)  # turned upright by its orientation, then stored so
    assert row.file.name.startswith("messages/") and row.file.name.endswith(".jpg")
    assert "IMG_0001" not in row.file.name
    with row.file.open("rb") as handle:
        data = handle.read()
    assert data != original and row.size == len(data)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and stored.size == (20, 40)
    assert not stored.getexif() and "exif" not in stored.info and b"SecretCam" not in data


def test_a_png_keeps_its_size_and_transparency_and_loses_its_metadata(pair):
    ann, ben = pair
    image = Image.new("RGBA", (30, 10), (0, 128, 255, 100))
    buffer = io.BytesIO()
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Ann's secret")
    image.save(buffer, format="PNG", pnginfo=info, exif=camera_exif())
    _, message = send(ann, ben, upload("chart.png", buffer.getvalue(), "image/png"))
    (row,) = message.attachments.all()
    assert (row.content_type, row.width, row.height) == ("image/png", 30, 10)
    with row.file.open("rb") as handle:
        data = handle.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.mode == "RGBA" and stored.getpixel((0, 0)) == (0, 128, 255, 100)
    assert b"secret" not in data and b"SecretCam" not in data and not stored.getexif()


def test_a_gif_keeps_its_first_frame_as_a_png_and_its_name_says_so(pair):
    ann, ben = pair
    frames = [Image.new("P", (12, 12), 1), Image.new("P", (12, 12), 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * 759)
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    _, message = send(ann, ben, upload("party.gif", buffer.getvalue(), "image/gif"))
    (row,) = message.attachments.all()
    assert (row.content_type, row.original_name) == ("image/png", "party.png")
    with row.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "PNG" and stored.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_a_webp_stays_a_webp(pair):
    ann, ben = pair
    _, message = send(ann, ben, upload("pic.webp", image_bytes("WEBP", size=(16, 8)), "image/webp"))
    (row,) = message.attachments.all()
    assert (row.content_type, row.width, row.height) == ("image/webp", 16, 8)
    assert row.file.name.endswith(".webp")


def test_an_image_bomb_is_refused(pair):
    errors = refused(pair, upload("bomb.png", png_header_only(50_000, 50_000), "image/png"))
    assert errors == ["“bomb.png” has too many pixels: at most 40 megapixels."]


def test_a_broken_image_is_refused(pair):
    data = image_bytes("PNG")[:60]  # cut in the middle
    assert refused(pair, upload("cut.png", data, "image/png")) == ["“cut.png” is not a valid image."]


# -------------------------------------------------------------------------------------------- PDFs


def test_a_real_pdf_is_stored_as_sent_with_its_name_for_display_and_search(pair):
    ann, ben = pair
    document = pdf_bytes()
    _, message = send(ann, ben, upload("Devis Hélène.pdf", document, "application/pdf"), body="Le devis")
    (row,) = message.attachments.all()
    assert (row.content_type, row.original_name, row.size) == (
        "application/pdf",
        "Devis Hélène.pdf",
        1 * len(document),
    )
    assert row.width is None and row.file.name.endswith(".pdf") and "Devis" not in row.file.name
    with row.file.open("rb") as handle:
        assert handle.read() == document
    message.refresh_from_db()
    assert message.search_text == "le devis devis helene.pdf"


@pytest.mark.parametrize(
    "header",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00",  # Linux executable
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"This program cannot be run in DOS mode",
    ],
)
def test_an_executable_renamed_pdf_is_refused(pair, header):
    errors = refused(pair, upload("invoice.pdf", header + b"\x00" * 4096, "application/pdf"))
    assert errors == [
        "“invoice.pdf” cannot be attached: only images (JPEG, PNG, WebP, GIF) and PDF documents are accepted."
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + b"MZ\x90\x00" + b"\x00" * 4096,  # a PDF header glued on an executable
        b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n",  # no cross-reference
        pdf_bytes().replace(b"startxref\n", b"startxref\n9"),  # points nowhere
        pdf_bytes().replace(b"/Type /Catalog", b"/Type /Nothing"),  # the root is no catalogue
        pdf_bytes()[:-30],  # cut before its end
    ],
)
def test_something_that_only_looks_like_a_pdf_is_refused(pair, data):
    assert refused(pair, upload("doc.pdf", data)) == ["“doc.pdf” is not a valid PDF document."]


@pytest.mark.parametrize(
    "document",
    [
        pdf_bytes(catalogue=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        pdf_bytes(catalogue=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
        pdf_bytes(catalogue=b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
    ],
)
def test_a_pdf_with_scripts_or_launch_actions_is_refused(pair, document):
    assert refused(pair, upload("form.pdf", document)) == [
        "“form.pdf” contains scripts or embedded files, which are not accepted in PDF documents."
    ]


def test_a_script_hidden_in_a_compressed_object_stream_is_found(pair):
    hidden = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
    packed = zlib.compress(hidden)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(packed),
        packed,
    )
    assert b"JavaScript" not in stream
    assert refused(pair, upload("form.pdf", pdf_bytes(stream))) == [
        "“form.pdf” contains scripts or embedded files, which are not accepted in PDF documents."
    ]


# ------------------------------------------------------------------------------------------ limits


def test_ten_megabytes_pass_and_one_byte_more_is_refused_with_nothing_stored(pair):
    ann, ben = pair
    padding = 10 * MB - len(pdf_bytes())
    padding -= len(pdf_bytes(padding=padding)) - 10 * MB  # the offsets grew by a few digits
    exactly = pdf_bytes(padding=padding)
    assert len(exactly) == 10 * MB
    too_big = exactly + b"\n"
    assert refused(pair, upload("big.pdf", too_big)) == ["“big.pdf” is too large: at most 10 MB per file."]
    _, message = send(ann, ben, upload("big.pdf", exactly))
    assert message.attachments.get().size == 10 * MB


def test_a_fifty_megabyte_upload_reaches_the_service_and_is_refused_with_nothing_stored(pair, rf):
    """Django keeps file parts out of DATA_UPLOAD_MAX_MEMORY_SIZE and spools them to a temporary file:
    a 50 MB multipart body parses without error, and the service refuses it by its size."""
    ann, ben = pair
    request = rf.post("/messaging/", {"body": "Hi", "attachments": upload("film.pdf", b"\0" * (50 * MB))})
    files = request.FILES.getlist("attachments")
    assert files[0].size == 50 * MB
    with pytest.raises(ValidationError) as error:
        send(ann, ben, *files, body=request.POST["body"])
    assert error.value.message_dict == {"attachments": ["“film.pdf” is too large: at most 10 MB per file."]}
    assert not Message.objects.exists() and stored_files() == []


def test_at_most_five_files_per_message(pair):
    files = [upload(f"p{i}.png", image_bytes("PNG")) for i in range(6)]
    assert refused(pair, *files) == ["Attach at most 5 files to a message."]


def test_one_bad_file_among_good_ones_stores_none_and_names_each_bad_one(pair):
    errors = refused(
        pair,
        upload("ok.png", image_bytes("PNG")),
        upload("tool.pdf", b"MZ" + b"\0" * 100),
        upload("empty.jpg", b""),
        upload("notes.txt", b"hello"),
    )
    assert errors == [
        "“tool.pdf” cannot be attached: only images (JPEG, PNG, WebP, GIF) and PDF documents are accepted.",
        "“empty.jpg” is empty.",
        "“notes.txt” cannot be attached: only images (JPEG, PNG, WebP, GIF) and PDF documents are accepted.",
    ]


def test_a_refusal_in_an_existing_conversation_stores_nothing(pair):
    ann, ben = pair
    conversation, _ = send(ann, ben, body="Hello")
    with pytest.raises(ValidationError):
        services.message_send(
            conversation=conversation, sender=ann, body="", attachments=[upload("x.pdf", b"\x7fELF")]
        )
    assert conversation.messages.count() == 1 and stored_files() == []


def test_the_error_is_translated(pair):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        send(*pair, upload("x.pdf", b"\x7fELF"))
    message = error.value.message_dict["attachments"][0]
    assert message.startswith("Impossible de joindre") and "«\u00a0x.pdf\u00a0»" in message


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("C:\\Users\\ann\\Documents\\Devis final.pdf", "Devis final.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("report\u202egpj.pdf", "reportgpj.pdf"),  # a right-to-left override hiding the real extension
        ("scan.exe", "scan.pdf"),
        ("v1.2 notes", "v1.2 notes.pdf"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("...", "attachment.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_the_original_name_is_kept_sanitised(pair, sent, shown):
    ann, ben = pair
    _, message = send(ann, ben, upload(sent, pdf_bytes()))
    assert message.attachments.get().original_name == shown


# ---------------------------------------------------------------------------------------- rollback


def test_files_of_a_rolled_back_message_are_swept_and_kept_files_stay(pair):
    ann, ben = pair
    conversation, kept = send(ann, ben, upload("kept.png", image_bytes("PNG")))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.message_send(
            conversation=conversation,
            sender=ann,
            body="",
            attachments=[upload("lost.png", image_bytes("PNG"))],
        )
        raise RuntimeError("something after the message failed")
    assert Attachment.objects.count() == 1 and len(stored_files()) == 2  # one orphan on disk
    assert attachments.attachments_orphans_delete() == 0  # too recent: perhaps a running transaction
    later = timezone.now() + dt.timedelta(hours=2)
    assert attachments.attachments_orphans_delete(now=later) == 1
    (remaining,) = stored_files()
    assert remaining.endswith(kept.attachments.get().file.name.split("/")[-1])


# ---------------------------------------------------------------------------------------- download


@pytest.fixture
def shared(pair):
    ann, ben = pair
    conversation, message = send(
        ann, ben, upload("photo.png", image_bytes("PNG")), upload("Devis é.pdf", pdf_bytes())
    )
    image, document = message.attachments.order_by("pk")
    return conversation, image, document


def url(row, **query) -> str:
    address = reverse("messaging:attachment", args=[row.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_members_of_the_conversation_download_with_the_original_name(
    client, pair, shared, django_assert_max_num_queries
):
    ann, ben = pair
    _, image, document = shared
    client.force_login(ben)
    client.get(url(image))  # the first request after a login records the session
    with django_assert_max_num_queries(12):  # 7 for the session and its user, 5 for the file
        response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Devis%20%C3%A9.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body_of(response) == pdf_bytes()
    client.force_login(ann)
    response = client.get(url(image))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert Image.open(io.BytesIO(body_of(response))).size == (40, 20)


def test_images_open_inline_on_request_and_pdfs_never_do(client, pair, shared):
    _, ben = pair
    _, image, document = shared
    client.force_login(ben)
    assert client.get(url(image, inline=1))["Content-Disposition"] == 'inline; filename="photo.png"'
    assert client.get(url(document, inline=1))["Content-Disposition"].startswith("attachment;")


def test_another_member_gets_404_whatever_the_id(client, cat, shared):
    _, image, document = shared
    client.force_login(cat)
    assert client.get(url(image)).status_code == 404
    assert client.get(url(document)).status_code == 404
    assert client.get(reverse("messaging:attachment", args=[document.pk + 100])).status_code == 404


def test_a_logged_out_visitor_is_sent_to_log_in_and_gets_no_file(client, shared):
    _, image, _ = shared
    response = client.get(url(image))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_block_either_way_closes_the_files(client, pair, shared):
    ann, ben = pair
    _, image, _ = shared
    network.block(blocker=ann, blocked=ben)
    client.force_login(ben)  # the blocked member
    assert client.get(url(image)).status_code == 404
    client.force_login(ann)  # the blocker: the conversation is hidden for her
    assert client.get(url(image)).status_code == 404


def test_a_member_who_left_a_group_gets_files_sent_before_not_after(client, ann, ben, cat):
    connect(ann, ben)
    connect(ann, cat)
    group, before = services.conversation_start(
        sender=ann, recipients=[ben, cat], body="", attachments=[upload("a.png", image_bytes("PNG"))]
    )
    services.group_leave(conversation=group, member=cat)
    after = services.message_send(
        conversation=group, sender=ann, body="", attachments=[upload("b.png", image_bytes("PNG"))]
    )
    client.force_login(cat)
    assert client.get(url(before.attachments.get())).status_code == 200
    assert client.get(url(after.attachments.get())).status_code == 404


def test_a_deleted_message_takes_its_files_with_it(client, pair, shared, django_capture_on_commit_callbacks):
    ann, ben = pair
    _, image, _ = shared
    with django_capture_on_commit_callbacks(execute=True):
        services.message_delete(message=image.message, member=ann)
    client.force_login(ben)
    assert client.get(url(image)).status_code == 404
    assert stored_files() == []


def test_download_refuses_post(client, pair, shared):
    _, ben = pair
    _, image, _ = shared
    client.force_login(ben)
    assert client.post(url(image)).status_code == 405


def test_files_checked_ahead_are_stored_without_a_second_check(pair):
    ann, ben = pair
    checked = attachments.check([upload("early.png", image_bytes("PNG"))])
    assert stored_files() == []  # checking writes nothing
    _, message = send(ann, ben, *checked)
    assert message.attachments.get().original_name == "early.png" and len(stored_files()) == 1


def test_attachments_are_never_served_by_the_public_media_view(client, db):
    from django.conf import settings as django_settings

    folder = Path(django_settings.MEDIA_ROOT) / "messages" / "2026" / "11"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert client.get("/media/messages/2026/11/secret.png").status_code == 404
