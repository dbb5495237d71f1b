"""The HTTP API (FastAPI generates the OpenAPI document at /openapi.json)."""
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Annotated, Callable, List, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine, create_engine, delete, select
from sqlalchemy.orm import Session, joinedload, selectinload

from backend.conversations import seconds, source
from backend.models import Customer, FailedVerification, Order, Shipment
from backend.photo_routes import add_photo_routes
from backend.photo_storage import PhotoStorage, open_storage
from backend.schemas import (CustomerName, ErrorBody, OrderNumber, OrderSummary, OrderView, RefusedBody, VerificationRequest,
                             VerificationResult)
from backend.settings import PhotoKeeping, Settings, VerificationLimits
from common import bearer

logger = logging.getLogger(__name__)
ERRORS = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}}
TOO_MANY_ATTEMPTS = "too_many_attempts"  # this conversation used its attempts for the order
PAUSED = "verifications_paused"  # the order's checks wait a few minutes, for every conversation


@dataclass(frozen=True)
class Refusal:
    error: str  # TOO_MANY_ATTEMPTS or PAUSED
    retry_after_s: int


class FailedChecks:
    """Who may check an order now, from the failed verifications in the database (shared by
    every replica, kept across restarts, each row kept for the window only)."""

    def __init__(self, limits: VerificationLimits, clock: Callable[[], datetime]):
        self.limits, self.clock = limits, clock

    def refusal(self, db: Session, order_number: str, source: str) -> Optional[Refusal]:
        """Why a check of the order from this source can't be made now, if it can't."""
        now, limits = self.clock(), self.limits
        window = timedelta(seconds=limits.window_s)
        failures = db.execute(select(FailedVerification.at, FailedVerification.source)
                              .where(FailedVerification.order_number == order_number,
                                     FailedVerification.at > now - window)
                              .order_by(FailedVerification.at)).all()
        refusals = []
        own = [at for at, by in failures if by == source]
        if len(own) >= limits.per_conversation:
            # Until enough of its failures have left the window.
            refusals.append(Refusal(TOO_MANY_ATTEMPTS, seconds(own[-limits.per_conversation] + window - now)))
        if len(failures) >= limits.per_order:
            resumes = failures[-1].at + timedelta(seconds=limits.pause_s)
            if resumes > now:
                refusals.append(Refusal(PAUSED, seconds(resumes - now)))
        return max(refusals, key=lambda r: r.retry_after_s, default=None)

    def record(self, db: Session, order_number: str, source: str) -> None:
        now = self.clock()
        db.execute(delete(FailedVerification).where(
            FailedVerification.at <= now - timedelta(seconds=self.limits.window_s)))
        db.add(FailedVerification(order_number=order_number, source=source, at=now))
        db.commit()


def _same(given: Optional[str], stored: Optional[str], normalise) -> bool:
    if not given or not stored:
        return False
    return hmac.compare_digest(normalise(given).encode(), normalise(stored).encode())


def _email(value: str) -> str:
    return value.strip().lower()


def _postcode(value: str) -> str:
    return "".join(value.split()).upper()


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": code, "message": message})


def create_app(settings: Settings, engine: Engine = None, clock: Callable[[], datetime] = None,
               photos: PhotoStorage = None) -> FastAPI:
    engine = engine or create_engine(settings.database_url)
    clock = clock or (lambda: datetime.now(timezone.utc))
    checks = FailedChecks(settings.verification, clock)
    app = FastAPI(title="Order backend", version="1.0.0",
                  description="Orders, shipments and returns as the support assistant may see them.")

    def session():
        with Session(engine) as db:
            yield db

    def authorised(authorization: Annotated[str, Header()] = ""):
        if not bearer.authorised(authorization, settings.api_token):
            raise HTTPException(401, "a valid API token is required")

    Db = Annotated[Session, Depends(session)]

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        code = {401: "unauthorized", 404: "not_found", 429: "too_many_attempts"}.get(exc.status_code, "invalid")
        return error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error(422, "invalid", where)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        logger.exception("unexpected error on %s", request.url.path)
        return error(500, "internal", "internal error")

    if settings.photo_origins:
        # Only the photo links answer a browser, and without credentials: every other route
        # wants the API token, which no web page holds.
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.photo_origins), allow_methods=["GET", "PUT"],
                           allow_headers=["Content-Type"], allow_credentials=False, max_age=600)
    keeping = settings.photos or PhotoKeeping(settings.database_url)
    add_photo_routes(app, engine, settings.api_token, photos or open_storage(keeping), keeping, authorised, clock)

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/orders/{number}", response_model=OrderView, responses=ERRORS, dependencies=[Depends(authorised)])
    def get_order(number: OrderNumber, db: Db):
        # One row of the order with its seller, customer and shipment, then one query per list:
        # four round trips instead of seven (each one counts on PostgreSQL).
        order = db.scalar(
            select(Order).where(Order.number == number).options(
                joinedload(Order.seller), joinedload(Order.customer),
                joinedload(Order.shipment).selectinload(Shipment.events),
                selectinload(Order.items), selectinload(Order.returns)))
        if order is None:
            raise HTTPException(404, "no such order")
        return order

    @app.post("/verifications", response_model=VerificationResult,
              responses={**ERRORS, 429: {"model": RefusedBody}}, dependencies=[Depends(authorised)])
    def verify(request: VerificationRequest, db: Db):
        """Is this the order's customer? Checks the e-mail or the delivery postcode on the order.
        Failed checks are limited per conversation and order, and per order (settings.py)."""
        asker = source(request.conversation)
        refused = checks.refusal(db, request.order_number, asker)
        if refused:
            message = ("too many failed attempts for this order from this conversation" if refused.error == TOO_MANY_ATTEMPTS
                       else "checks of this order are paused after many failed attempts")
            return JSONResponse(status_code=429, headers={"Retry-After": str(refused.retry_after_s)},
                                content={"error": refused.error, "message": message,
                                         "retry_after_s": refused.retry_after_s})
        order = db.get(Order, request.order_number)
        customer = order.customer if order else None
        verified = bool(customer) and (
            _same(request.email, customer.email, _email) or _same(request.postcode, customer.delivery_postcode, _postcode))
        if verified:
            return VerificationResult(verified=True)
        checks.record(db, request.order_number, asker)
        now_refused = checks.refusal(db, request.order_number, asker)
        return VerificationResult(verified=False, retry_after_s=now_refused.retry_after_s if now_refused else None)

    @app.get("/customers/{customer_id}", response_model=CustomerName, responses=ERRORS,
             dependencies=[Depends(authorised)])
    def customer_name(customer_id: Annotated[str, Path(max_length=32)], db: Db):
        """The customer's full name, for the support agent a logged-in customer's conversation is
        handed to (never said by the assistant)."""
        customer = db.get(Customer, customer_id)
        if customer is None:
            raise HTTPException(404, "no such customer")
        return CustomerName(id=customer.id, name=customer.full_name)

    @app.get("/customers/{customer_id}/orders", response_model=List[OrderSummary], responses=ERRORS,
             dependencies=[Depends(authorised)])
    def customer_orders(customer_id: Annotated[str, Path(max_length=32)], db: Db):
        if db.get(Customer, customer_id) is None:
            raise HTTPException(404, "no such customer")
        return db.scalars(select(Order).where(Order.customer_id == customer_id)
                          .options(selectinload(Order.items)).order_by(Order.placed_at.desc())).all()

    return app
