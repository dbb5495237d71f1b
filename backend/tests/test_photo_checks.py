"""A return photo is kept only when it is a real, whole, sharp, lit image of an allowed kind,
and what is kept is a fresh JPEG with nothing of the upload but its pixels
(backend/photo_checks.py). The good photos are real ones (tests/fixtures/photos/, public domain
and CC0); the bad ones are made from them here."""
import io
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from backend.photo_checks import (BLURRY, DAMAGED, DUPLICATE, EMPTY, NOT_AN_IMAGE, SCREEN_NOT_LIT, TOO_DARK,
                                  TOO_LARGE, TOO_MANY_PIXELS, TOO_SMALL, UNKNOWN_SLOT, PhotoRefused, check, limits)

PHOTOS = Path(__file__).parent.parent.parent / "tests" / "fixtures" / "photos"


def photo(name="astronaut"):
    return Image.open(PHOTOS / f"{name}.jpg").convert("RGB")


def encoded(image, kind="JPEG", **options):
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def refused(data, slot="front", others=()):
    with pytest.raises(PhotoRefused) as refusal:
        check(data, slot, others)
    return refusal.value.reason


@pytest.mark.parametrize("name", ["astronaut", "camera", "grass", "gravel"])
@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_good_photo_of_an_allowed_kind_is_kept_as_jpeg(name, kind):
    kept = check(encoded(photo(name), kind), "front")
    assert Image.open(io.BytesIO(kept.jpeg)).format == "JPEG"
    assert (kept.width, kept.height) == photo(name).size


def test_what_is_kept_has_no_metadata_and_no_gps_position():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS: Paris
    upload = encoded(photo(), "JPEG", exif=exif, comment=b"taken at home")
    assert Image.open(io.BytesIO(upload)).getexif()
    kept = Image.open(io.BytesIO(check(upload, "front").jpeg))
    assert not kept.getexif()
    assert "comment" not in kept.info and "exif" not in kept.info and "icc_profile" not in kept.info


def test_a_photo_taken_sideways_is_kept_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees to show
    upload = encoded(photo("coffee").resize((900, 600)), "JPEG", exif=exif)
    kept = check(upload, "front")
    assert (kept.width, kept.height) == (600, 900)


def test_a_big_photo_is_kept_at_most_the_kept_size():
    big = photo().resize((4000, 3000))
    kept = check(encoded(big.filter(ImageFilter.DETAIL)), "front")
    assert max(kept.width, kept.height) == limits()["keep_long_side"]


@pytest.mark.parametrize("make, reason", [
    (lambda im: im.filter(ImageFilter.GaussianBlur(3)), BLURRY),
    (lambda im: ImageEnhance.Brightness(im).enhance(0.15), TOO_DARK),
    (lambda im: im.resize((320, 320)), TOO_SMALL),
])
def test_a_blurred_dark_or_tiny_photo_is_refused_with_its_reason(make, reason):
    assert refused(encoded(make(photo()))) == reason


def test_the_same_photo_in_another_slot_is_a_duplicate_even_recompressed():
    first = check(encoded(photo()), "front")
    again = encoded(photo().resize((500, 500)), "JPEG", quality=60)
    assert refused(again, "back", others=[first.fingerprint]) == DUPLICATE
    assert check(encoded(photo("camera")), "back", others=[first.fingerprint])


def device_with_screen(lit: bool) -> Image.Image:
    """A phone on a table: a dark body, its screen lit or off."""
    image = photo("brick").resize((600, 800)).filter(ImageFilter.DETAIL)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((150, 100, 450, 700), radius=30, fill=(25, 25, 28))
    draw.rectangle((170, 150, 430, 650), fill=(235, 240, 250) if lit else (12, 12, 14))
    for y in range(180, 640, 40):  # icons and text on the screen
        draw.rectangle((190, y, 260, y + 20), fill=(30, 90, 200) if lit else (14, 14, 16))
    return image


def test_the_screen_on_slot_needs_a_lit_screen():
    assert check(encoded(device_with_screen(lit=True)), "screen_on")
    assert refused(encoded(device_with_screen(lit=False)), "screen_on") == SCREEN_NOT_LIT
    assert check(encoded(device_with_screen(lit=False)), "back")


def test_an_unknown_slot_is_refused():
    assert refused(encoded(photo()), "inside") == UNKNOWN_SLOT


# Files that are not what they say, or are built to hurt: refused, and nothing is kept.
def test_an_empty_file_is_refused():
    assert refused(b"") == EMPTY


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    assert refused(b"\xff\xd8\xff" + b"\0" * (limits()["max_bytes"] + 1)) == TOO_LARGE


def test_a_decompression_bomb_is_refused_from_its_header():
    # 20,000 x 20,000 pixels of one colour: a few hundred kilobytes, 1.2 GB once decoded.
    bomb = encoded(Image.new("L", (20000, 20000)), "PNG", optimize=True)
    assert len(bomb) < 1_000_000
    assert refused(bomb) == TOO_MANY_PIXELS


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its data doesn't have."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def test_a_header_claiming_billions_of_pixels_is_refused_unread():
    assert refused(png_header_claiming(100000, 100000)) == TOO_MANY_PIXELS


def test_an_svg_with_a_script_is_not_an_image():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
    assert refused(svg) == NOT_AN_IMAGE


def test_an_html_page_named_jpg_is_not_an_image():
    assert refused(b"<!DOCTYPE html><html><body><script>fetch('/steal')</script></body></html>") == NOT_AN_IMAGE


def test_a_gif_or_bmp_is_not_an_allowed_kind():
    assert refused(encoded(photo(), "GIF")) == NOT_AN_IMAGE
    assert refused(encoded(photo(), "BMP")) == NOT_AN_IMAGE


def test_a_truncated_jpeg_is_damaged():
    whole = encoded(photo())
    assert refused(whole[: len(whole) // 2]) == DAMAGED


def test_a_polyglot_is_kept_only_as_its_pixels():
    # A JPEG with an HTML page after its end: valid as both. What is kept is re-encoded.
    polyglot = encoded(photo()) + b"<html><script>alert(1)</script></html>"
    kept = check(polyglot, "front")
    assert b"<script>" not in kept.jpeg and b"<html>" not in kept.jpeg


def test_the_limits_keep_their_calibrated_figures():
    # tools/photo_calibration.py: real photos and their blurred, shaken and dark copies.
    from tools.photo_calibration import rates, run

    wrongly_refused, caught = rates(run(dict(limits())))
    assert wrongly_refused <= 0.05
    assert caught >= 0.90
