"""Where the kept return photos live: a key (32 random hex characters, which the database row
shares) to the JPEG. Local disk by default; the interface is all a production store (S3 and
its kin) has to provide."""
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

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
