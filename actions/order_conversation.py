"""The conversation about a customer's order or return: what the assistant does next.

Plain Python. The facts of the conversation in (the question, the customer's own words,
the order number given or remembered, who is logged in, what was proved, what the
assistant asked last, and what the backend said once asked); one step out: answer with the
help centre's rule, ask for the order number, ask which order, ask for the e-mail or
postcode, look the order up and answer, stop trying, or leave the message to the rule
that answers it. The Rasa action does the I/O a step asks for (LIST_ORDERS, VERIFY,
ANSWER), puts what it learnt into the facts and asks again; domain.yml says the words.

The assistant answers before it asks: a general question gets the rule at once with an
offer to make it exact, and only "where is it?" needs the order first. When it has just
asked something, the customer's reply is read as the answer to that question, whatever
NLU made of it.
"""
from dataclasses import dataclass, replace
from typing import Optional, Tuple

from actions.named_orders import fits, order_picked, orders_named
from actions.orders_client import INVALID, NOT_FOUND, TOO_MANY_ATTEMPTS, OrderSummary
from actions.replies import DOESNT_HAVE, NO, YES, digits_in, reply_kind, upset, wants_person

ORDER_TOPICS = ("track_order", "shipping_time", "order_late", "order_not_confirmed")
RETURN_TOPICS = ("return_item", "return_label", "return_deadline", "return_status", "refund_status")
TOPICS = ORDER_TOPICS + RETURN_TOPICS
# The one question the help centre's rule can't answer: where *this* parcel is.
NEEDS_THE_ORDER = ("track_order",)
# Messages NLU gave to another rule: ours only when they answer what the assistant asked.
PASSED_ON = ("nlu_fallback", "out_of_scope", "missing_package")
# Failed e-mail or postcode checks in one conversation before the assistant stops trying
# (the backend also stops after as many per order number per hour).
MAX_VERIFICATION_FAILURES = 5
# How many orders are offered as buttons at most.
ORDER_CHOICES = 3

# What the assistant's previous message asked (Facts.asked).
ORDER_NUMBER = "order_number"
VERIFICATION = "verification"
WHICH_ORDER = "which_order"
OFFER = "offer"  # "Tell me your order number ... and I'll give you the date for your order"

# Steps. Those up to UNAVAILABLE are also `order_situation` values (domain.yml).
GENERAL = "general"  # the help centre's rule for the question, and the offer
ASK_ORDER_NUMBER = "ask_order_id"
CHOOSE_ORDER = "choose_order"  # said as choose_order_2 or choose_order_3
ASK_VERIFICATION = "ask_verification"
LOCKED = "verification_locked"
NOTHING_MORE = "nothing_more"
OFFER_PERSON = "offer_person"
UNAVAILABLE = "unavailable"
PASS = "pass"  # not an answer to us: the message's own rule answers it
# Steps that need the backend: the action does them and asks again.
LIST_ORDERS = "list_orders"  # the logged-in customer's orders
VERIFY = "verify"  # is this e-mail or postcode the order's?
ANSWER = "answer"  # look the order up and answer about it

_QUESTIONS = {ASK_ORDER_NUMBER: ORDER_NUMBER, ASK_VERIFICATION: VERIFICATION, GENERAL: OFFER}

# Why a question is asked again (`order_lookup`).
MISMATCH = "mismatch"
MISMATCH_EMAIL = "mismatch_email"
REQUESTED = "requested"  # they want the exact answer: the number, please


@dataclass(frozen=True)
class Facts:
    intent: Optional[str]  # NLU's reading of the latest message
    text: str = ""  # the latest message as typed
    topic: Optional[str] = None  # what the conversation was about so far
    asked: Optional[str] = None  # what the assistant's previous message asked, if anything
    number_given: Optional[str] = None  # an order number in the latest message
    remembered: Optional[str] = None  # the order the conversation is about
    remembered_things: Tuple[str, ...] = ()  # its items' names and kinds
    customer: Optional[str] = None  # logged in on the website
    verified_order: Optional[str] = None  # the order an anonymous customer proved is theirs
    failures: int = 0  # failed e-mail or postcode checks so far
    email: Optional[str] = None  # in the latest message
    postcode: Optional[str] = None  # the latest message, read as a postcode
    devices: Tuple[str, ...] = ()  # devices named in the latest message
    offered: Tuple[str, ...] = ()  # order numbers the previous message offered as buttons
    # What the backend said, once a step asked it (None: not asked).
    customer_orders: Optional[Tuple[OrderSummary, ...]] = None
    verified: Optional[bool] = None
    lookup: Optional[str] = None  # the kind of OrdersError it answered with


