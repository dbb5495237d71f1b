"""The conversation about a customer's order or return: what the assistant does next.

Plain Python. In: the facts of the latest message (the question, the customer's own words,
an order number, e-mail or postcode in it, who is logged in, what the backend said once
asked) and the conversation's State (what it was about, what the assistant asked last, the
order, what was proved, what was offered, a second question waiting). Out: one Step (answer
with the help centre's rule, ask for the order number, ask which order, ask for the e-mail
or postcode, look the order up and answer, say for how long the order can't be checked, or
leave the message to the rule that answers it) carrying the State after it. The Rasa action
keeps the State in one slot, does the I/O a step asks for (LIST_ORDERS, VERIFY, ANSWER),
puts what it learnt into the facts and asks again; domain.yml says the words, by Situation.

The assistant answers before it asks: a general question gets the rule at once with an
offer to make it exact, and only "where is it?" needs the order first. When it has just
asked something, the customer's reply is read as the answer to that question, whatever
NLU made of it.
"""
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Dict, Optional, Tuple

from actions.named_orders import fits, order_picked, orders_named
from actions.orders_client import INVALID, NOT_FOUND, PAUSED, TOO_MANY_ATTEMPTS, OrderSummary
from actions.replies import DOESNT_HAVE, NO, YES, digits_in, order_number_reply, reply_kind, upset, wants_person
from actions.situations import Situation

ORDER_TOPICS = ("track_order", "shipping_time", "order_late", "order_not_confirmed")
RETURN_TOPICS = ("return_item", "return_label", "return_deadline", "return_status", "refund_status")
TOPICS = ORDER_TOPICS + RETURN_TOPICS
# The one question the help centre's rule can't answer: where *this* parcel is.
NEEDS_THE_ORDER = ("track_order",)
# Messages NLU gave to another rule: ours only when they answer what the assistant asked.
PASSED_ON = ("nlu_fallback", "out_of_scope", "missing_package")
# How many orders are offered as buttons at most.
ORDER_CHOICES = 3

# What the assistant's previous message asked (State.asked).
ORDER_NUMBER = "order_number"
VERIFICATION = "verification"
WHICH_ORDER = "which_order"
OFFER = "offer"  # "Tell me your order number ... and I'll give you the date for your order"
PROOF_OFFER = "proof_offer"  # "If you find the e-mail address or postcode on the order, send it to me"
CHECK_LATER = "check_later"  # "I can't check order ... for 5 minutes": the e-mail or postcode, sent again

# Steps that say something: each is the Situation it says.
GENERAL = Situation.GENERAL  # the help centre's rule for the question, and the offer
GENERAL_UNPROVEN = Situation.GENERAL_UNPROVEN  # the same for a number given but not proved
ASK_ORDER_NUMBER = Situation.ASK_ORDER_NUMBER
ASK_VERIFICATION = Situation.ASK_VERIFICATION
# The e-mail or postcode can't be checked for a while (the backend's limits, which it keeps
# per conversation and order, and per order: backend/settings.py): this conversation's
# details didn't match too often, or checks of the order are paused after many failures.
LOCKED = Situation.VERIFICATION_LOCKED
PAUSED_CHECKS = Situation.VERIFICATION_PAUSED
NOTHING_MORE = Situation.NOTHING_MORE
OFFER_PERSON = Situation.OFFER_PERSON
ORDER_SYSTEM_DOWN = Situation.ORDER_SYSTEM_DOWN
# Steps whose Situation depends on what they hold (situation_of).
CHOOSE_ORDER = "choose_order"  # which of 2 or 3 orders
OFFER_TOPIC = "offer_topic"  # a second question another rule answers, as a button
# Steps that say nothing of their own.
PASS = "pass"  # not an answer to us: the message's own rule answers it
# Steps that need the backend: the action does them and asks again.
LIST_ORDERS = "list_orders"  # the logged-in customer's orders
VERIFY = "verify"  # is this e-mail or postcode the order's?
ANSWER = "answer"  # look the order up and answer about it (order_answers, return_answers)

