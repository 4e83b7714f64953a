"""Admins' own pictures for content items: checked, cleaned, resized, stored and served.

Every picture here is made with Pillow in the test: a JPEG with GPS and a sideways
orientation, a PNG with a colour profile and text chunks, a text file named .png, a PNG
header that claims ten billion pixels.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import ContentItem, PictureUpload, User
from portal.uploads import images
from portal.uploads.images import PictureRefused, process_picture
from portal.uploads.store import content_picture_url
from tests.pages import heading

RED, BLUE = (255, 0, 0), (0, 0, 255)
ADMIN_ONLY_PAGES = ("/admin/content", "/admin/content/theme.friends/picture")
OTHER_ROLES = ("person", "supporter", "practitioner", "facilitator", "commissioner")


# --- Pictures made for the tests ------------------------------------------------------

def photo_with_gps(size=(1200, 600)) -> bytes:
    """A JPEG stored on its side (orientation 6), with a camera name and a GPS position.

    Stored: red on the left, blue on the right. Shown the right way up: red on top.
    """
    picture = Image.new("RGB", size, RED)
    picture.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 28.0, 52.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (3.0, 10.0, 45.0),
    }
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # really there
    return data


def png_with_profile_and_text(size=(300, 200), mode="RGBA") -> bytes:
    from PIL import ImageCms, PngImagePlugin

    picture = Image.new(mode, size, (0, 90, 78, 255) if mode == "RGBA" else (0, 90, 78))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken at 12 Secret Street, Cardiff")
    info.add_itxt("Location", "Caerdydd, Cymru")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info, icc_profile=profile)
    return out.getvalue()


def photo(size=(800, 600), color=(200, 120, 40), fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, offset = [], 12
    while offset + 8 <= len(data):
        kind, length = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        chunks.append(kind)
        offset += 8 + length + (length & 1)
    return chunks


# --- process_picture ------------------------------------------------------------------

def test_photo_is_turned_upright_and_loses_gps_and_camera_details():
    processed = process_picture(photo_with_gps())
    assert (processed.width, processed.height) == (600, 1200)  # upright: taller than wide
    assert sorted(processed.files) == [96, 160, 320]
    for size, data in processed.files.items():
        assert len(data) <= 15 * 1024, f"{size} px is {len(data)} bytes"
        assert set(webp_chunks(data)).isdisjoint({b"EXIF", b"XMP ", b"ICCP"})
        assert b"SecretCam" not in data
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "WEBP" and stored.size == (size, size)
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp"} & set(stored.info)
    big = Image.open(io.BytesIO(processed.files[320])).convert("RGB")
    top, bottom = big.getpixel((160, 60)), big.getpixel((160, 260))
    assert top[0] > 200 and top[2] < 60, top  # red on top: the orientation was applied
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    # Square by padding, not by cropping: the sides of a tall picture are white.
    assert big.getpixel((5, 160)) == (255, 255, 255)


def test_png_keeps_transparency_but_not_its_profile_or_text():
    processed = process_picture(png_with_profile_and_text())
    for data in processed.files.values():
        assert set(webp_chunks(data)).isdisjoint({b"EXIF", b"XMP ", b"ICCP"})
        assert b"Secret Street" not in data and b"Caerdydd" not in data
    stored = Image.open(io.BytesIO(processed.files[160]))
    assert stored.mode == "RGBA"
    assert stored.getpixel((80, 5))[3] == 0  # the padding is see-through
    assert stored.getpixel((80, 80))[3] == 255


@pytest.mark.parametrize(
    "fmt", ["PNG", "GIF", "WEBP", "BMP"],
)
def test_other_picture_formats_are_accepted(fmt):
    processed = process_picture(photo(size=(200, 150), fmt=fmt))
    assert all(len(data) <= 15 * 1024 for data in processed.files.values())


def test_a_detailed_photo_still_fits_in_15_kb():
    noisy = Image.effect_noise((1600, 1200), 120).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    processed = process_picture(out.getvalue())
    assert max(len(data) for data in processed.files.values()) <= 15 * 1024


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"This is not a picture, it is a shopping list.\n", "not_a_picture"),
        (b"", "not_a_picture"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "not_a_picture"),
        (photo()[:400], "not_a_picture"),  # cut short
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n", "not_a_picture"),
        (png_header_claiming(100_000, 100_000), "too_many_pixels"),  # 10 gigapixels
        (png_header_claiming(10_000, 10_000), "too_many_pixels"),  # Pillow only warns here
        (png_header_claiming(8_000, 6_000), "too_many_pixels"),  # over our 40 megapixels
        (photo(size=(40, 300)), "too_small"),
        (b"\xff\xd8" + b"\x00" * (8 * 1024 * 1024), "too_big"),
    ],
    ids=["text", "empty", "svg", "truncated", "eps", "bomb", "pillow-warns", "40mp", "small",
         "8mb"],
)
def test_refusals_have_a_reason_and_a_whole_sentence(data, reason):
    with pytest.raises(PictureRefused) as refused:
        process_picture(data)
    assert refused.value.reason == reason
    message = str(refused.value.message)
    assert message.endswith(".") and message[0].isupper() and len(message.split()) >= 6


def test_pixel_limit_can_be_lowered():
    with pytest.raises(PictureRefused) as refused:
        process_picture(photo(size=(1000, 1000)), max_pixels=500_000)
    assert refused.value.reason == "too_many_pixels"


def test_refusal_messages_are_in_welsh(app):
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        for data in (b"not a picture", photo(size=(32, 32))):
            with pytest.raises(PictureRefused) as refused:
                process_picture(data)
            assert "llun" in str(refused.value.message).lower()


# --- The admin pages ------------------------------------------------------------------

@pytest.fixture()
def uploads_dir(app, tmp_path, monkeypatch) -> Path:
    """Keep this test's uploads in its own folder, not the project's instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "uploads" / "pictures"