@dataclass(frozen=True)
class Step:
    kind: str
    topic: str
    order: Optional[str] = None  # the order the conversation is about from now on
    lookup: Optional[str] = None  # why a question is asked again
    choices: Tuple[OrderSummary, ...] = ()
    verified_order: Optional[str] = None
    failures: int = 0


@dataclass(frozen=True)
class Meant:
    """The order a message is about: one, a few to choose from, or none known."""

    number: Optional[str] = None
    candidates: Tuple[OrderSummary, ...] = ()


def may_see(owner: str, number: str, customer: Optional[str], verified_order: Optional[str]) -> bool:
    """Who may see an order: the logged-in customer who owns it, or an anonymous customer
    who showed in this conversation that it is theirs (its e-mail or delivery postcode)."""
    if customer:
        return owner == customer
    return number == verified_order


def question_of(situation: Optional[str]) -> Optional[str]:
    """What an utter_order_status situation asks the customer (Facts.asked)."""
    if situation and situation.startswith(CHOOSE_ORDER):
        return WHICH_ORDER
    return _QUESTIONS.get(situation)


def next_step(facts: Facts) -> Step:
    """What to do next, from what the conversation knows (steps that need the backend are
    asked again once the action has put what it learnt into the facts)."""
    f = facts
    if f.lookup:
        return _backend_refused(f)
    if f.failures >= MAX_VERIFICATION_FAILURES and (f.number_given or f.email or f.postcode):
        # Stopped trying: not even the right e-mail is checked any more in this conversation.
        return _step(f, LOCKED, _topic(f), order=None)
    new_question = f.intent in TOPICS
    if not new_question and (wants_person(f.text) or upset(f.text)):
        return _step(f, PASS if f.intent in PASSED_ON else OFFER_PERSON, _asked_topic(f))
    if f.customer and f.customer_orders is None and not f.number_given:
        return _step(f, LIST_ORDERS, _asked_topic(f))
    if f.asked:
        reply = _reply(f)
        if reply is not None:
            return reply
    if f.intent == "missing_package" or (f.intent in PASSED_ON and not _about_an_order(f)):
        return _step(f, PASS, _asked_topic(f))
    if not f.asked and f.intent in ("inform", "deny", "affirm") and not _about_an_order(f):
        # A yes, a no or a detail after an answer, not a question.
        return _step(f, NOTHING_MORE, _asked_topic(f))
    topic = _topic(f)
    meant = order_meant(f)
    if len(meant.candidates) > 1:
        return _step(f, CHOOSE_ORDER, topic, order=None, choices=meant.candidates)
    if meant.number is None:
        if topic in NEEDS_THE_ORDER or meant.candidates or digits_in(f.text):
            return _step(f, ASK_ORDER_NUMBER, topic, order=None, lookup=INVALID if digits_in(f.text) else None)
        return _step(f, GENERAL, topic, order=None)
    return _answer_or_verify(f, topic, meant.number)


def order_meant(facts: Facts) -> Meant:
    """Which order the latest message is about: a number given, a product named among a
    logged-in customer's orders, or the order the conversation is about, unless the
    customer names something that isn't in it."""
    f = facts
    if f.number_given:
        return Meant(f.number_given)
    if not f.customer:
        # Only what the order is known to hold can show that another one is meant.
        named_other = f.remembered_things and f.devices and not any(fits(d, _remembered(f)) for d in f.devices)
        return Meant(None if named_other else f.remembered)
    orders = f.customer_orders or ()
    if f.asked == WHICH_ORDER:
        picked = order_picked(f.text, f.devices, [o for o in orders if o.number in f.offered])
        if picked:
            return Meant(picked.number)
    named = orders_named(f.text, f.devices, orders)
    if named is not None:
        # Something not in any of their orders: they choose, never a guess.
        return Meant(named[0].number) if len(named) == 1 else Meant(None, tuple((named or orders)[:ORDER_CHOICES]))
    if f.remembered:
        return Meant(f.remembered)
    return Meant(orders[0].number) if len(orders) == 1 else Meant(None, tuple(orders[:ORDER_CHOICES]))


