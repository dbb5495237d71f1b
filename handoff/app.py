"""The handoff service's HTTP API: the action server opens handoffs and stores ratings (bearer
token), the agents' tool calls back (its signature checked by its adapter), and agents use the
reference desk (login, then a session cookie), where they also see the return photos of the
order a conversation is about, through the service (the order backend's token stays here)."""
import hashlib
import html
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from string import Template
from typing import Annotated, Any, Dict, List, Literal, Optional

from fastapi import Depends, FastAPI, Form, Header, HTTPException, Path as PathParameter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator
import sqlalchemy as sa
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from common import bearer, inert_photos
from handoff import agents, desk_view
from handoff.order_photos import OrderPhotos, PhotosError
from handoff.service import HandoffError, agent_says, apply, end, open_handoff, rate, waiting_ahead
from handoff.settings import Settings, support_language
from handoff.store import GIVEN_BACK, RESOLVED, DeskSession, Handoff, aware, now, on_desk
from handoff.tools.base import AgentTool, SignatureError
from handoff.wording import WORDING

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_COOKIE = "desk_session"
SESSION_HOURS = 12
# The desk's pages load only their own script, style sheet and photos, and talk only to the
# service: a script injected into a conversation's text could neither run nor send anything out.
DESK_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class Line(BaseModel):
    author: str = Field(pattern="^(customer|assistant|agent)$")
    text: str = Field(max_length=10_000)
    at: str

    @field_validator("at")
    @classmethod
    def readable(cls, at: str) -> str:
        datetime.fromisoformat(at)  # as the worker reads it back (service.ticket_of)
        return at


class Detail(BaseModel):
    """A fact for the agent, in words: "Return label valid", "until Tuesday, 8 December"."""

    label: str = Field(max_length=200)
    text: str = Field(max_length=2_000)


class TicketIn(BaseModel):
    """What the action server sends (actions/dialogue/handoff.py)."""

    conversation_id: str = Field(min_length=1, max_length=255)
    channel: str = Field(max_length=64)
    reason: str = Field(max_length=64)
    reason_text: str = Field(max_length=500)
    summary: str = Field(max_length=5_000)
    customer: Dict[str, Any]
    details: List[Detail] = Field(default=[], max_length=50)
    order: Optional[Dict[str, Any]] = None
    topics: List[str] = []
    transcript: List[Line] = Field(default=[], max_length=500)
    # The customer's language (language/languages.yml): what the service says to them is in it.
    language: Optional[str] = Field(default=None, max_length=8)


class Rating(BaseModel):
    solved: bool


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=5_000)