@pytest.fixture()
def items(app, demo):
    """Three current content items (the loader may not have run); gives their keys."""
    rows = [
        ContentItem(key="theme.friends", kind="theme", words_en="Friends", words_cy="Ffrindiau",
                    alt_en="Two hands shaking.", alt_cy="Dwy law yn ysgwyd.", picture="friend",
                    data={}, checksum="x" * 64, source_file="themes.toml"),
        ContentItem(key="theme.home", kind="theme", words_en="Home", words_cy="Cartref",
                    alt_en="A house.", alt_cy="Tŷ.", picture="home",
                    data={}, checksum="y" * 64, source_file="themes.toml"),
        ContentItem(key="statement.talk", kind="statement",
                    words_en="I can say what matters to me.",
                    words_cy="Dw i'n gallu dweud beth sy'n bwysig i mi.",
                    alt_en="A speech bubble.", alt_cy="Swigen siarad.", picture="talk",
                    data={}, checksum="z" * 64, source_file="statements.toml"),
    ]
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()
    return ["theme.friends", "theme.home", "statement.talk"]


def content_item(key: str) -> ContentItem:
    return db.session.scalar(select(ContentItem).where(ContentItem.key == key))


def upload(client, data: bytes, name="photo.jpg", key="theme.friends", **kwargs):
    return client.post_form(
        f"/admin/content/{key}/picture",
        {"picture": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        **kwargs,
    )


def uploads(app) -> list[PictureUpload]:
    with app.app_context():
        rows = list(db.session.scalars(select(PictureUpload).order_by(PictureUpload.id)))
        db.session.expunge_all()
    return rows


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_admin_sees_every_item_in_both_languages(login_as, items, uploads_dir):
    client = login_as("admin")
    page = client.get("/admin/content")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert heading(html) == "Easy-read content"
    for text in ("Friends", "Ffrindiau", "Dw i&#39;n gallu dweud beth sy&#39;n bwysig i mi.",
                 "Themes", "Statements", "/pictures/openmoji/1F91D.svg"):
        assert text in html
    assert 'lang="cy"' in html
    assert html.count("/admin/content/theme.friends/picture") == 1
    assert "/admin/audio/theme.friends" in html  # the speech pages are installed


def test_content_list_renders_without_the_recordings_page(login_as, items, app, monkeypatch):
    monkeypatch.delitem(app.view_functions, "speech.recording_upload", raising=False)
    html = login_as("admin").get("/admin/content").get_data(as_text=True)
    assert "/admin/audio/" not in html and "Change picture" in html


def test_empty_content_list_says_what_to_do(login_as):
    page = login_as("admin").get("/admin/content")
    assert page.status_code == 200
    assert "no easy-read content yet" in page.get_data(as_text=True)


def test_admin_home_links_to_content(login_as):
    assert 'href="/admin/content"' in login_as("admin").get("/admin").get_data(as_text=True)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admins_may_change_pictures(app, login_as, items, uploads_dir, role):
    client = login_as(role)
    for path in ADMIN_ONLY_PAGES:
        assert client.get(path).status_code == 403
    assert upload(client, photo()).status_code == 403
    assert client.post_form("/admin/content/theme.friends/picture/library").status_code == 403
    assert uploads(app) == [] and stored_files(uploads_dir) == []


def test_signed_out_people_are_sent_to_sign_in(client, items):
    for path in ADMIN_ONLY_PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_unknown_item_is_not_found(login_as, items):
    assert login_as("admin").get("/admin/content/theme.nothing/picture").status_code == 404


def test_upload_replaces_the_picture_everywhere(app, login_as, items, uploads_dir):
    client = login_as("admin")
    form = client.get("/admin/content/theme.friends/picture")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.get_data(as_text=True)

    response = upload(client, photo_with_gps())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/content#item-theme-friends")
    [first] = uploads(app)
    assert first.active and first.content_key == "theme.friends"
    assert (first.width, first.height) == (600, 1200)
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "demo-admin"))
    assert first.uploaded_by_id == admin_id
    folder = uploads_dir / str(first.id)
    assert sorted(p.name for p in folder.iterdir()) == ["160.webp", "320.webp", "96.webp"]
    for path in folder.iterdir():
        assert path.stat().st_size <= 15 * 1024
        assert b"SecretCam" not in path.read_bytes()
    assert first.files["320"] == f"uploads/pictures/{first.id}/320.webp"

    listing = client.get("/admin/content").get_data(as_text=True)
    assert "The new picture is saved." in listing
    assert f"/uploads/pictures/{first.id}/160.webp" in listing and "Own picture" in listing

    with app.test_request_context():
        friends, home = content_item("theme.friends"), content_item("theme.home")
        assert content_picture_url(friends) == f"/uploads/pictures/{first.id}/160.webp"
        assert content_picture_url(friends, 300) == f"/uploads/pictures/{first.id}/320.webp"
        assert content_picture_url(friends, 50) == f"/uploads/pictures/{first.id}/96.webp"
        assert content_picture_url(home) == "/pictures/openmoji/1F3E0.svg"
        macro = app.jinja_env.from_string(
            '{% from "macros/components.html" import content_picture %}'
            '{{ content_picture(item, alt="Dwy law.", size="small") }}'
        )
        html = macro.render(item=friends)
        assert f'src="/uploads/pictures/{first.id}/96.webp"' in html and 'alt="Dwy law."' in html
        assert 'src="/pictures/openmoji/1F3E0.svg"' in macro.render(item=home)

    # A second upload takes over; the first one is no longer used or served.
    assert upload(client, photo(), name="second.png").status_code == 302
    first_again, second = uploads(app)
    assert not first_again.active and second.active
    assert client.get(f"/uploads/pictures/{first.id}/160.webp").status_code == 404
    assert client.get(f"/uploads/pictures/{second.id}/160.webp").status_code == 200


