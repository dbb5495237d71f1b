"""What the demo shop's order pages show: a customer's orders, one order's details, the steps
of a return and a message to the seller, with the menus and buttons named as the brand profile
names them (the assistant's answers send customers to them by those names).

Each function returns a page's content (the layout adds the rest); everything from the order
backend is escaped.
"""
import html
from datetime import datetime
from pathlib import Path
from string import Template
from typing import Dict, List, Optional

from brand.profile import BUTTONS, MENUS
from brand.profile import read as read_profile

TEMPLATES = Path(__file__).parent / "templates"
PAYMENT = {"pending": "Waiting for the bank's confirmation", "declined": "Declined by the bank"}
REASONS = {"repair": "repair", "withdrawal": "withdrawal (cancellation)"}


def template(name: str) -> Template:
    return Template((TEMPLATES / f"{name}.html").read_text())


def website_names(profile: Path) -> Dict[str, str]:
    """menus.my_orders -> "Purchases", buttons.print_label -> "Get my label", ... by key."""
    names = read_profile(profile).names
    return {**{key: names[f"brand_menu_{key}"] for key in MENUS},
            **{key: names[f"brand_button_{key}"] for key in BUTTONS}}


def day(iso: Optional[str]) -> str:
    # Python 3.10's fromisoformat doesn't read a "Z" suffix.
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%d %b %Y") if iso else ""


def items(order: dict) -> str:
    return ", ".join(item["name"] for item in order["items"])


def _link(href: str, text: str) -> str:
    return f'<a class="button" href="{html.escape(href)}">{html.escape(text)}</a>'


def seller_buttons(names: Dict[str, str], number: str) -> str:
    return " ".join((_link(f"/orders/{number}/seller?about=help", names["ask_for_help"]),
                     _link(f"/orders/{number}/seller", names["contact_seller"])))


def _order_entry(order: dict, actions: str) -> str:
    return (f'      <li class="order"><h2>Order #{html.escape(order["number"])}</h2>'
            f'<p>{html.escape(items(order))} · placed {html.escape(day(order["placed_at"]))}</p>'
            f'<p class="actions">{actions}</p></li>')


def my_orders(names: Dict[str, str], customer: str, orders: List[dict]) -> str:
    """The list of a customer's orders: each with its details and the seller's buttons."""
    entries = "\n".join(
        _order_entry(o, _link(f"/orders/{o['number']}", names["order_details"]) + " " + seller_buttons(names, o["number"]))
        for o in orders)
    return template("orders").substitute(heading=html.escape(names["my_orders"]), name=html.escape(customer),
                                         orders=entries or '      <li>No orders yet.</li>')


def account(names: Dict[str, str], customer: str, orders: List[dict]) -> str:
    """The menu where a return starts, and each order's details."""
    entries = "\n".join(_order_entry(o, _link(f"/orders/{o['number']}", names["order_details"])) for o in orders)
    return template("account").substitute(heading=html.escape(names["orders"]), name=html.escape(customer),
                                          get_help=html.escape(names["get_help"]),
                                          orders=entries or '      <li>No orders yet.</li>')


def _payment(order: dict) -> str:
    if order["payment_state"] == "authorised":
        return f"Confirmed {day(order['confirmed_at'])}" if order.get("confirmed_at") else "Confirmed"
    return PAYMENT[order["payment_state"]]


def _delivery(order: dict) -> str:
    shipment = order.get("shipment")
    if not shipment:
        return "Not shipped yet"
    if shipment.get("delivered_at"):
        state = f"delivered {day(shipment['delivered_at'])}"
    elif shipment.get("estimated_delivery_at"):
        state = f"expected {day(shipment['estimated_delivery_at'])}"
    else:
        state = "on its way"
    said = f"Shipped {day(shipment['shipped_at'])} with {shipment['carrier']}, {state}"
    return f'{html.escape(said)} {_link(shipment["tracking_url"], "Track parcel")}'


def _return(names: Dict[str, str], order: dict) -> str:
    if not order["returns"]:
        return ""
    sent_back = order["returns"][-1]
    facts = [html.escape(f"For {REASONS[sent_back['reason']]}, asked for on {day(sent_back['help_requested_at'])}")]
    if sent_back.get("label_url"):
        facts.append(_link(sent_back["label_url"], names["print_label"]))
    if sent_back.get("tracking_url"):
        facts.append(html.escape(f"sent {day(sent_back['shipped_at'])}") + " "
                     + _link(sent_back["tracking_url"], "Track return"))
    if sent_back.get("received_at"):
        facts.append(html.escape(f"received by the seller {day(sent_back['received_at'])}"))
    if sent_back["refund_state"] == "pending":
        facts.append("refund pending")
    elif sent_back["refund_state"] == "refunded":
        facts.append(html.escape(f"refunded {sent_back['refund_amount']} {sent_back['refund_currency']} "
                                 f"{day(sent_back['refunded_at'])}"))
    return f'      <dt>Return</dt><dd>{" · ".join(facts)}</dd>'


def order_details(names: Dict[str, str], order: dict) -> str:
    """One order: payment, delivery and its tracking, a return and its label, the seller."""
    return template("order").substitute(
        number=html.escape(order["number"]), order_details=html.escape(names["order_details"]),
        placed=html.escape(day(order["placed_at"])), seller=html.escape(order["seller"]["name"]),
        items=html.escape(items(order)), payment=html.escape(_payment(order)), delivery=_delivery(order),
        return_facts=_return(names, order), seller_buttons=seller_buttons(names, order["number"]))


def return_steps(names: Dict[str, str], orders: List[dict]) -> str:
    """The item and the reason, then the confirmation."""
    choices = "\n".join(
        f'        <label><input type="radio" name="order" value="{html.escape(o["number"])}" required> '
        f'{html.escape(items(o))} (order #{html.escape(o["number"])})</label>' for o in orders)
    return template("returns").substitute(heading=html.escape(names["get_help"]),
                                          choices=choices or "        <p>No orders to send back.</p>")


def return_confirmation(names: Dict[str, str], order: dict, reason: str) -> str:
    """"All set for your return", with the label when the order has one."""
    label_url = next((r["label_url"] for r in reversed(order["returns"]) if r.get("label_url")), None)
    if label_url:
        label = ("    <p>Your prepaid return label is ready: download it, print it and stick it to your package.</p>\n"
                 f"    <p>{_link(label_url, names['print_label'])}</p>")
    else:
        label = ("    <p>Your return label isn't ready yet: we'll reach out to you within 1 business day with a "
                 "return label and any other instructions you need to follow.</p>")
    return template("return_confirmation").substitute(
        item=html.escape(items(order)), number=html.escape(order["number"]), reason=html.escape(REASONS[reason]),
        label=label)


def seller_message(names: Dict[str, str], order: dict, about_help: bool) -> str:
    """A message to the seller, from "Ask for help" or "Contact my seller" (not sent: a demo)."""
    button = names["ask_for_help"] if about_help else names["contact_seller"]
    return template("seller_message").substitute(
        heading=html.escape(f"{button}: order #{order['number']}"), item=html.escape(items(order)),
        seller=html.escape(order["seller"]["name"]), about="help" if about_help else "")