def _remembered(f: Facts) -> OrderSummary:
    return OrderSummary(f.remembered or "", None, f.remembered_things, f.remembered_things)


def _step(f: Facts, kind: str, topic: str, **changes) -> Step:
    """A step that keeps the conversation's order and proof unless told otherwise."""
    return replace(Step(kind, topic, order=f.remembered, verified_order=f.verified_order, failures=f.failures),
                   **changes)


def _asked_topic(f: Facts) -> str:
    """What the conversation was about (where it is, when nothing yet)."""
    return f.topic or TOPICS[0]


def _topic(f: Facts) -> str:
    """The question this message asks, else the conversation's."""
    return f.intent if f.intent in TOPICS else _asked_topic(f)


def _backend_refused(f: Facts) -> Step:
    topic = _topic(f)
    if f.lookup in (NOT_FOUND, INVALID):
        # The same answer whether the order doesn't exist or is someone else's.
        return _step(f, ASK_ORDER_NUMBER, topic, order=None, lookup=f.lookup)
    if f.lookup == TOO_MANY_ATTEMPTS:
        # The backend stopped checking this order: so does the conversation.
        return _step(f, LOCKED, topic, order=None, failures=max(f.failures, MAX_VERIFICATION_FAILURES))
    return _step(f, UNAVAILABLE, topic)


def _carries_answer(f: Facts) -> bool:
    """An order number, the e-mail or postcode asked for, or the order picked out of those offered."""
    return bool(f.number_given or (f.asked == VERIFICATION and (f.email or f.postcode))
                or (f.asked == WHICH_ORDER and order_meant(f).number))


def _about_an_order(f: Facts) -> bool:
    """Whether a message NLU took for something else is about an order all the same: an
    answer to the question, or a product the customer's orders hold ("what about the macbook?")."""
    if _carries_answer(f):
        return True
    if f.customer:
        return bool(orders_named(f.text, f.devices, f.customer_orders or ()))
    return bool(f.devices and f.remembered_things)


def _reply(f: Facts) -> Optional[Step]:
    """The step for a reply to what the assistant asked; None when the message carries the
    answer, is a new question or is for another rule (next_step goes on)."""
    topic = _asked_topic(f)
    if _carries_answer(f):
        return None
    kind = reply_kind(f.text) or {"deny": NO, "affirm": YES}.get(f.intent)
    if kind in (DOESNT_HAVE, NO):
        if f.asked == OFFER:
            return _step(f, NOTHING_MORE, topic)
        if f.asked == WHICH_ORDER and kind == NO:
            return _step(f, ASK_ORDER_NUMBER, topic, order=None, lookup=REQUESTED)
        # They can't give it: the rule for their question, and the offer stands.
        return _step(f, GENERAL, topic, order=None)
    if kind != YES and f.intent in TOPICS + PASSED_ON:
        return None
    # "Yes", or meant as an answer but not one we can read: ask again.
    if f.asked == WHICH_ORDER:
        return None
    if f.asked == VERIFICATION:
        return _step(f, ASK_VERIFICATION, topic)
    if kind == YES:
        return _step(f, ASK_ORDER_NUMBER, topic, lookup=REQUESTED if f.asked == OFFER else None)
    return _step(f, ASK_ORDER_NUMBER, topic, lookup=INVALID if digits_in(f.text) else None)


def _answer_or_verify(f: Facts, topic: str, number: str) -> Step:
    if f.customer or f.verified_order == number:
        # A logged-in customer's order is checked against may_see once fetched.
        return _step(f, ANSWER, topic, order=number)
    if f.failures >= MAX_VERIFICATION_FAILURES:
        return _step(f, LOCKED, topic, order=None)
    if f.verified:
        return _step(f, ANSWER, topic, order=number, verified_order=number)
    if f.verified is False:
        failures = f.failures + 1
        if failures >= MAX_VERIFICATION_FAILURES:
            return _step(f, LOCKED, topic, order=None, failures=failures)
        return _step(f, ASK_VERIFICATION, topic, order=number, failures=failures,
                    lookup=MISMATCH_EMAIL if f.email else MISMATCH)
    if f.email or f.postcode:
        return _step(f, VERIFY, topic, order=number)
    return _step(f, ASK_VERIFICATION, topic, order=number)
