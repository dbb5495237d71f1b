"""A German customer on Telegram (their app set to German): answered in German from the first
message, handed to a person in German, the agent's reply marked in German, and asked in German
whether the problem was solved, a typed "ja" counted as yes."""
from channel_env import response
from desk_agent import DeskAgent
from test_telegram import a_chat, message_update, post, sent_to
from translations.catalogs import translate


def test_a_german_telegram_customer_is_answered_handed_over_and_asked_for_a_rating_in_german(messaging, recorder):
    chat = a_chat()
    said = 0

    def customer(text: str) -> str:
        nonlocal said
        assert post(messaging, message_update(chat, text, language="de")).status_code == 200
        said += 1
        return sent_to(recorder, chat, said)[-1].fields["text"]

    # The app's language starts the conversation in German, even on a bare order number.
    asked = customer("40512351")
    proof = response("utter_order_status", order_situation="ask_verification")["text"]
    assert asked.startswith(translate(proof, "de").split("{")[0])
    assert "Pixel 7 128GB" in customer("ana.martin@example.com")

    # A person, in German: the promise, the agent's name marked in German, the ticket's language.
    customer("ich möchte bitte mit einem Menschen sprechen")
    agent = DeskAgent(messaging)
    handoff = agent.handoff_of("telegram")
    assert handoff["ticket"]["language"] == "de"
    agent.reply(handoff["id"], "Hallo, ich schaue nach.")
    said += 1
    assert sent_to(recorder, chat, said)[-1].fields["text"] == "Maria (Support-Team): Hallo, ich schaue nach."

    # Handed back: "was your problem solved?" in German, and a typed "ja" is a yes.
    agent.resolve(handoff["id"])
    said += 1
    back = sent_to(recorder, chat, said)[-1].fields["text"]
    english = response("utter_handoff_back", handoff_outcome="resolved", handoff_agent="Maria")["text"]
    assert back == translate(english, "de").replace("{handoff_agent}", "Maria")
    customer("ja")
    assert agent.conversation(handoff["id"])["solved"] is True