_QUESTIONS = {ASK_ORDER_NUMBER: ORDER_NUMBER, ASK_VERIFICATION: VERIFICATION, LOCKED: CHECK_LATER,
              PAUSED_CHECKS: CHECK_LATER, GENERAL: OFFER, GENERAL_UNPROVEN: PROOF_OFFER, CHOOSE_ORDER: WHICH_ORDER}
# Questions whose answer is the e-mail address or the postcode on the order.
PROOF = (VERIFICATION, CHECK_LATER, PROOF_OFFER)

# Why a question is asked again (`order_lookup`).
MISMATCH = "mismatch"
MISMATCH_EMAIL = "mismatch_email"
REQUESTED = "requested"  # they want the exact answer: the number, please
NOT_A_CHECK = "order_number"  # an order number where the e-mail or postcode was asked: nothing checked


@dataclass(frozen=True)
class State:
    """What the order conversation knows between messages, kept in one slot
    (`order_conversation`) and changed only by next_step."""

    topic: Optional[str] = None  # what the conversation is about (a contract topic)
    asked: Optional[str] = None  # what the assistant's latest message asked, if anything
    asked_in_turn: Optional[int] = None  # ... in answer to which of the customer's messages
    order: Optional[str] = None  # the order the conversation is about
    things: Tuple[str, ...] = ()  # its items' names and kinds: naming another product switches
    verified_order: Optional[str] = None  # the order an anonymous customer proved is theirs
    offered: Tuple[str, ...] = ()  # the order numbers offered as buttons ("which order?")
    next_question: Optional[str] = None  # a second question, answered right after this step
    later_question: Optional[str] = None  # a second question, answered once the first is

    def question_for(self, turn: int) -> Optional[str]:
        """What the customer's message number `turn` answers: the question asked in reply to
        the message just before it, else nothing (the conversation went elsewhere since)."""
        return self.asked if self.asked_in_turn is not None and self.asked_in_turn == turn - 1 else None

    def as_slot(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any) -> "State":
        if not isinstance(value, dict):
            return cls()
        known = {name: value.get(name) for name in cls.__dataclass_fields__ if name in value}
        for name in ("things", "offered"):
            known[name] = tuple(known.get(name) or ())
        return cls(**known)


@dataclass(frozen=True)
class Facts:
    intent: Optional[str]  # NLU's reading of the latest message
    text: str = ""  # the latest message as typed
    state: State = field(default_factory=State)  # the conversation so far
    turn: int = 1  # which of the customer's messages this is
    number_given: Optional[str] = None  # an order number in the latest message
    customer: Optional[str] = None  # logged in on the website
    email: Optional[str] = None  # in the latest message
    postcode: Optional[str] = None  # the latest message, read as a postcode
    devices: Tuple[str, ...] = ()  # devices named in the latest message
    also_asked: Optional[str] = None  # a second question in the latest message (NLU's `also_asked`)
    checklist_waiting: bool = False  # a return checklist left mid-way waits for a "carry on"
    offered_person: bool = False  # the previous message offered a person ("Talk to a person")
    # What the backend said, once a step asked it (None: not asked).
    customer_orders: Optional[Tuple[OrderSummary, ...]] = None
    verified: Optional[bool] = None
    lookup: Optional[str] = None  # the kind of OrdersError it answered with
    wait_s: Optional[int] = None  # how long until the order can be checked again, when it said

    # The state as the decisions read it.
    @property
    def topic(self) -> Optional[str]:
        return self.state.topic

    @property
    def asked(self) -> Optional[str]:
        return self.state.question_for(self.turn)

    @property
    def remembered(self) -> Optional[str]:
        return self.state.order

    @property
    def remembered_things(self) -> Tuple[str, ...]:
        return self.state.things

    @property
    def verified_order(self) -> Optional[str]:
        return self.state.verified_order

    @property
    def offered(self) -> Tuple[str, ...]:
        return self.state.offered if self.asked == WHICH_ORDER else ()

    @property
    def later(self) -> Optional[str]:
        return self.state.later_question


