"""Return photos in an S3-compatible object store (backend/photo_storage.py, S3Store), against
a real S3 API server on loopback (moto's server: the same HTTP API as AWS S3 and MinIO)."""
import io

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from backend.photo_storage import S3Store, StorageError, new_key, open_storage
from backend.settings import PhotoKeeping

BUCKET = "return-photos"


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture()
def store(endpoint, monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "eu-west-1")):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint)
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return open_storage(PhotoKeeping("sqlite://", None, store="s3", s3_bucket=BUCKET, s3_endpoint_url=endpoint))


def a_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


def test_the_settings_open_an_s3_store(store):
    assert isinstance(store, S3Store)


def test_a_photo_is_put_read_back_and_deleted(store):
    key, jpeg = new_key(), a_jpeg()
    store.put(key, jpeg)
    assert store.get(key) == jpeg
    head = store.client.head_object(Bucket=BUCKET, Key=f"return-photos/{key}.jpg")
    assert head["ContentType"] == "image/jpeg"
    store.delete(key)
    with pytest.raises(StorageError, match="no such photo"):
        store.get(key)


def test_a_key_that_isnt_a_photo_key_never_reaches_the_store(store):
    with pytest.raises(StorageError, match="not a photo key"):
        store.get("../other-bucket/secret")


def test_a_missing_bucket_is_a_storage_error_not_a_crash(endpoint, store):
    missing = S3Store("no-such-bucket", endpoint_url=endpoint)
    with pytest.raises(StorageError):
        missing.put(new_key(), a_jpeg())


def test_an_s3_store_without_a_bucket_is_refused_at_start(monkeypatch):
    from backend.settings import SettingsError

    monkeypatch.setenv("BACKEND_PHOTO_STORE", "s3")
    monkeypatch.delenv("BACKEND_S3_BUCKET", raising=False)
    with pytest.raises(SettingsError, match="BACKEND_S3_BUCKET"):
        PhotoKeeping.from_environment()
    monkeypatch.setenv("BACKEND_PHOTO_STORE", "ftp")
    with pytest.raises(SettingsError, match="disk or s3"):
        PhotoKeeping.from_environment()