def test_a_jinja_template_can_ask_for_the_picture(app, items, uploads_dir):
    with app.test_request_context():
        rendered = app.jinja_env.from_string(
            "{{ content_picture_url(item) }}|{{ content_picture_url(item, 320) }}"
        ).render(item=content_item("statement.talk"))
        assert rendered == "/pictures/openmoji/1F4AC.svg|/pictures/openmoji/1F4AC.svg"


def test_uploaded_picture_is_served_with_long_cache_headers(app, login_as, items, uploads_dir):
    client = login_as("admin")
    upload(client, photo_with_gps())
    [stored] = uploads(app)
    for signed_in in (True, False):
        if not signed_in:
            client.post_form("/logout")
        response = client.get(f"/uploads/pictures/{stored.id}/320.webp")
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        cache = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "no-store" not in cache
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(response.data)).size == (320, 320)
    for missing in (f"/uploads/pictures/{stored.id}/200.webp", "/uploads/pictures/999/160.webp",
                    f"/uploads/pictures/{stored.id}/160.png"):
        assert client.get(missing).status_code == 404


def test_going_back_to_the_library_picture(app, login_as, items, uploads_dir):
    client = login_as("admin")
    upload(client, photo())
    [stored] = uploads(app)
    page = client.get("/admin/content/theme.friends/picture").get_data(as_text=True)
    assert "Use the library picture again" in page

    response = client.post_form("/admin/content/theme.friends/picture/library")
    assert response.status_code == 302
    assert not uploads(app)[0].active
    assert client.get(f"/uploads/pictures/{stored.id}/160.webp").status_code == 404
    listing = client.get("/admin/content").get_data(as_text=True)
    assert "The picture from the picture library is back." in listing
    with app.test_request_context():
        assert content_picture_url(content_item("theme.friends")) == "/pictures/openmoji/1F91D.svg"
    page = client.get("/admin/content/theme.friends/picture").get_data(as_text=True)
    assert "Use the library picture again" not in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Milk, bread, eggs.\n", "shopping-list.png",
         "This file is not a picture. Please choose a photo or a drawing."),
        (png_header_claiming(100_000, 100_000), "bomb.png",
         "This picture has too many pixels. Please make it smaller or choose another one."),
        (photo(size=(50, 50)), "tiny.jpg",
         "This picture is too small. Please choose a bigger one."),
    ],
    ids=["text-as-png", "bomb", "tiny"],
)
def test_bad_upload_shows_the_form_again_and_stores_nothing(
    app, login_as, items, uploads_dir, data, name, message
):
    response = upload(login_as("admin"), data, name=name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and html.count(message.replace("'", "&#39;")) == 2
    assert 'aria-invalid="true"' in html and '<a href="#picture">' in html
    assert uploads(app) == [] and stored_files(uploads_dir) == []


def test_no_file_chosen(app, login_as, items, uploads_dir):
    response = login_as("admin").post_form("/admin/content/theme.friends/picture", {})
    assert response.status_code == 400
    assert "Choose a picture to upload." in response.get_data(as_text=True)
    assert uploads(app) == []


def test_oversize_upload_is_refused_kindly(app, login_as, items, uploads_dir, monkeypatch):
    client = login_as("admin")
    too_big = b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024)
    # The whole request is over the app's limit: the kind "too big" page, nothing stored.
    response = upload(client, too_big)
    assert response.status_code == 413
    assert "too big" in response.get_data(as_text=True)
    # With room for the request, the picture check itself says why.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 20 * 1024 * 1024)
    response = upload(client, too_big)
    assert response.status_code == 400
    assert "This picture is too big. Please choose a file smaller than 8 MB." in response.get_data(
        as_text=True)
    assert uploads(app) == [] and stored_files(uploads_dir) == []


