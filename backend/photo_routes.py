"""The API's return photos: uploaded through a signed link (common/photo_links.py) by the
customer's browser or a messaging channel's relay, checked (backend/photo_checks.py) and kept
(backend/photo_storage.py); listed and served with the API token to the assistant and the
agents' desk, and with a seller's own token (backend/seller_tokens.py) to that seller.

A photo is served as an inert image (common/inert_photos.py, as the desk serves it too): always
image/jpeg (it was re-encoded as one), never sniffed, never a page, never cached. Nothing of an upload is logged: neither
its bytes nor its file name (the link carries none)."""
import logging
from datetime import datetime, timedelta
from typing import Annotated, Callable, List, Literal, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from backend.conversations import seconds, source
from backend.models import Order, PhotoUpload, ReturnPhoto
from backend.photo_checks import PhotoRefused, check, limits
from backend.photo_scan import ScanUnavailable, scan
from backend.photo_storage import PhotoStorage, StorageError, new_key
from backend.photo_thumbnails import thumbnail
from backend.schemas import ErrorBody, OrderNumber, PhotoRefusedBody, PhotoTaken, PhotoView
from backend.seller_tokens import seller_of
from backend.settings import PhotoKeeping
from common import inert_photos, photo_links

logger = logging.getLogger(__name__)
UPLOAD_ERRORS = {403: {"model": ErrorBody}, 404: {"model": ErrorBody}, 413: {"model": ErrorBody},
                 422: {"model": PhotoRefusedBody}, 429: {"model": ErrorBody}, 503: {"model": ErrorBody}}


def _refused(reason: str) -> JSONResponse:
    return JSONResponse(status_code=422, content={"error": "photo_refused", "reason": reason,
                                                  "message": f"not kept: {reason.replace('_', ' ')}"})


def _link_invalid() -> JSONResponse:
    return JSONResponse(status_code=403, content={"error": "link_invalid",
                                                  "message": "this photo link is not valid, or has expired"})


def _too_many(engine: Engine, keeping: PhotoKeeping, number: str, asker: str, now: datetime) -> Optional[int]:
    """Seconds to wait when this conversation, or everyone together, has uploaded the limit
    of photos to this order within the window; else None, and this upload is counted."""
    since = now - timedelta(seconds=keeping.upload_window_s)
    with Session(engine) as db:
        db.execute(delete(PhotoUpload).where(PhotoUpload.at < since))
        recent = select(PhotoUpload.at).where(PhotoUpload.order_number == number, PhotoUpload.at >= since)
        mine = list(db.scalars(recent.where(PhotoUpload.source == asker).order_by(PhotoUpload.at)))
        everyone = list(db.scalars(recent.order_by(PhotoUpload.at)))
        for uploads, limit in ((mine, keeping.uploads_per_conversation), (everyone, keeping.uploads_per_order)):
            if len(uploads) >= limit:
                db.commit()
                return seconds(uploads[len(uploads) - limit] + timedelta(seconds=keeping.upload_window_s) - now)
        db.add(PhotoUpload(order_number=number, source=asker, at=now))
        db.commit()
    return None


