"""Whether an uploaded file is a usable return photo, and the copy of it that is kept.

Plain Python on Pillow, offline, on the CPU. The file's kind is judged by its content, never
its name; its size and pixel count are checked before it is decoded (decompression bombs); it
is re-encoded as JPEG, so no metadata, GPS position or smuggled payload survives; then the
picture is judged: big enough, sharp (variance of the Laplacian) and not shaken (edges in
every direction), bright enough, not a copy of
another slot's photo (difference hash), and for the screen-on slot, a lit screen. The limits
are data (backend/photo_checks.yml), calibrated by tools/photo_calibration.py.

A refused file raises PhotoRefused with a reason the assistant turns into words in the
customer's language ("This one is blurry: hold the phone still and take it again.").
"""
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Tuple

import yaml
from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from common.photo_links import SLOTS

LIMITS_FILE = Path(__file__).with_name("photo_checks.yml")
# Edges, as the Laplacian finds them (offset so that negative responses aren't clipped at 0):
# a photo out of focus has few.
_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)
# Edges in four directions: across, down and along both diagonals. A photo shaken one way
# keeps its edges in the others, so it is told by its weakest direction against its strongest.
_SECOND_DIFFERENCES = [ImageFilter.Kernel((3, 3), weights, scale=1, offset=128) for weights in (
    [0, 0, 0, 1, -2, 1, 0, 0, 0], [0, 1, 0, 0, -2, 0, 0, 1, 0], [1, 0, 0, 0, -2, 0, 0, 0, 1], [0, 0, 1, 0, -2, 0, 1, 0, 0])]

# Why a file is refused: each is said to the customer with what to do.
EMPTY = "empty"
TOO_LARGE = "too_large"
NOT_AN_IMAGE = "not_an_image"
TOO_MANY_PIXELS = "too_many_pixels"
DAMAGED = "damaged"
TOO_SMALL = "too_small"
BLURRY = "blurry"
TOO_DARK = "too_dark"
DUPLICATE = "duplicate"
SCREEN_NOT_LIT = "screen_not_lit"
UNKNOWN_SLOT = "unknown_slot"