def test_bad_upload_message_in_welsh(app, login_as, items, uploads_dir):
    client = login_as("admin")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "demo-admin")).locale = "cy"
        db.session.commit()
    response = upload(client, b"Llaeth, bara, wyau.\n", name="rhestr.png")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "Dydy&#39;r ffeil hon ddim yn llun." in html
    assert uploads(app) == []


def test_expired_form_stores_nothing(app, login_as, items, uploads_dir):
    client = login_as("admin")
    response = client.post(
        "/admin/content/theme.friends/picture",
        data={"csrf_token": "stale", "picture": (io.BytesIO(photo()), "photo.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert uploads(app) == [] and stored_files(uploads_dir) == []


def test_a_failed_save_leaves_no_files(app, login_as, items, uploads_dir, monkeypatch):
    from portal.uploads import store

    def broken_update(*_args):
        raise RuntimeError("database went away")

    client = login_as("admin")
    monkeypatch.setattr(store, "update", broken_update)  # fails after the files are written
    with pytest.raises(RuntimeError):
        upload(client, photo())
    assert uploads(app) == []
    assert [p for p in stored_files(uploads_dir) if p.suffix == ".webp"] == []


def test_limits_are_what_the_issue_asks():
    assert images.MAX_FILE_BYTES == 8 * 1024 * 1024
    assert images.MIN_SIDE == 64
    assert images.SIZES == (96, 160, 320)
    assert images.MAX_OUTPUT_BYTES == 15 * 1024
