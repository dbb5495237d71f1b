"""A return photo's thumbnail: a small JPEG of the kept one, for pages that show a return's
photos side by side (the agents' desk shows up to eight at once).

A kept photo is up to 2,560 px a side, about 1 MB for a 12 MP phone photo; eight of them are
8 MB to download and 160 MB of pixels to decode for a row of small pictures. Its thumbnail,
320 px long, is 11-23 KB, made in about 15 ms (README, "Return photos"). Made when asked and
never stored: nothing more to delete when the photo goes (retention, erasure), nothing more in
the bucket, and a retake's thumbnail is never stale.
"""
import io

from PIL import Image

# The desk shows them 80 CSS px wide: sharp on screens of up to four device pixels a CSS pixel.
LONG_SIDE = 320
QUALITY = 80


def thumbnail(jpeg: bytes) -> bytes:
    """A JPEG at most LONG_SIDE px a side of the kept photo `jpeg` (itself a clean JPEG: the
    checks re-encoded it, so nothing here reads an upload)."""
    image = Image.open(io.BytesIO(jpeg))
    # Pillow decodes the JPEG at 1/2, 1/4 or 1/8 of its size: a fraction of the work.
    image.draft("RGB", (LONG_SIDE, LONG_SIDE))
    image = image.convert("RGB")
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
