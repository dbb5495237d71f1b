"""Where the kept return photos live: a key (32 random hex characters, which the database row
shares) to the JPEG. Local disk by default; in production, an S3-compatible object store
(BACKEND_PHOTO_STORE=s3). Both behind one small interface; StorageError is what they raise."""
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional, Protocol

_KEY = re.compile(r"[0-9a-f]{32}")


class StorageError(Exception):
    """A photo could not be stored, read or deleted."""


def new_key() -> str:
    """Unguessable: 128 random bits."""
    return secrets.token_hex(16)


class PhotoStorage(Protocol):
    def put(self, key: str, jpeg: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalDisk:
    """Files under one directory, readable by this user only, written whole or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key or ""):
            raise StorageError("not a photo key")
        return self.root / key[:2] / f"{key}.jpg"

    def put(self, key: str, jpeg: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(jpeg)
        os.replace(partial, path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError("no such photo") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)



@contextmanager
def _store_failures():
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as failed:
        if failed.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise StorageError("no such photo") from None
        raise StorageError(f"the photo store failed: {failed.response.get('Error', {}).get('Code')}") from None
    except BotoCoreError as failed:
        raise StorageError(f"the photo store failed: {type(failed).__name__}") from None


class S3Store:
    """An S3-compatible object store (AWS S3, MinIO, Ceph, Scaleway, OVH ...) through boto3: one
    object per photo in one bucket, under a prefix, never public. The credentials are boto3's
    usual ones (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance role ...)."""

    def __init__(self, bucket: str, prefix: str = "return-photos/", endpoint_url: Optional[str] = None,
                 client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, key: str) -> str:
        if not _KEY.fullmatch(key or ""):
            raise StorageError("not a photo key")
        return f"{self.prefix}{key}.jpg"

    def put(self, key: str, jpeg: bytes) -> None:
        with _store_failures():
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=jpeg, ContentType="image/jpeg")

    def get(self, key: str) -> bytes:
        with _store_failures():
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def delete(self, key: str) -> None:
        with _store_failures():
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def open_storage(keeping: Any) -> PhotoStorage:
    """The store the settings name (backend/settings.py, PhotoKeeping)."""
    if keeping.store == "s3":
        return S3Store(keeping.s3_bucket, keeping.s3_prefix, keeping.s3_endpoint_url)
    return LocalDisk(keeping.photo_dir)
