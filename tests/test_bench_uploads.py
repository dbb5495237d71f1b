"""`make bench`'s uploaders (tools/locustfile.py's Uploader, run as tools/benchmark.py runs it)
send photos the real backend keeps: through links signed with its API token, every one kept,
so that the bench measures uploads and not refusals. Small photos: the 5 MB ones take seconds
to make."""
import pytest

from tools.benchmark import load, make_photos

# Locust lives in the bench's virtualenv, which `make bench` installs (and `make test` needn't).
pytestmark = pytest.mark.bench


def test_a_bench_uploaders_return_photos_are_all_kept(backend, tmp_path):
    url, token = backend
    sizes = make_photos(tmp_path, "--size", "800x600")
    uploads = {"BENCH_BACKEND_URL": url, "ORDERS_API_TOKEN": token, "BENCH_PHOTOS": str(tmp_path),
               "BENCH_PHOTO_ORDERS": "40512360", "BENCH_UPLOADS": str(len(sizes))}
    photos = load(url, "ours", 0, 60, uploaders=1, uploads=uploads)["photo"]
    assert (photos["photos"], photos["kept"], photos["not_kept"]) == (7, 7, {})


def test_refused_photos_are_counted_apart_with_their_reason(backend, tmp_path):
    url, token = backend
    make_photos(tmp_path, "--size", "800x600")
    (tmp_path / "front.jpg").write_bytes((tmp_path / "back.jpg").read_bytes())  # sent after it: a duplicate
    uploads = {"BENCH_BACKEND_URL": url, "ORDERS_API_TOKEN": token, "BENCH_PHOTOS": str(tmp_path),
               "BENCH_PHOTO_ORDERS": "40512361", "BENCH_UPLOADS": "7"}
    photos = load(url, "ours", 0, 60, uploaders=1, uploads=uploads)["photo"]
    assert (photos["kept"], photos["not_kept"]) == (6, {"refused: duplicate": 1})
