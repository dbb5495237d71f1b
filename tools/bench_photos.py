"""`python -m tools.bench_photos OUT` (the backend's virtualenv): the return photos `make bench`
uploads while customers chat (tools/benchmark.py, tools/locustfile.py's Uploader). One for each
of the seven slots of step 1 of the return checklist, each a different fixture
(tests/fixtures/photos/, public domain and CC0) as a 12 MP phone takes it, about 5 MB of JPEG
at quality 95; made at run time into OUT as SLOT.jpg (var/, never committed), then checked as
the backend checks a return's photos, each against the others, so that every upload of them
is accepted. Prints each slot's size in bytes as JSON.
"""
import argparse
import json
import sys
from pathlib import Path

from PIL import Image

from backend.photo_checks import PhotoRefused, check
from tools.photo_calibration import PHOTOS, phone_photo

# Those whose 12 MP copies are clearly sharp (the brick wall's is at the limit). The screen-on
# slot needs a lit screen, a bright region: the astronaut's white suit is one.
FIXTURES = {"front": "camera", "back": "coffee", "left": "gravel", "right": "grass", "top": "rocket",
            "bottom": "chelsea", "screen_on": "astronaut"}
# At 12 MP, this share of noise makes 5.0-5.5 MB at quality 95.
NOISE = 0.15


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="4032x3024", help="width x height (tests take small ones)")
    parser.add_argument("--noise", type=float, default=NOISE)
    args = parser.parse_args()
    size = tuple(int(side) for side in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    sizes, fingerprints = {}, []
    for slot, fixture in FIXTURES.items():
        # Lanczos: a 512 px fixture blown up to 12 MP is softer than a phone's photo, and the
        # checks refuse soft ones; it keeps more of the edges than the default.
        data = phone_photo(PHOTOS / f"{fixture}.jpg", size, args.noise, quality=95, resample=Image.Resampling.LANCZOS)
        try:
            fingerprints.append(check(data, slot, fingerprints).fingerprint)
        except PhotoRefused as refused:
            print(f"{fixture}.jpg for the {slot} slot would be refused: {refused}", file=sys.stderr)
            return 1
        (args.out / f"{slot}.jpg").write_bytes(data)
        sizes[slot] = len(data)
    print(json.dumps(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
