"""A customer on Telegram whose app is set to French, German, Spanish or Italian: answered in
that language from the first message, handed to a person in it, the agent's reply marked in
it, and asked in it whether the problem was solved, a typed "oui", "ja", "sí" or "sì" counted
as yes."""
from pathlib import Path

import pytest
import yaml
from channel_env import response
from desk_agent import DeskAgent
from test_telegram import a_chat, message_update, post, sent_to
from translations.catalogs import translate

LOCALE = Path(__file__).parent.parent.parent / "locale"
# What each customer types: their own words for asking for a person, and for yes.
ASKS = {
    "fr": ("je voudrais parler à quelqu'un du service client svp", "oui"),
    "de": ("ich möchte bitte mit einem Menschen sprechen", "ja"),
    "es": ("quiero hablar con una persona, por favor", "sí"),
    "it": ("vorrei parlare con un operatore per favore", "sì"),
}


@pytest.mark.parametrize("code", list(ASKS))
def test_a_telegram_customer_is_answered_handed_over_and_asked_for_a_rating_in_their_language(messaging, recorder,
                                                                                                code):
    chat = a_chat()
    said = 0
    ask_for_person, yes = ASKS[code]

    def customer(text: str) -> str:
        nonlocal said
        assert post(messaging, message_update(chat, text, language=code)).status_code == 200
        said += 1
        return sent_to(recorder, chat, said)[-1].fields["text"]

    # The app's language starts the conversation in it, even on a bare order number.
    asked = customer("40512351")
    proof = response("utter_order_status", order_situation="ask_verification")["text"]
    assert asked.startswith(translate(proof, code).split("{")[0])
    assert "Pixel 7 128GB" in customer("ana.martin@example.com")

    # A person, in the customer's language: the ticket's language, the agent's name marked in it.
    customer(ask_for_person)
    agent = DeskAgent(messaging)
    handoff = agent.handoff_of("telegram")
    assert handoff["ticket"]["language"] == code
    agent.reply(handoff["id"], "Hola / Hallo / Bonjour / Ciao")
    said += 1
    marked = yaml.safe_load((LOCALE / code / "wording.yml").read_text())["agent_message"]
    assert sent_to(recorder, chat, said)[-1].fields["text"] == marked.format(name="Maria",
                                                                             text="Hola / Hallo / Bonjour / Ciao")

    # Handed back: "was your problem solved?" in the language, and a typed yes is a yes.
    agent.resolve(handoff["id"])
    said += 1
    back = sent_to(recorder, chat, said)[-1].fields["text"]
    english = response("utter_handoff_back", handoff_outcome="resolved", handoff_agent="Maria")["text"]
    assert back == translate(english, code).replace("{handoff_agent}", "Maria")
    customer(yes)
    assert agent.conversation(handoff["id"])["solved"] is True