def add_photo_routes(app: FastAPI, engine: Engine, api_token: str, storage: PhotoStorage, keeping: PhotoKeeping,
                     authorised: Callable, clock: Callable[[], datetime]) -> None:
    Slot = Annotated[str, Path(max_length=16, pattern=r"^[a-z_]+$")]

    def keep(number: str, slot: str, data: bytes) -> dict:
        """Checked against the order's other photos, stored, and the row replaced: in a worker
        thread (a 12 MP photo takes about half a second of CPU)."""
        scan(data, keeping.scan_command)  # before anything decodes it
        with Session(engine) as db:
            if db.get(Order, number) is None:
                raise HTTPException(404, "no such order")
            taken = {p.slot: p for p in db.scalars(select(ReturnPhoto).where(ReturnPhoto.order_number == number))}
            others = [int(p.fingerprint, 16) for s, p in taken.items() if s != slot]
            photo = check(data, slot, others)
            key = new_key()
            storage.put(key, photo.jpeg)
            replaced = taken.pop(slot, None)
            if replaced is not None:
                db.delete(replaced)
                db.flush()
            row = ReturnPhoto(id=key, order_number=number, slot=slot, width=photo.width, height=photo.height,
                              fingerprint=f"{photo.fingerprint:016x}", taken_at=clock())
            db.add(row)
            db.commit()
            if replaced is not None:
                storage.delete(replaced.id)
            filled = set(taken) | {slot}
            return {"photo": PhotoView.model_validate(row).model_dump(mode="json"),
                    "slots_filled": [s for s in photo_links.SLOTS if s in filled]}

    Conversation = Annotated[str, Query(max_length=128)]
    Expires = Annotated[str, Query(max_length=12)]
    Signature = Annotated[str, Query(max_length=64)]

    @app.put("/orders/{number}/photos/{slot}", response_model=PhotoTaken, responses=UPLOAD_ERRORS, status_code=201,
             summary="Upload a return photo through a signed link (no API token)")
    async def upload_photo(number: OrderNumber, slot: Slot, request: Request, conversation: Conversation = "",
                           expires: Expires = "", signature: Signature = ""):
        if not photo_links.valid(api_token, number, slot, conversation, expires, signature, now=clock()):
            return _link_invalid()
        wait = await run_in_threadpool(_too_many, engine, keeping, number, source(conversation), clock())
        if wait is not None:
            return JSONResponse(status_code=429, headers={"Retry-After": str(wait)},
                                content={"error": "too_many_attempts", "retry_after_s": wait,
                                         "message": "too many photos sent for this order; try again later"})
        largest = limits()["max_bytes"]
        too_large = JSONResponse(status_code=413, content={"error": "too_large", "message": "the photo is too large"})
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > largest:
            return too_large
        data = bytearray()
        async for chunk in request.stream():  # a sender that lies about the length is cut off too
            data += chunk
            if len(data) > largest:
                return too_large
        try:
            return await run_in_threadpool(keep, number, slot, bytes(data))
        except PhotoRefused as refused:
            logger.info("return photo refused for a slot of an order: %s", refused.reason)
            return _refused(refused.reason)
        except (StorageError, ScanUnavailable) as failed:
            logger.error("return photo not stored: %s", failed)
            return JSONResponse(status_code=503, content={"error": "store_unavailable",
                                                          "message": "the photo could not be stored; try again"})

    PhotoId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
    # The kept photo, or its thumbnail (backend/photo_thumbnails.py) for a row of them.
    Size = Annotated[Literal["full", "thumb"], Query()]
    PHOTO = {200: {"content": {"image/jpeg": {}}}, 401: {"model": ErrorBody}, 404: {"model": ErrorBody}}

    def listed(number: str, seller: Optional[str] = None) -> List[ReturnPhoto]:
        """The order's photos in the checklist's order; 404 for an order that isn't the seller's."""
        with Session(engine) as db:
            order = db.get(Order, number)
            if order is None or (seller is not None and order.seller_id != seller):
                raise HTTPException(404, "no such order")
            rows = db.scalars(select(ReturnPhoto).where(ReturnPhoto.order_number == number)).all()
            place = {slot: index for index, slot in enumerate(photo_links.SLOTS)}
            return sorted(rows, key=lambda p: place.get(p.slot, len(place)))

    def served(photo_id: str, size: str, seller: Optional[str] = None) -> Response:
        with Session(engine) as db:
            photo = db.get(ReturnPhoto, photo_id)
            # Whose order it is matters to a seller only.
            mine = photo is not None and (seller is None or db.get(Order, photo.order_number).seller_id == seller)
        if not mine:
            raise HTTPException(404, "no such photo")
        try:
            jpeg = storage.get(photo_id)
        except StorageError:
            raise HTTPException(404, "no such photo") from None
        return Response(thumbnail(jpeg) if size == "thumb" else jpeg, media_type=inert_photos.MEDIA_TYPE,
                        headers=inert_photos.HEADERS)

    def a_seller(authorization: Annotated[str, Header()] = "") -> str:
        with Session(engine) as db:
            seller = seller_of(db, authorization)
        if seller is None:
            raise HTTPException(401, "a valid seller token is required")
        return seller

    Seller = Annotated[str, Depends(a_seller)]

    @app.get("/orders/{number}/photos/{slot}", response_class=Response, responses={**PHOTO, 403: {"model": ErrorBody}},
             summary="The slot's current photo, through its signed link (the customer's own thumbnail)")
    def slot_photo(number: OrderNumber, slot: Slot, conversation: Conversation = "", expires: Expires = "",
                   signature: Signature = "", size: Size = "full"):
        if not photo_links.valid(api_token, number, slot, conversation, expires, signature, now=clock()):
            return _link_invalid()
        with Session(engine) as db:
            photo_id = db.scalar(select(ReturnPhoto.id).where(ReturnPhoto.order_number == number,
                                                              ReturnPhoto.slot == slot))
        if photo_id is None:
            raise HTTPException(404, "no photo in this slot")
        return served(photo_id, size)

    @app.get("/orders/{number}/photos", response_model=List[PhotoView], dependencies=[Depends(authorised)],
             summary="The order's return photos")
    def order_photos(number: OrderNumber):
        return listed(number)

    @app.get("/photos/{photo_id}", dependencies=[Depends(authorised)], response_class=Response, responses=PHOTO,
             summary="One return photo, as an inert JPEG (size=thumb: 320 px long)")
    def photo(photo_id: PhotoId, size: Size = "full"):
        return served(photo_id, size)

    @app.get("/seller/orders/{number}/photos", response_model=List[PhotoView], responses=PHOTO,
             summary="A seller's order's return photos, with the seller's token")
    def sellers_order_photos(number: OrderNumber, seller: Seller):
        return listed(number, seller)

    @app.get("/seller/photos/{photo_id}", response_class=Response, responses=PHOTO,
             summary="One of a seller's return photos, with the seller's token")
    def sellers_photo(photo_id: PhotoId, seller: Seller, size: Size = "full"):
        return served(photo_id, size, seller)