@dataclass(frozen=True)
class Step:
    kind: str
    topic: str
    order: Optional[str] = None  # the order the conversation is about from now on
    lookup: Optional[str] = None  # why a question is asked again
    choices: Tuple[OrderSummary, ...] = ()
    verified_order: Optional[str] = None
    wait_s: Optional[int] = None  # LOCKED, PAUSED_CHECKS: for how long
    state: State = field(default_factory=State)  # the conversation after this step


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


def next_step(facts: Facts) -> Step:
    """What to do next, from what the conversation knows (steps that need the backend are
    asked again once the action has put what it learnt into the facts), with the State
    after it."""
    return _concluded(facts, _decide(facts))


def question_of(kind: str) -> Optional[str]:
    """What a step of this kind asks the customer (State.asked), if anything."""
    return _QUESTIONS.get(kind)


def situation_of(step: Step) -> Situation:
    """The Situation a step that says something of its own says (ANSWER's is where the
    order or return stands: order_answers, return_answers)."""
    if step.kind == CHOOSE_ORDER:
        return Situation.choose_order(len(step.choices))
    if step.kind == OFFER_TOPIC:
        return Situation.offer(step.topic)
    return Situation(step.kind)


def _decide(f: Facts) -> Step:
    if f.lookup:
        return _backend_refused(f)
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
        if f.intent == "affirm" and (f.checklist_waiting or f.offered_person):
            # "yes" to "talk to a person?", "next" to a checklist waiting: not ours.
            return _step(f, PASS, _asked_topic(f))
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


def second_question(facts: Facts, step: Step) -> Tuple[Optional[str], Optional[str]]:
    """A message's second question: (answer it right after this step, keep it for later).
    It is answered once the first is; while the assistant first asks something for the
    first (the order number, which order, the e-mail), it waits for the reply."""
    waiting = facts.also_asked if facts.also_asked not in (None, step.topic) else facts.later
    if waiting is None or waiting == step.topic:
        return None, None
    if step.kind in (GENERAL, GENERAL_UNPROVEN, ANSWER):
        return waiting, None
    if step.kind in (ASK_ORDER_NUMBER, CHOOSE_ORDER, ASK_VERIFICATION):
        return None, waiting
    return None, None


def second_step(facts: Facts, topic: str) -> Step:
    """The step for the second question of the customer's latest message, the first one
    answered (facts.state is the State after it): answered about the same order, or offered
    when another rule answers it."""
    if topic not in TOPICS:
        return _concluded(facts, _step(facts, OFFER_TOPIC, topic))
    state = replace(facts.state, asked=None, asked_in_turn=None, next_question=None, later_question=None)
    return next_step(replace(facts, intent=topic, also_asked=None, state=state))


def _concluded(f: Facts, step: Step) -> Step:
    """The step with the State after it: what was asked and when, the order and what it
    holds (kept while it stays the same order), what was proved and offered, and a second
    question to answer now or later. A message passed on leaves the State as it was."""
    if step.kind == PASS:
        return replace(step, state=replace(f.state, next_question=None, later_question=None))
    next_question, later = second_question(f, step)
    same_order = step.order == f.remembered and not f.number_given
    return replace(step, state=State(
        topic=f.topic if step.kind == OFFER_TOPIC else step.topic,
        asked=question_of(step.kind), asked_in_turn=f.turn if question_of(step.kind) else None,
        order=step.order, things=f.remembered_things if same_order else (),
        verified_order=step.verified_order, offered=tuple(choice.number for choice in step.choices),
        next_question=next_question, later_question=later))


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
        if len(named) == 1:
            return Meant(named[0].number)
        # "my iPhone" with two on the account, while talking about one of them: that one.
        if f.remembered in [o.number for o in named]:
            return Meant(f.remembered)
        # Something not in any of their orders, or several: they choose, never a guess.
        return Meant(None, tuple((named or orders)[:ORDER_CHOICES]))
    if f.remembered:
        return Meant(f.remembered)
    return Meant(orders[0].number) if len(orders) == 1 else Meant(None, tuple(orders[:ORDER_CHOICES]))


def _remembered(f: Facts) -> OrderSummary:
    return OrderSummary(f.remembered or "", None, f.remembered_things, f.remembered_things)


