"""The handoff service's HTTP API: the action server opens handoffs and stores ratings (bearer
token), the agents' tool calls back (its signature checked by its adapter), and agents use the
reference desk (login, then a session cookie), where they also see the return photos of the
order a conversation is about, through the service (the order backend's token stays here)."""
import hashlib
import html
import json
import logging
import re
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Annotated, Any, Callable, Dict, List, Literal, Optional, Tuple

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
from handoff.settings import ROOT, Settings, support_language
from handoff.store import GIVEN_BACK, RESOLVED, DeskSession, Handoff, aware, now, on_desk
from handoff.tools.base import AgentTool, SignatureError
from handoff.wording import WORDING, handoff_note_words
from insights import figures, review

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_COOKIE = "desk_session"
SESSION_HOURS = 12
# The desk's pages load only their own script, style sheet and photos, and talk only to the
# service: a script injected into a conversation's text could neither run nor send anything out.
DESK_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# The desk's scripts and style sheet; the insights' charts are Chart.js, bundled by `make install`
# (web/, npm) with the widget.
STATIC = {"desk.js": HERE / "static" / "desk.js", "desk.css": HERE / "static" / "desk.css",
          "review.js": HERE / "static" / "review.js", "insights.js": ROOT / "web" / "dist" / "desk-insights.js"}
DOMAIN_FILE = ROOT / "domain.yml"  # the assistant's intents: what a misunderstood message may be labelled
DEFAULT_DAYS = 7  # the insights' range when none is asked for: the last week, today included (UTC)
MAX_DAYS = 366
A_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


class Labels(BaseModel):
    """Messages of the review queue and what they should have been read as: an intent,
    out_of_scope (an intent too), or review.DISCARDED."""

    items: List[int] = Field(max_length=review.SHOWN)
    label: str = Field(max_length=64)


class RangeError(ValueError):
    """A range of days the insights can't show, said in support's words."""


