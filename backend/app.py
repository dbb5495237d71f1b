"""The HTTP API (FastAPI generates the OpenAPI document at /openapi.json)."""
import hmac
import logging
import time
from collections import defaultdict, deque
from typing import Annotated, Deque, Dict, List, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, selectinload

from backend.models import Customer, Order, Shipment
from backend.schemas import ErrorBody, OrderSummary, OrderView, VerificationRequest, VerificationResult
from backend.settings import Settings

logger = logging.getLogger(__name__)
ORDER_NUMBER = r"^\d{8}$"
ERRORS = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


class FailedAttempts:
    """Failed verifications per order number in a sliding window (this process's memory)."""

    def __init__(self, limit: int = 5, window_s: float = 3600, clock=time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def blocked(self, key: str) -> bool:
        failures = self._failures[key]
        while failures and failures[0] <= self.clock() - self.window_s:
            failures.popleft()
        return len(failures) >= self.limit

    def record(self, key: str) -> None:
        self._failures[key].append(self.clock())


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


def create_app(settings: Settings, engine: Engine = None, attempts: FailedAttempts = None) -> FastAPI:
    engine = engine or create_engine(settings.database_url)
    attempts = attempts or FailedAttempts()
    app = FastAPI(title="Order backend", version="1.0.0",
                  description="Orders, shipments and returns as the support assistant may see them.")

    def session():
        with Session(engine) as db:
            yield db

    def authorised(authorization: Annotated[str, Header()] = ""):
        expected = f"Bearer {settings.api_token}"
        if not hmac.compare_digest(authorization.encode(), expected.encode()):
            raise HTTPException(401, "a valid API token is required")

    Db = Annotated[Session, Depends(session)]
    OrderNumber = Annotated[str, Path(pattern=ORDER_NUMBER, description="8 digits")]

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

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/orders/{number}", response_model=OrderView, responses=ERRORS, dependencies=[Depends(authorised)])
    def get_order(number: OrderNumber, db: Db):
        order = db.scalar(
            select(Order).where(Order.number == number).options(
                selectinload(Order.items), selectinload(Order.returns), selectinload(Order.seller),
                selectinload(Order.customer), selectinload(Order.shipment).selectinload(Shipment.events)))
        if order is None:
            raise HTTPException(404, "no such order")
        return order

    @app.post("/verifications", response_model=VerificationResult,
              responses={**ERRORS, 429: {"model": ErrorBody}}, dependencies=[Depends(authorised)])
    def verify(request: VerificationRequest, db: Db):
        """Is this the order's customer? Checks the e-mail or the delivery postcode on the order."""
        if attempts.blocked(request.order_number):
            raise HTTPException(429, "too many failed attempts for this order; try again later")
        order = db.get(Order, request.order_number)
        customer = order.customer if order else None
        verified = bool(customer) and (
            _same(request.email, customer.email, _email) or _same(request.postcode, customer.delivery_postcode, _postcode))
        if not verified:
            attempts.record(request.order_number)
        return VerificationResult(verified=verified)

    @app.get("/customers/{customer_id}/orders", response_model=List[OrderSummary], responses=ERRORS,
             dependencies=[Depends(authorised)])
    def customer_orders(customer_id: Annotated[str, Path(max_length=32)], db: Db):
        if db.get(Customer, customer_id) is None:
            raise HTTPException(404, "no such customer")
        return db.scalars(select(Order).where(Order.customer_id == customer_id)
                          .options(selectinload(Order.items)).order_by(Order.placed_at.desc())).all()

    return app