def _step(f: Facts, kind: str, topic: str, **changes) -> Step:
    """A step that keeps the conversation's order and proof unless told otherwise."""
    return replace(Step(kind, topic, order=f.remembered, verified_order=f.verified_order), **changes)


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
    if f.lookup in (TOO_MANY_ATTEMPTS, PAUSED):
        # The backend won't check this order for a while: the customer is told for how long.
        kind = LOCKED if f.lookup == TOO_MANY_ATTEMPTS else PAUSED_CHECKS
        return _step(f, kind, topic, order=order_meant(f).number, wait_s=f.wait_s)
    return _step(f, ORDER_SYSTEM_DOWN, topic)


def _carries_answer(f: Facts) -> bool:
    """An order number, the e-mail or postcode asked for, or the order picked out of those offered."""
    return bool(f.number_given or (f.asked in PROOF and (f.email or f.postcode))
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
    if f.asked in (VERIFICATION, PROOF_OFFER) and order_number_reply(f.text):
        # A number like an order number, perhaps mistyped: the customer didn't mean it as a
        # postcode, so it is not checked (nor counted against them).
        return _step(f, ASK_VERIFICATION, topic, lookup=NOT_A_CHECK)
    kind = reply_kind(f.text) or {"deny": NO, "affirm": YES}.get(f.intent)
    if f.asked == CHECK_LATER:
        # Sent again, the e-mail or postcode goes to the backend (above), which says whether
        # the wait is over; a yes takes the person offered, a no is only an acknowledgement.
        if kind == YES and f.offered_person:
            return _step(f, PASS, topic)
        return _step(f, NOTHING_MORE, topic) if kind in (YES, NO) else None
    if kind in (DOESNT_HAVE, NO):
        if f.asked in (OFFER, PROOF_OFFER):
            return _step(f, NOTHING_MORE, topic)
        if f.asked == WHICH_ORDER and kind == NO:
            return _step(f, ASK_ORDER_NUMBER, topic, order=None, lookup=REQUESTED)
        if f.asked == VERIFICATION and f.remembered:
            # They gave the number but can't prove it's theirs: the rule, and the order is
            # kept, so that the e-mail or postcode found later checks it (never asked again).
            return _step(f, GENERAL_UNPROVEN, topic)
        # They can't give it: the rule for their question, and the offer stands.
        return _step(f, GENERAL, topic, order=None)
    if kind != YES and f.intent in TOPICS + PASSED_ON:
        return None
    # "Yes", or meant as an answer but not one we can read: ask again.
    if f.asked == WHICH_ORDER:
        return None
    if f.asked in (VERIFICATION, PROOF_OFFER):
        return _step(f, ASK_VERIFICATION, topic)
    if kind == YES:
        return _step(f, ASK_ORDER_NUMBER, topic, lookup=REQUESTED if f.asked == OFFER else None)
    return _step(f, ASK_ORDER_NUMBER, topic, lookup=INVALID if digits_in(f.text) else None)


def _answer_or_verify(f: Facts, topic: str, number: str) -> Step:
    if f.customer or f.verified_order == number:
        # A logged-in customer is never asked to prove anything, so never stopped by the
        # limits on checks: their order is checked against may_see once fetched.
        return _step(f, ANSWER, topic, order=number)
    if f.verified:
        return _step(f, ANSWER, topic, order=number, verified_order=number)
    if f.verified is False:
        if f.wait_s:
            # That was the last check the backend makes for a while.
            return _step(f, LOCKED, topic, order=number, wait_s=f.wait_s)
        return _step(f, ASK_VERIFICATION, topic, order=number, lookup=MISMATCH_EMAIL if f.email else MISMATCH)
    if f.email or f.postcode:
        return _step(f, VERIFY, topic, order=number)
    # The same order number again, where the e-mail or postcode was asked: say what's needed.
    again = f.asked in (VERIFICATION, PROOF_OFFER) and f.number_given == f.remembered
    return _step(f, ASK_VERIFICATION, topic, order=number, lookup=NOT_A_CHECK if again else None)
