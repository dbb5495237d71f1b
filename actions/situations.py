"""Every situation the order conversation speaks from: one list.

Plain Python. Each situation is one wording of `utter_order_status` in domain.yml (or several,
told apart by `order_lookup` or `order_topic`, and a card for the website widget), and the
value of the categorical slot `order_situation` that picks it. tests/test_situations.py fails
when a situation has no wording, or a wording names a situation that isn't here.

The order conversation (order_conversation.py) says what it asks or offers; order_answers.py
where an order stands; return_answers.py where a return stands; handoff.py reads some as
reasons to hand over.
"""
from enum import Enum


class Situation(str, Enum):
    # The help centre's rule for the question, with the offer to make it exact; and the same
    # for an order whose number was given but not proved (the offer is to check it).
    GENERAL = "general"
    GENERAL_UNPROVEN = "general_unproven"
    # What the assistant asks for.
    ASK_ORDER_NUMBER = "ask_order_id"
    CHOOSE_ORDER_2 = "choose_order_2"  # which of two orders
    CHOOSE_ORDER_3 = "choose_order_3"  # which of three, or another
    ASK_VERIFICATION = "ask_verification"  # the e-mail address or postcode on the order
    # Checks the order backend won't make for a while (its limits on failed checks).
    VERIFICATION_LOCKED = "verification_locked"  # this conversation's details didn't match too often
    VERIFICATION_PAUSED = "verification_paused"  # many failed checks of the order, from anywhere
    # What else the conversation says.
    NOTHING_MORE = "nothing_more"  # "Anything else I can help you with?"
    OFFER_PERSON = "offer_person"  # to someone upset, or asking for one
    ORDER_SYSTEM_DOWN = "order_system_down"  # the order backend couldn't answer
    # A second question another rule answers, offered as a button.
    OFFER_MISSING_PACKAGE = "offer_topic_missing_package"
    OFFER_CONTACT_SELLER = "offer_topic_contact_seller"
    OFFER_RETURN_CHECKLIST = "offer_topic_return_checklist"
    OFFER_RETURN_CARRIER = "offer_topic_return_carrier"

    # Where an order stands (order_answers.py).
    PAYMENT_PENDING = "payment_pending"
    PAYMENT_OVERDUE = "payment_overdue"
    PAYMENT_DECLINED = "payment_declined"
    CONFIRMED = "confirmed"  # asked why it isn't confirmed, but it is
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPING_OVERDUE = "shipping_overdue"
    IN_TRANSIT = "in_transit"
    IN_TRANSIT_UNDATED = "in_transit_undated"  # no delivery estimate from the carrier
    DELIVERY_OVERDUE = "delivery_overdue"
    DELIVERED = "delivered"

    # Where a return stands (return_answers.py).
    NO_RETURN = "no_return"
    LABEL_PENDING = "label_pending"  # asked for help, no label issued: support reaches out
    LABEL_READY = "label_ready"
    LABEL_EXPIRED = "label_expired"
    RETURN_IN_TRANSIT = "return_in_transit"
    RETURN_RECEIVED = "return_received"  # refund not made yet
    REFUNDED = "refunded"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choose_order(cls, count: int) -> "Situation":
        """Which order is it about, of `count` offered (2, or 3 and "type another")."""
        return cls.CHOOSE_ORDER_2 if count <= 2 else cls.CHOOSE_ORDER_3

    @classmethod
    def offer(cls, topic: str) -> "Situation":
        """The button for a second question that `topic`'s own rule answers."""
        return cls(f"offer_topic_{topic}")


# Where an order or a return stands: the order backend was asked, and answered (the insights'
# "order lookups", insights/record.py).
LOOKED_UP = frozenset(situation.value for situation in (
    Situation.PAYMENT_PENDING, Situation.PAYMENT_OVERDUE, Situation.PAYMENT_DECLINED, Situation.CONFIRMED,
    Situation.AWAITING_SHIPMENT, Situation.SHIPPING_OVERDUE, Situation.IN_TRANSIT, Situation.IN_TRANSIT_UNDATED,
    Situation.DELIVERY_OVERDUE, Situation.DELIVERED, Situation.NO_RETURN, Situation.LABEL_PENDING,
    Situation.LABEL_READY, Situation.LABEL_EXPIRED, Situation.RETURN_IN_TRANSIT, Situation.RETURN_RECEIVED,
    Situation.REFUNDED,
))

# Topics whose second question is offered as a button (Situation.offer).
OFFERED_TOPICS = ("missing_package", "contact_seller", "return_checklist", "return_carrier")
