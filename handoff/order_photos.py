"""The order backend's return photos, as the agents' desk shows them: an order's photos
(GET /orders/{number}/photos, in the checklist's order) and one photo, full size or as a
thumbnail (GET /photos/{id}). The backend's API token is sent from here only and never
reaches a browser: the desk's page gets the photos through the service's /desk/photos/{id}
(handoff/app.py), which decides which ones an agent may open.

One error type, PhotosError, for every failure: the desk says the photos can't be shown now,
and everything else on it goes on.
"""
import re
from dataclasses import dataclass
from typing import List, Optional
from urllib.parse import quote

import httpx

# The backend's photo ids: 128 random bits in hex. Anything else is not one of its answers.
PHOTO_ID = re.compile(r"^[0-9a-f]{32}$")


class PhotosError(Exception):
    """The order backend could not be reached, or did not answer as its API documents."""


@dataclass(frozen=True)
class ReturnPhoto:
    id: str
    slot: str  # front, back, left, right, top, bottom, screen_on, package


class OrderPhotos:
    def __init__(self, url: str, token: str, timeout_s: float = 3, client: Optional[httpx.Client] = None):
        self.url = url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._client = client or httpx.Client(timeout=timeout_s)

    def _get(self, path: str, what: str, **params: str) -> Optional[httpx.Response]:
        """The backend's answer; None for a 404 (no such order or photo, or one deleted since)."""
        try:
            response = self._client.get(f"{self.url}{path}", headers=self._headers, params=params)
        except httpx.HTTPError as error:
            raise PhotosError(f"order backend unreachable: {type(error).__name__}") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            # Not the path: it holds the order number.
            raise PhotosError(f"order backend answered {response.status_code} to {what}")
        return response

    def of_order(self, number: str) -> List[ReturnPhoto]:
        """The order's photos in the checklist's order; none for an order the backend doesn't know."""
        response = self._get(f"/orders/{quote(number, safe='')}/photos", "an order's photo list")
        if response is None:
            return []
        try:
            listed = [ReturnPhoto(str(p["id"]), str(p["slot"])) for p in response.json()]
        except (ValueError, TypeError, KeyError):
            raise PhotosError("order backend's photo list is unreadable") from None
        if not all(PHOTO_ID.match(photo.id) for photo in listed):
            raise PhotosError("order backend's photo list has an id that isn't one")
        return listed

    def jpeg(self, photo_id: str, thumbnail: bool = False) -> Optional[bytes]:
        """The photo as the backend keeps it (a clean JPEG), or its 320 px thumbnail; None
        when there is no such photo (a retake replaced it, or it was deleted)."""
        if not PHOTO_ID.match(photo_id):
            return None
        response = self._get(f"/photos/{photo_id}", "a photo", **({"size": "thumb"} if thumbnail else {}))
        if response is None:
            return None
        if response.headers.get("content-type") != "image/jpeg":
            raise PhotosError("order backend served a photo that isn't a JPEG")
        return response.content
