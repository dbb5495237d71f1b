"""The demo shop's pages: home, log in / log out, a customer's orders and account (shop/
order_pages.py), and the widget's script.

A logged-in page gives the widget a short-lived token signed for the assistant (`sub` = the
customer id), so the assistant answers about that customer's orders without asking who they
are. Logged-out pages give none, and the assistant verifies by e-mail or postcode instead.
The menus and buttons have the names of the assistant's brand profile, so that a customer can
follow every answer that sends them somewhere ("Purchases" > "Order details").
"""
import html
import json
import secrets
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import httpx
import jwt
import yaml
from fastapi import FastAPI, Form, Path as PathParam, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from common.identifiers import ORDER_NUMBER_VALUE, is_order_number
from language.languages import load as load_languages
from shop import order_pages
from shop.order_pages import template
from shop.settings import Settings

HERE = Path(__file__).parent
SESSION_COOKIE = "shop_session"
SESSION_DAYS = 7
# A page that carries a customer token is never kept by the browser: Back after logging out
# fetches it again (and is sent to the login page) instead of showing the customer's page, token
# and all, to the next person at the computer. The login and logout redirects change who that
# is, so they are never kept either.
NEVER_STORED = {"Cache-Control": "no-store"}


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


def customer_language(accept_language: str) -> str:
    """The browser's most preferred language that the assistant speaks (Accept-Language), else
    its default: the shop's pages are English only, its assistant is not."""
    languages = load_languages()
    ranked = []
    for place, part in enumerate(accept_language.split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            ranked.append((-float(weight or 1), place, tag))
        except ValueError:
            continue
    for _, _, tag in sorted(ranked):
        if languages.known(tag):
            return languages.known(tag)
    return languages.default


def _script_json(value: dict) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close it early."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="Demo shop", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    customers = demo_customers(settings.seed_file)
    names = order_pages.website_names(settings.brand_profile)

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
            menus = [f'<a href="/orders">{html.escape(names["my_orders"])}</a>']
            if names["orders"] != names["my_orders"]:
                menus.append(f'<a href="/account">{html.escape(names["orders"])}</a>')
            nav = (f'<span>Hi {html.escape(customers[customer_id].split()[0])}</span>{"".join(menus)}'
                   '<form method="post" action="/logout"><button type="submit">Log out</button></form>')
        else:
            nav = '<a href="/login">Log in</a>'
        # The widget's title, greeting and topics come from the assistant's brand profile.
        widget = {"serverUrl": settings.assistant_url,
                  "language": customer_language(request.headers.get("accept-language", "")),
                  "colors": {"primary": "#0b6e4f", "onPrimary": "#ffffff"}}
        if customer_id:
            widget["customerToken"] = customer_token(settings, customer_id)
        nonce = secrets.token_urlsafe(16)
        body = template("layout").substitute(
            title=html.escape(title), nav=nav, content=content, nonce=nonce, widget_config=_script_json(widget))
        assistant = settings.assistant_url
        websocket = assistant.replace("https://", "wss://").replace("http://", "ws://")
        photos = settings.photos_url
        # A strict policy: only our own scripts and the config above (by nonce), and only the
        # assistant and the return photos' links as connections. The widget needs nothing more
        # (its styles are adopted style sheets, which a policy does not block); a photo just
        # chosen shows from a blob: URL while it is checked.
        policy = (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
                  f"connect-src 'self' {assistant} {websocket} {photos}; img-src 'self' https: data: blob: {photos}; "
                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        headers = {"Content-Security-Policy": policy, "Referrer-Policy": "same-origin"}
        return HTMLResponse(body, status, headers={**headers, **(NEVER_STORED if customer_id else {})})

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return page(request, "Refurbished electronics", template("home").substitute())

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request):
        choices = "\n".join(
            f'      <button type="submit" name="customer" value="{html.escape(cid)}">'
            f'Log in as <strong>{html.escape(name)}</strong></button>'
            for cid, name in customers.items())
        return page(request, "Log in", template("login").substitute(choices=choices))

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

    def unavailable(request: Request, heading: str) -> HTMLResponse:
        content = template("error").substitute(
            heading=html.escape(heading), message="Your orders can't be shown right now. Please try again in a minute.")
        return page(request, heading, content, status=503)

    def customers_order(customer_id: str, number: str) -> Optional[dict]:
        """The order, if it is this customer's (others' are "not found", not "forbidden")."""
        try:
            order = fetch_order(settings, number)
        except httpx.HTTPStatusError as error:
            if error.response.status_code == 404:
                return None
            raise
        return order if order["customer"]["id"] == customer_id else None

    def not_found(request: Request) -> HTMLResponse:
        content = template("error").substitute(heading="Order not found",
                                                           message="There is no such order in your account.")
        return page(request, "Order not found", content, status=404)

    def orders_page(request: Request, menu: str, content: Callable[[str, List[dict]], str]):
        """A logged-in page about the customer's orders, titled by one of the profile's menus."""
        customer_id = logged_in(request)
        if not customer_id:
            return RedirectResponse("/login", status_code=303)
        try:
            orders = fetch_orders(settings, customer_id)
        except httpx.HTTPError:
            return unavailable(request, names[menu])
        return page(request, names[menu], content(customer_id, orders))

    @app.get("/orders", response_class=HTMLResponse)
    def my_orders(request: Request):
        return orders_page(request, "my_orders",
                           lambda customer_id, orders: order_pages.my_orders(names, customers[customer_id], orders))

    @app.get("/account", response_class=HTMLResponse)
    def account(request: Request):
        return orders_page(request, "orders",
                           lambda customer_id, orders: order_pages.account(names, customers[customer_id], orders))

    def one_order_page(request: Request, number: str, menu: str, title: str, content: Callable[[dict], str]):
        """A logged-in page about one of the customer's orders (404 for anyone else's)."""
        customer_id = logged_in(request)
        if not customer_id:
            return RedirectResponse("/login", status_code=303)
        try:
            order = customers_order(customer_id, number)
        except httpx.HTTPError:
            return unavailable(request, names[menu])
        if order is None:
            return not_found(request)
        return page(request, title, content(order))

    @app.get("/orders/{number}", response_class=HTMLResponse)
    def order_details(request: Request, number: str = PathParam(pattern=ORDER_NUMBER_VALUE)):
        return one_order_page(request, number, "order_details", f"Order #{number}",
                              lambda order: order_pages.order_details(names, order))

    @app.get("/returns", response_class=HTMLResponse)
    def return_steps(request: Request):
        return orders_page(request, "get_help", lambda customer_id, orders: order_pages.return_steps(names, orders))

    @app.get("/returns/confirmation", response_class=HTMLResponse)
    def return_confirmation(request: Request, order: str = "", reason: str = ""):
        if logged_in(request) and (reason not in order_pages.REASONS or not is_order_number(order)):
            return RedirectResponse("/returns", status_code=303)
        return one_order_page(request, order, "get_help", "All set for your return",
                              lambda found: order_pages.return_confirmation(names, found, reason))

    @app.get("/orders/{number}/seller", response_class=HTMLResponse)
    def seller_message(request: Request, number: str = PathParam(pattern=ORDER_NUMBER_VALUE), about: str = ""):
        return one_order_page(request, number, "contact_seller", f"Order #{number}",
                              lambda order: order_pages.seller_message(names, order, about == "help"))

    @app.post("/orders/{number}/seller", response_class=HTMLResponse)
    def seller_message_not_sent(request: Request, number: str = PathParam(pattern=ORDER_NUMBER_VALUE)):
        if not logged_in(request):
            return RedirectResponse("/login", status_code=303)
        content = template("notice").substitute(
            heading="Your message was not sent",
            message="This is a demo shop: messages to sellers are not sent anywhere. On the marketplace, the "
                    "seller would get it and answer you by e-mail.",
            back=f"/orders/{number}", back_label=f"Back to order #{number}")
        return page(request, "Message not sent", content)

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


def _from_backend(settings: Settings, path: str):
    response = httpx.get(f"{settings.orders_api_url}{path}",
                         headers={"Authorization": f"Bearer {settings.orders_api_token}"}, timeout=5)
    response.raise_for_status()
    return response.json()


def fetch_orders(settings: Settings, customer_id: str) -> List[dict]:
    return _from_backend(settings, f"/customers/{customer_id}/orders")


def fetch_order(settings: Settings, number: str) -> dict:
    return _from_backend(settings, f"/orders/{number}")