def days_asked(first: Optional[str], last: Optional[str]) -> Tuple[date, date]:
    """The insights' range: YYYY-MM-DD to YYYY-MM-DD, both included; by default the last
    DEFAULT_DAYS days, today (UTC) the last."""
    words = WORDING["insights_page"]
    try:
        end = _day(last) if last else now().date()
        start = _day(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise RangeError(words["bad_date"]) from None
    if start > end:
        raise RangeError(words["from_after_to"])
    if (end - start).days + 1 > MAX_DAYS:
        raise RangeError(words["too_long"].replace("{days}", str(MAX_DAYS)))
    return start, end


def _day(text: str) -> date:
    if not A_DAY.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _flat(prefix: str, words: Dict[str, Any]) -> Dict[str, str]:
    """A wording section's strings as a template's names: insights_charts_outcomes ..."""
    found = {}
    for key, value in words.items():
        if isinstance(value, dict):
            found.update(_flat(f"{prefix}_{key}", value))
        elif isinstance(value, str):
            found[f"{prefix}_{key}"] = value
    return found


def _page_data(data: Any) -> str:
    """JSON for a page's <script type="application/json">, which is never run (the desk's policy
    allows it) and which no text in it can close."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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

    # ---- The desk: its login, the conversations (HANDOFF_TOOL=desk), insights and review -----------

    # Team leads and agents on Chatwoot or Zendesk log in for the insights and the review queue;
    # the conversations themselves are the reference desk's only.
    conversations_here = tool.name == "desk"
    if not conversations_here and insights is None:
        return app

    def is_lead(desk_session: DeskSession) -> bool:
        return agents.role(settings.agents_file, desk_session.agent_login) == agents.LEAD

    def landing(login: str) -> str:
        """Where a login leads: the conversations, else what the agent's role may see."""
        if conversations_here:
            return "/desk"
        return "/desk/insights" if agents.role(settings.agents_file, login) == agents.LEAD else "/desk/review"

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/desk" if conversations_here else "/desk/review", status_code=303)

    page_words = {**WORDING["desk_page"], **_flat("insights", WORDING["insights_page"]),
                  **_flat("review", WORDING["review_page"])}

    def desk_page(template: str, status_code: int = 200, raw: Optional[Dict[str, str]] = None,
                  **extra: str) -> HTMLResponse:
        """A page of the desk in support's language (handoff/wording.yml); `raw`, markup made
        here from escaped words."""
        words = {**page_words, **extra, "lang": support_language()}
        page = Template((HERE / "templates" / template).read_text())
        values = {**{key: html.escape(str(value)) for key, value in words.items()}, **(raw or {})}
        if "page_links" in values:  # a page behind the login: the header every such page has
            values["header"] = Template((HERE / "templates" / "header.html").read_text()).substitute(values)
        return HTMLResponse(page.substitute(values), status_code=status_code,
                            headers={"Content-Security-Policy": DESK_POLICY, "Referrer-Policy": "same-origin"})

    def agent_name(desk_session: DeskSession) -> str:
        return agents.load(settings.agents_file).get(desk_session.agent_login, {}).get("name", desk_session.agent_login)

    def page_links(desk_session: DeskSession, here: str) -> str:
        """The header's links to the pages this agent may open, the current one marked."""
        words = WORDING["desk_page"]
        pages = [("/desk", words["conversations_page"])] if conversations_here else []
        if insights is not None:
            pages += [("/desk/insights", words["insights_page"])] if is_lead(desk_session) else []
            pages += [("/desk/review", words["review_page"])]
        current = ' aria-current="page"'
        return "".join(f'<li><a href="{href}"{current if href == here else ""}>{html.escape(name)}</a></li>'
                       for href, name in pages)

    def agents_page(template: str, desk_session: DeskSession, here: str, status_code: int = 200,
                    raw: Optional[Dict[str, str]] = None, **extra: str) -> HTMLResponse:
        """A page behind the login, with the header's links and who is logged in."""
        me = WORDING["desk_page"]["logged_in_as"].replace("{name}", agent_name(desk_session))
        return desk_page(template, status_code, {"page_links": page_links(desk_session, here), **(raw or {})},
                         me=me, **extra)

    def logged_in(request: Request, session: Session) -> Optional[DeskSession]:
        try:
            return agent(request, session)
        except HTTPException:
            return None

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
        response = RedirectResponse(landing(login), status_code=303)
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

    @app.get("/desk/static/{name}")
    def static(name: str):
        path = STATIC.get(name)
        if path is None or not path.exists():
            raise HTTPException(404)
        return FileResponse(path)

    @app.get("/desk/api/me")
    def me(desk_session: DeskSession = Depends(agent)):
        return {"login": desk_session.agent_login, "name": agent_name(desk_session),
                "role": agents.role(settings.agents_file, desk_session.agent_login)}

    if insights is not None:
        _insights_and_review(app, insights, agent, database, agents_page, logged_in, is_lead)

    if not conversations_here:
        return app

    # ---- The reference desk's conversations --------------------------------------------------------

    photos = None
    if settings.orders_api_token:
        photos = OrderPhotos(settings.orders_api_url, settings.orders_api_token, settings.orders_api_timeout_s)
    else:
        logger.warning("ORDERS_API_TOKEN is not set: the desk shows no return photos")

    @app.get("/desk", response_class=HTMLResponse)
    def desk(request: Request, session: Session = Depends(database, scope="function")):
        desk_session = logged_in(request, session)
        if desk_session is None:
            return RedirectResponse("/desk/login", status_code=303)
        return agents_page("desk.html", desk_session, "/desk")

    def found(session: Session, handoff_id: str) -> Handoff:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            raise HTTPException(404, "no such conversation")
        return handoff

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


def _insights_and_review(app: FastAPI, insights: sa.engine.Engine, agent: Callable, database: Callable,
                         agents_page: Callable, logged_in: Callable, is_lead: Callable) -> None:
    """/desk/insights (team leads) and /desk/review (every agent): thin routes over
    insights/figures.py and insights/review.py, on the insights database. Sync routes: FastAPI
    runs them, database work included, in its thread pool."""
    intents = review.assistant_intents(DOMAIN_FILE)
    note = handoff_note_words(support_language())
    names = {"reasons": note["reasons"], "topics": note["topics"], "languages": note["languages"],
             "channels": WORDING["desk"]["channels"]}

    def lead(desk_session: DeskSession = Depends(agent)) -> DeskSession:
        if not is_lead(desk_session):
            raise HTTPException(403, WORDING["desk_page"]["leads_only"])
        return desk_session

    def refused(error: Exception) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(error)})

    @app.get("/desk/insights", response_class=HTMLResponse)
    def insights_page(request: Request, start: Optional[str] = Query(None, alias="from"),
                      end: Optional[str] = Query(None, alias="to"),
                      session: Session = Depends(database, scope="function")):
        desk_session = logged_in(request, session)
        if desk_session is None:
            return RedirectResponse("/desk/login", status_code=303)
        if not is_lead(desk_session):
            return agents_page("leads_only.html", desk_session, "/desk/insights", status_code=403)
        try:
            first, last = days_asked(start, end)
        except RangeError:  # the page opens on the default range; the form says what is wrong
            first, last = days_asked(None, None)
        words = {**WORDING["insights_page"], **names}
        return agents_page("insights.html", desk_session, "/desk/insights", raw={"page_data": _page_data(words)},
                           first=first.isoformat(), last=last.isoformat(), today=now().date().isoformat())

    def over_days(start: Optional[str], end: Optional[str], compute: Callable[..., Any]) -> Any:
        """What `compute(connection, first, last)` makes of the range asked; a range it can't be is a 400."""
        try:
            first, last = days_asked(start, end)
        except RangeError as error:
            return refused(error)
        with insights.connect() as connection:
            return compute(connection, first, last)

    @app.get("/desk/api/insights")
    def insights_figures(start: Optional[str] = Query(None, alias="from"),
                         end: Optional[str] = Query(None, alias="to"),
                         desk_session: DeskSession = Depends(lead)):
        return over_days(start, end, figures.summary)

    @app.get("/desk/api/insights.csv")
    def insights_csv(start: Optional[str] = Query(None, alias="from"),
                     end: Optional[str] = Query(None, alias="to"),
                     desk_session: DeskSession = Depends(lead)):
        return over_days(start, end, lambda connection, first, last: Response(
            figures.as_csv(connection, first, last), media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="insights-{first.isoformat()}-{last.isoformat()}.csv"'}))

    @app.get("/desk/review", response_class=HTMLResponse)
    def review_page(request: Request, session: Session = Depends(database, scope="function")):
        desk_session = logged_in(request, session)
        if desk_session is None:
            return RedirectResponse("/desk/login", status_code=303)
        words = {**WORDING["review_page"], "languages": names["languages"], "channels": names["channels"]}
        return agents_page("review.html", desk_session, "/desk/review", raw={"page_data": _page_data(words)})

    @app.get("/desk/api/review")
    def review_queue(language: Optional[str] = Query(None, max_length=8), desk_session: DeskSession = Depends(agent)):
        with insights.connect() as connection:
            return {**review.queue(connection, language or None), "intents": intents}

    @app.post("/desk/api/review/label")
    def review_label(body: Labels, desk_session: DeskSession = Depends(agent)):
        try:
            with insights.begin() as connection:
                labelled = review.label(connection, body.items, body.label, desk_session.agent_login, intents)
        except review.ReviewError as error:
            return refused(error)
        return {"labelled": labelled}


def _hashed(token: str) -> str:
    """Sessions are stored by their token's hash: a copy of the database opens no desk."""
    return hashlib.sha256(token.encode()).hexdigest()
