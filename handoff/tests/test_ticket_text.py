"""The ticket as the note Chatwoot, Zendesk and the webhook's receivers show agents: the same
words as the reference desk, no codes."""
from datetime import datetime, timezone

from handoff.ticket_text import ticket_text
from handoff.tools.base import Line, Ticket

T0 = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


def test_the_note_reads_in_words_summary_first():
    ticket = Ticket(
        handoff_id="h-1", conversation_id="conv-1", channel="socketio", reason="label_expired",
        reason_text="The return label has expired",
        summary="Ana Martin, logged in to their account. The return label has expired.",
        customer={"status": "logged_in", "id": "cus_ana", "verified_order": None, "name": "Ana Martin"},
        order={"number": "40512360", "situation": "label_expired", "label_expired": "yesterday at 10:00"},
        topics=("return_label", "return_label"),
        transcript=(Line("customer", "my label expired", T0),),
        created_at=T0,
        details=(("Customer", "Ana Martin"), ("Proved", "logged in to their account"),
                 ("Return label expired", "yesterday at 10:00")),
    )
    assert ticket_text(ticket) == "\n".join([
        "Ana Martin, logged in to their account. The return label has expired.",
        "",
        "Customer: Ana Martin",
        "Proved: logged in to their account",
        "Return label expired: yesterday at 10:00",
        "Channel: website chat",
        "",
        "Transcript:",
        "  [09:30] Customer: my label expired",
    ])
