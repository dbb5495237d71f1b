"""`python -m tools.photo_calibration`: the return-photo checks (backend/photo_checks.py) on
real photos (tests/fixtures/photos/, public domain and CC0) and on the bad copies a customer's
phone makes of such photos: how many good ones are wrongly refused, how many bad ones caught,
and the same for other thresholds, so that a change to backend/photo_checks.yml is measured.

Good: each photo as it is, cropped, scaled down, recompressed, a little darker or brighter.
Bad: blurred (out of focus, at three strengths, and shaken sideways) and dark (a room with
the light off). Sizes aside: the picture checks are measured on a copy of one size.
"""
import argparse
import io
import statistics
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

from PIL import Image, ImageEnhance, ImageFilter

from backend.photo_checks import PhotoRefused, check, judged, limits, measures

PHOTOS = Path(__file__).parent.parent / "tests" / "fixtures" / "photos"
# A hand shaking sideways: a horizontal streak of 5 pixels (Pillow's largest kernel), twice.
_SHAKE = ImageFilter.Kernel((5, 5), [1 if row == 2 else 0 for row in range(5) for _ in range(5)], scale=5)


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _crop(image: Image.Image, share: float) -> Image.Image:
    w, h = image.size
    dw, dh = int(w * (1 - share) / 2), int(h * (1 - share) / 2)
    return image.crop((dw, dh, w - dw, h - dh))


GOOD: Dict[str, Callable[[Image.Image], Image.Image]] = {
    "as taken": lambda im: im,
    "cropped to 80%": lambda im: _crop(im, 0.8),
    "scaled to 75%": lambda im: im.resize((im.width * 3 // 4, im.height * 3 // 4), Image.Resampling.LANCZOS),
    "recompressed (quality 60)": lambda im: _jpeg(im, 60),
    "a little darker (x0.7)": lambda im: ImageEnhance.Brightness(im).enhance(0.7),
    "a little brighter (x1.3)": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
}
BAD: Dict[str, Tuple[str, Callable[[Image.Image], Image.Image]]] = {
    "out of focus (radius 2)": ("blurry", lambda im: im.filter(ImageFilter.GaussianBlur(2))),
    "out of focus (radius 3)": ("blurry", lambda im: im.filter(ImageFilter.GaussianBlur(3))),
    "out of focus (radius 5)": ("blurry", lambda im: im.filter(ImageFilter.GaussianBlur(5))),
    "shaken sideways": ("blurry", lambda im: im.filter(_SHAKE).filter(_SHAKE)),
    "light off (x0.25)": ("too_dark", lambda im: ImageEnhance.Brightness(im).enhance(0.25)),
    "light off (x0.15)": ("too_dark", lambda im: ImageEnhance.Brightness(im).enhance(0.15)),
}


def outcome(image: Image.Image, limit: Dict) -> str:
    try:
        judged(measures(image, limit), "front", (), limit)
    except PhotoRefused as refused:
        return refused.reason
    return "accepted"


def run(limit: Dict) -> Dict[str, List[Tuple[str, str, str]]]:
    """Every (photo, variant, outcome), good and bad."""
    results: Dict[str, List[Tuple[str, str, str]]] = {"good": [], "bad": []}
    for path in sorted(PHOTOS.glob("*.jpg")):
        photo = Image.open(path).convert("RGB")
        for name, make in GOOD.items():
            results["good"].append((path.stem, name, outcome(make(photo), limit)))
        for name, (_, make) in BAD.items():
            results["bad"].append((path.stem, name, outcome(make(photo), limit)))
    return results


def rates(results) -> Tuple[float, float]:
    good, bad = results["good"], results["bad"]
    return (sum(o != "accepted" for *_, o in good) / len(good), sum(o != "accepted" for *_, o in bad) / len(bad))


def phone_photo(path: Path, size: Tuple[int, int] = (4032, 3024), noise: float = 0.25, quality: int = 97,
                resample: int = Image.Resampling.BICUBIC) -> bytes:
    """A fixture as a phone takes it: `size` (12 MP by default), fine detail and this share of
    sensor noise, as JPEG; the noise and the quality set its size in bytes."""
    photo = Image.open(path).convert("RGB").resize(size, resample).filter(ImageFilter.DETAIL)
    if noise:
        photo = Image.blend(photo, Image.merge("RGB", [Image.effect_noise(photo.size, 40)] * 3), noise)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=quality)
    return out.getvalue()


def speed(rounds: int = 7) -> Tuple[int, float]:
    """A 12 MP phone photo (4032 x 3024, fine detail and sensor noise, JPEG quality 97): its
    size, and the median time to check and re-encode it."""
    data, times = phone_photo(PHOTOS / "gravel.jpg"), []
    for _ in range(rounds):
        started = time.perf_counter()
        check(data, "front")
        times.append(time.perf_counter() - started)
    return len(data), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweep", action="store_true", help="also other sharpness, steadiness and brightness thresholds")
    parser.add_argument("--speed", action="store_true", help="also the time to check a 12 MP photo")
    args = parser.parse_args()
    limit = dict(limits())
    results = run(limit)
    wrongly, caught = rates(results)
    print(f"{len(results['good'])} good photos, {len(results['bad'])} bad ones "
          f"(min_sharpness {limit['min_sharpness']}, min_steadiness {limit['min_steadiness']}, "
          f"min_brightness {limit['min_brightness']}): "
          f"good wrongly refused {wrongly:.1%}, bad caught {caught:.1%}")
    for kind in ("good", "bad"):
        for photo, variant, said in results[kind]:
            if (said == "accepted") == (kind == "bad"):
                print(f"  {kind} {photo}, {variant}: {said}")
    if args.speed:
        size, median = speed()
        print(f"a 12 MP photo of {size / 1e6:.1f} MB: checked and re-encoded in {median * 1000:.0f} ms (median)")
    if args.sweep:
        print("\nmin_sharpness min_steadiness min_brightness  good wrongly refused  bad caught")
        for sharpness in (40, 60, 80):
            for steadiness in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3):
                for brightness in (30, 40, 50):
                    trial = {**limit, "min_sharpness": sharpness, "min_steadiness": steadiness,
                             "min_brightness": brightness}
                    wrongly, caught = rates(run(trial))
                    print(f"{sharpness:13} {steadiness:14} {brightness:14}  {wrongly:20.1%}  {caught:10.1%}")

if __name__ == "__main__":
    main()