def create_app(settings: Settings, sessions: sessionmaker, tool: AgentTool,
               insights: Optional[sa.engine.Engine] = None) -> FastAPI:
    app = FastAPI(title="Handoff service", docs_url=None, redoc_url=None)

    # Used with scope="function": committed before the answer is sent, so what a caller is told
    # (an id, a session cookie) is already stored; the default would commit after it.
    def database():
        with sessions.begin() as session:
            yield session

    def assistant(authorization: str = Header("")) -> None:
        if not bearer.authorised(authorization, settings.api_token):
            raise HTTPException(401, "a valid bearer token is required")

    def agent(request: Request, session: Session = Depends(database, scope="function")) -> DeskSession:
        token = request.cookies.get(SESSION_COOKIE)
        desk_session = session.get(DeskSession, _hashed(token)) if token else None
        if desk_session is None or aware(desk_session.expires_at) < now():
            raise HTTPException(401, "log in first")
        return desk_session

    @app.exception_handler(HandoffError)
    def refused(request: Request, error: HandoffError):
        return JSONResponse(status_code=409, content={"error": str(error)})

    @app.get("/health")
    def health():
        return {"status": "ok", "tool": tool.name}

    # ---- The action server ----------------------------------------------------------------

    @app.post("/handoffs", dependencies=[Depends(assistant)], status_code=201)
    def new_handoff(ticket: TicketIn, session: Session = Depends(database, scope="function")):
        handoff = open_handoff(session, ticket.model_dump(), tool.name)
        return {"id": handoff.id, "waiting_ahead": waiting_ahead(session, handoff)}

    @app.post("/handoffs/{handoff_id}/rating", dependencies=[Depends(assistant)], status_code=204)
    def rating(handoff_id: str, body: Rating, session: Session = Depends(database, scope="function")):
        rate(session, handoff_id, body.solved)

    # ---- The agents' tool ----------------------------------------------------------------------

    def received(headers: Dict[str, str], body: bytes) -> int:
        try:
            events = tool.callback(headers, body)
        except SignatureError as error:
            logger.warning("refused a %s callback: %s", tool.name, error)
            raise HTTPException(401, "invalid signature") from None
        except ValueError as error:  # signed, but not what the tool documents
            logger.warning("unreadable %s callback: %s", tool.name, error)
            raise HTTPException(400, "unreadable callback") from None
        with sessions.begin() as session:
            for event in events:
                apply(session, tool.name, event)
        return len(events)

    @app.post("/callbacks/{tool_name}")
    async def callback(tool_name: str, request: Request):
        if tool_name != tool.name:
            raise HTTPException(404, "no such tool here")
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        # The database work off the event loop, like the other (sync) routes.
        return {"received": await run_in_threadpool(received, headers, body)}

    # ---- The reference desk ----------------------------------------------------------------------

    if tool.name != "desk":
        return app

    photos = None
    if settings.orders_api_token:
        photos = OrderPhotos(settings.orders_api_url, settings.orders_api_token, settings.orders_api_timeout_s)
    else:
        logger.warning("ORDERS_API_TOKEN is not set: the desk shows no return photos")

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/desk", status_code=303)

    def desk_page(template: str, **extra: str) -> HTMLResponse:
        """A page of the desk in support's language (handoff/wording.yml, desk_page)."""
        words = {**WORDING["desk_page"], **extra, "lang": support_language()}
        page = Template((HERE / "templates" / template).read_text())
        return HTMLResponse(page.substitute({key: html.escape(str(value)) for key, value in words.items()}),
                            headers={"Content-Security-Policy": DESK_POLICY, "Referrer-Policy": "same-origin"})

    @app.get("/desk/login", response_class=HTMLResponse)
    def login_page(error: str = ""):
        return desk_page("login.html", error=WORDING["desk_page"]["wrong_login"] if error else "")

    @app.post("/desk/login")
    def login(request: Request, login: str = Form(""), password: str = Form(""),
              session: Session = Depends(database, scope="function")):
        name = agents.authenticate(settings.agents_file, login, password) if login and password else None
        if name is None:
            return RedirectResponse("/desk/login?error=1", status_code=303)
        session.execute(delete(DeskSession).where(DeskSession.expires_at < now()))
        token = secrets.token_urlsafe(32)
        session.add(DeskSession(token=_hashed(token), agent_login=login,
                                expires_at=now() + timedelta(hours=SESSION_HOURS)))
        response = RedirectResponse("/desk", status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    @app.post("/desk/logout")
    def logout(request: Request, session: Session = Depends(database, scope="function")):
        token = request.cookies.get(SESSION_COOKIE)
        if token and (desk_session := session.get(DeskSession, _hashed(token))):
            session.delete(desk_session)
        response = RedirectResponse("/desk/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/desk", response_class=HTMLResponse)
    def desk(request: Request, session: Session = Depends(database, scope="function")):
        try:
            agent(request, session)
        except HTTPException:
            return RedirectResponse("/desk/login", status_code=303)
        return desk_page("desk.html")

    @app.get("/desk/static/{name}")
    def static(name: str):
        path = HERE / "static" / name
        if name not in ("desk.js", "desk.css") or not path.exists():
            raise HTTPException(404)
        return FileResponse(path)

    def agent_name(desk_session: DeskSession) -> str:
        return agents.load(settings.agents_file).get(desk_session.agent_login, {}).get("name", desk_session.agent_login)

    def found(session: Session, handoff_id: str) -> Handoff:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            raise HTTPException(404, "no such conversation")
        return handoff

    @app.get("/desk/api/me")
    def me(desk_session: DeskSession = Depends(agent)):
        return {"login": desk_session.agent_login, "name": agent_name(desk_session)}

    @app.get("/desk/api/handoffs")
    def queue(desk_session: DeskSession = Depends(agent), session: Session = Depends(database, scope="function")):
        """Open conversations, the longest waiting first, then the latest ended ones."""
        moment = now()
        return [desk_view.queue_item(h, moment) for h in on_desk(session)]

    @app.get("/desk/api/handoffs/{handoff_id}")
    def conversation(handoff_id: str, desk_session: DeskSession = Depends(agent),
                     session: Session = Depends(database, scope="function")):
        return desk_view.conversation(found(session, handoff_id), now())

    def order_on_desk(handoff_id: str) -> Optional[str]:
        """The order a conversation the desk shows is about; None for any other conversation.
        A short transaction of its own: the order backend is asked after it, with no database
        connection held meanwhile."""
        with sessions() as session:
            shown = next((h for h in on_desk(session) if h.id == handoff_id), None)
            return desk_view.order_of(shown) if shown else None

    @app.get("/desk/api/handoffs/{handoff_id}/photos")
    def return_photos(handoff_id: str, desk_session: DeskSession = Depends(agent)):
        """The return photos of the order the conversation is about; apart from the conversation,
        which must not wait on the order backend, and asked for less often."""
        order = order_on_desk(handoff_id)
        if order is None or photos is None:
            return desk_view.NO_PHOTOS
        try:
            listed = photos.of_order(order)
        except PhotosError as error:
            logger.warning("return photos not listed for the desk: %s", error)
            return desk_view.photos_unavailable()
        return desk_view.photos(handoff_id, listed)

    @app.get("/desk/photos/{photo_id}", response_class=Response)
    def photo(photo_id: Annotated[str, PathParameter(pattern=r"^[0-9a-f]{32}$")],
              handoff: Annotated[str, Query(max_length=64)], size: Literal["full", "thumb"] = "full",
              desk_session: DeskSession = Depends(agent)):
        """A photo of the order of a conversation the desk shows (`handoff`), and no other: the
        order backend lists the order's photos, and only one of them is fetched."""
        order = order_on_desk(handoff)
        if order is None or photos is None:
            raise HTTPException(404, "no such photo")
        try:
            jpeg = photos.jpeg(photo_id, thumbnail=size == "thumb") if any(
                p.id == photo_id for p in photos.of_order(order)) else None
        except PhotosError as error:
            logger.warning("return photo not served to the desk: %s", error)
            raise HTTPException(503, "the order system isn't answering") from None
        if jpeg is None:
            raise HTTPException(404, "no such photo")
        return Response(jpeg, media_type=inert_photos.MEDIA_TYPE, headers=inert_photos.HEADERS)

    @app.post("/desk/api/handoffs/{handoff_id}/reply", status_code=201)
    def reply(handoff_id: str, body: Reply, desk_session: DeskSession = Depends(agent),
              session: Session = Depends(database, scope="function")):
        message = agent_says(session, found(session, handoff_id), body.text, agent_name(desk_session))
        session.flush()
        return {"id": message.id}

    @app.post("/desk/api/handoffs/{handoff_id}/resolve", status_code=204)
    def resolve(handoff_id: str, desk_session: DeskSession = Depends(agent),
                session: Session = Depends(database, scope="function")):
        end(session, found(session, handoff_id), RESOLVED, agent_name(desk_session))
        return Response(status_code=204)

    @app.post("/desk/api/handoffs/{handoff_id}/give-back", status_code=204)
    def give_back(handoff_id: str, desk_session: DeskSession = Depends(agent),
                  session: Session = Depends(database, scope="function")):
        end(session, found(session, handoff_id), GIVEN_BACK, agent_name(desk_session))
        return Response(status_code=204)

    return app


def _hashed(token: str) -> str:
    """Sessions are stored by their token's hash: a copy of the database opens no desk."""
    return hashlib.sha256(token.encode()).hexdigest()
