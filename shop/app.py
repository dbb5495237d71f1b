"""The demo shop's pages: home, log in / log out, "My orders", and the widget's script.

A logged-in page gives the widget a short-lived token signed for the assistant (`sub` = the
customer id), so the assistant answers about that customer's orders without asking who they
are. Logged-out pages give none, and the assistant verifies by e-mail or postcode instead.
"""
import html
import json
import secrets
import time
from datetime import datetime
from pathlib import Path
from string import Template
from typing import Dict, List, Optional

import httpx
import jwt
import yaml
from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from shop.settings import Settings

HERE = Path(__file__).parent
SESSION_COOKIE = "shop_session"
SESSION_DAYS = 7
# A page that carries a customer token is never kept by the browser: Back after logging out
# fetches it again (and is sent to the login page) instead of showing the customer's page, token
# and all, to the next person at the computer. The login and logout redirects change who that
# is, so they are never kept either.
NEVER_STORED = {"Cache-Control": "no-store"}


def _template(name: str) -> Template:
    return Template((HERE / "templates" / f"{name}.html").read_text())


def demo_customers(seed_file: Path) -> Dict[str, str]:
    """Customer id -> full name, from the order backend's demo data."""
    seed = yaml.safe_load(seed_file.read_text())
    return {customer["id"]: customer["full_name"] for customer in seed["customers"]}


def customer_token(settings: Settings, customer_id: str) -> str:
    now = int(time.time())
    claims = {"sub": customer_id, "aud": settings.customer_token_audience, "iat": now,
              "exp": now + 60 * settings.customer_token_minutes}
    if settings.customer_token_private_key:
        return jwt.encode(claims, settings.customer_token_private_key, algorithm="RS256")
    return jwt.encode(claims, settings.customer_token_secret, algorithm="HS256")


def _date(iso: str) -> str:
    # Python 3.10's fromisoformat doesn't read a "Z" suffix.
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%d %b %Y")


def _script_json(value: dict) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close it early."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="Demo shop", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    customers = demo_customers(settings.seed_file)

    def logged_in(request: Request) -> Optional[str]:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        try:
            customer_id = jwt.decode(cookie, settings.session_secret, algorithms=["HS256"])["sub"]
        except (jwt.InvalidTokenError, KeyError):
            return None
        return customer_id if customer_id in customers else None

    def page(request: Request, title: str, content: str, status: int = 200) -> HTMLResponse:
        customer_id = logged_in(request)
        if customer_id:
            nav = (f'<span>Hi {html.escape(customers[customer_id].split()[0])}</span>'
                   '<a href="/orders">My orders</a>'
                   '<form method="post" action="/logout"><button type="submit">Log out</button></form>')
        else:
            nav = '<a href="/login">Log in</a>'
        # The widget's title, greeting and topics come from the assistant's brand profile.
        widget = {"serverUrl": settings.assistant_url, "language": "en",
                  "colors": {"primary": "#0b6e4f", "onPrimary": "#ffffff"}}
        if customer_id:
            widget["customerToken"] = customer_token(settings, customer_id)
        nonce = secrets.token_urlsafe(16)
        body = _template("layout").substitute(
            title=html.escape(title), nav=nav, content=content, nonce=nonce, widget_config=_script_json(widget))
        assistant = settings.assistant_url
        websocket = assistant.replace("https://", "wss://").replace("http://", "ws://")
        # A strict policy: only our own scripts and the config above (by nonce), and only the
        # assistant as a connection. The widget needs nothing more (its styles are adopted
        # style sheets, which a policy does not block).
        policy = (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
                  f"connect-src 'self' {assistant} {websocket}; img-src 'self' https: data:; "
                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        headers = {"Content-Security-Policy": policy, "Referrer-Policy": "same-origin"}
        return HTMLResponse(body, status, headers={**headers, **(NEVER_STORED if customer_id else {})})

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return page(request, "Refurbished electronics", _template("home").substitute())

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request):
        choices = "\n".join(
            f'      <button type="submit" name="customer" value="{html.escape(cid)}">'
            f'Log in as <strong>{html.escape(name)}</strong></button>'
            for cid, name in customers.items())
        return page(request, "Log in", _template("login").substitute(choices=choices))

    @app.post("/login")
    def login(customer: str = Form(...)):
        if customer not in customers:
            return RedirectResponse("/login", status_code=303)
        response = RedirectResponse("/orders", status_code=303, headers=NEVER_STORED)
        session = jwt.encode({"sub": customer, "exp": int(time.time()) + SESSION_DAYS * 86400},
                             settings.session_secret, algorithm="HS256")
        response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_DAYS * 86400, httponly=True, samesite="lax")
        return response

    @app.post("/logout")
    def logout():
        response = RedirectResponse("/", status_code=303, headers=NEVER_STORED)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/orders", response_class=HTMLResponse)
    def my_orders(request: Request):
        customer_id = logged_in(request)
        if not customer_id:
            return RedirectResponse("/login", status_code=303)
        try:
            orders = fetch_orders(settings, customer_id)
        except httpx.HTTPError:
            content = _template("error").substitute(
                heading="My orders", message="Your orders can't be shown right now. Please try again in a minute.")
            return page(request, "My orders", content, status=503)
        rows = "\n".join(
            f'        <tr><td>#{html.escape(o["number"])}</td>'
            f'<td>{html.escape(_date(o["placed_at"]))}</td>'
            f'<td>{html.escape(", ".join(item["name"] for item in o["items"]))}</td></tr>'
            for o in orders) or '        <tr><td colspan="3">No orders yet.</td></tr>'
        content = _template("orders").substitute(name=html.escape(customers[customer_id]), rows=rows)
        return page(request, "My orders", content)

    @app.get("/widget/support-chat.js")
    def widget_script():
        if not settings.widget_file.exists():
            return Response("// the widget is not built: run `make web`\n", 404, media_type="text/javascript")
        return FileResponse(settings.widget_file, media_type="text/javascript",
                            headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app


def fetch_orders(settings: Settings, customer_id: str) -> List[dict]:
    response = httpx.get(f"{settings.orders_api_url}/customers/{customer_id}/orders",
                         headers={"Authorization": f"Bearer {settings.orders_api_token}"}, timeout=5)
    response.raise_for_status()
    return response.json()