class PhotoRefused(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Photo:
    """What is kept of an accepted photo, and its fingerprint for later slots' duplicates."""
    jpeg: bytes
    width: int
    height: int
    fingerprint: int  # difference hash, 64 bits


@dataclass(frozen=True)
class Measures:
    sharpness: float
    steadiness: float  # the weakest direction's edges against the strongest's, 0-1
    brightness: float
    screen_contrast: float
    screen_bright: float
    fingerprint: int


@lru_cache(maxsize=1)
def limits(path: Path = LIMITS_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text())


@lru_cache(maxsize=4)
def _formats(allowed: Tuple[str, ...]) -> Tuple[str, ...]:
    """Pillow's names of the allowed kinds it can read here (HEIF's reader registered once)."""
    formats = [f for f in allowed if f != "HEIF"]
    if "HEIF" in allowed:
        try:  # HEIC, the iPhone's format, when the kept library that reads it is installed
            from pillow_heif import register_heif_opener
        except ImportError:
            return tuple(formats)
        register_heif_opener()
        formats.append("HEIF")
    return tuple(formats)


def decoded(data: bytes, limit: Dict[str, Any]) -> Image.Image:
    """The file as an image, upright, in RGB: refused unless its content is an allowed kind,
    within the size and pixel limits, and whole."""
    if not data:
        raise PhotoRefused(EMPTY)
    if len(data) > limit["max_bytes"]:
        raise PhotoRefused(TOO_LARGE, f"{len(data)} bytes")
    try:
        image = Image.open(io.BytesIO(data), formats=_formats(tuple(limit["formats"])))
    except Image.DecompressionBombError as bomb:
        raise PhotoRefused(TOO_MANY_PIXELS, str(bomb)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as unknown:
        raise PhotoRefused(NOT_AN_IMAGE, type(unknown).__name__) from None
    width, height = image.size
    if width * height > limit["max_pixels"]:  # from the header, before anything is decoded
        raise PhotoRefused(TOO_MANY_PIXELS, f"{width}x{height}")
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as broken:
        raise PhotoRefused(DAMAGED, type(broken).__name__) from None
    if image.mode != "RGB":
        image = _on_white(image) if "A" in image.getbands() or image.mode == "P" else image.convert("RGB")
    return image


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def fingerprint(gray: Image.Image) -> int:
    """Difference hash: is each of 8 x 8 points brighter than its right neighbour. Near-equal
    photos differ in a few of the 64 bits, different ones in about half."""
    small = gray.resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte a pixel, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            bits = (bits << 1) | (pixels[row * 9 + column] > pixels[row * 9 + column + 1])
    return bits


def distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def measures(image: Image.Image, limit: Dict[str, Any]) -> Measures:
    """What the picture checks read, on a grayscale copy of one size."""
    gray = image.convert("L")
    gray.thumbnail((limit["analysis_long_side"], limit["analysis_long_side"]), Image.Resampling.LANCZOS)
    histogram = gray.histogram()
    brightest_tenth = _percentile(histogram, 0.9)
    directions = [ImageStat.Stat(gray.filter(kernel)).var[0] for kernel in _SECOND_DIFFERENCES]
    return Measures(sharpness=ImageStat.Stat(gray.filter(_LAPLACIAN)).var[0],
                    steadiness=min(directions) / max(max(directions), 1e-9),
                    brightness=ImageStat.Stat(gray).mean[0],
                    screen_contrast=brightest_tenth - _percentile(histogram, 0.5),
                    screen_bright=brightest_tenth,
                    fingerprint=fingerprint(gray))


def _percentile(histogram: list, share: float) -> int:
    wanted, seen = share * sum(histogram), 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return level
    return 255


def judged(measured: Measures, slot: str, others: Iterable[int], limit: Dict[str, Any]) -> None:
    """Refuses a picture that is blurred, too dark, a copy of another slot's, or for a
    screen-on slot shows no lit screen."""
    if measured.brightness < limit["min_brightness"]:
        raise PhotoRefused(TOO_DARK, f"brightness {measured.brightness:.0f}")
    if measured.sharpness < limit["min_sharpness"]:
        raise PhotoRefused(BLURRY, f"sharpness {measured.sharpness:.0f}")
    if measured.steadiness < limit["min_steadiness"]:
        raise PhotoRefused(BLURRY, f"shaken: steadiness {measured.steadiness:.2f}")
    if slot in limit["lit_screen_slots"] and (measured.screen_contrast < limit["screen_min_contrast"]
                                              or measured.screen_bright < limit["screen_min_bright"]):
        raise PhotoRefused(SCREEN_NOT_LIT, f"contrast {measured.screen_contrast}, bright {measured.screen_bright}")
    if any(distance(measured.fingerprint, other) <= limit["max_duplicate_distance"] for other in others):
        raise PhotoRefused(DUPLICATE)


def check(data: bytes, slot: str, others: Iterable[int] = ()) -> Photo:
    """The photo to keep for this slot, or PhotoRefused. others: the fingerprints of the
    return's photos in its other slots."""
    limit = limits()
    if slot not in SLOTS:
        raise PhotoRefused(UNKNOWN_SLOT, slot)
    image = decoded(data, limit)
    if min(image.size) < limit["min_short_side"]:
        raise PhotoRefused(TOO_SMALL, "x".join(map(str, image.size)))
    measured = measures(image, limit)
    judged(measured, slot, others, limit)
    kept = Image.new("RGB", image.size)  # pixels only: a copy would carry the upload's comment and ICC profile
    kept.paste(image)
    kept.thumbnail((limit["keep_long_side"], limit["keep_long_side"]), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    kept.save(out, "JPEG", quality=limit["keep_quality"])
    return Photo(out.getvalue(), kept.width, kept.height, measured.fingerprint)
