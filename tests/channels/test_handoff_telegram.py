"""A handoff over a messaging channel (Telegram, against the recording fake of its Bot API): the
agent gets the story, replies reach the customer's chat with the agent's name, the customer's
messages reach the agent, restarts of Rasa and of the handoff service lose nothing, and
resolving gives the chat back."""
from channel_env import response
from desk_agent import DeskAgent
from test_telegram import a_chat, button_update, keyboard, message_update, post, sent_to


def texts(calls) -> list:
    return [call.fields["text"] for call in calls]


def test_a_person_takes_over_a_telegram_chat_and_gives_it_back(messaging, recorder):
    chat = a_chat()
    said = 0

    def customer(text: str, answers: int = 1) -> list:
        nonlocal said
        assert post(messaging, message_update(chat, text)).status_code == 200
        said += answers
        return sent_to(recorder, chat, said)

    # The customer proves the order is theirs, then asks for a person.
    customer("where is order 40512351")
    customer("ana.martin@example.com")
    asked = customer("can I talk to someone please")
    assert "support team" in asked[-1].fields["text"]

    # The agent sees who it is, the order and the transcript, unredacted for the verified order.
    agent = DeskAgent(messaging)
    handoff = agent.handoff_of("telegram")
    assert handoff["summary"].startswith("A guest who proved order 40512351 is theirs")
    assert ["Proved", "order 40512351 is theirs (its e-mail address or delivery postcode)"] in handoff["facts"]
    assert handoff["ticket"]["order"]["item"] == "Pixel 7 128GB"
    transcript = [line["text"] for line in handoff["ticket"]["transcript"]]
    assert "where is order 40512351" in transcript and "a***@example.com" in transcript

    # The agent's reply reaches the chat with their name; the customer's answer reaches the agent.
    agent.reply(handoff["id"], "Hello, I'm checking with UPS now.")
    said += 1
    assert texts(sent_to(recorder, chat, said))[-1] == "Maria (support team): Hello, I'm checking with UPS now."
    assert post(messaging, message_update(chat, "thank you, it's for a birthday")).status_code == 200
    agent.wait_for_customer(handoff["id"], "thank you, it's for a birthday")
    assert len(sent_to(recorder, chat, said)) == said  # the assistant stays quiet

    # Rasa restarts: nothing is lost either way.
    messaging.restart("Rasa server")
    assert post(messaging, message_update(chat, "any news?")).status_code == 200
    agent.wait_for_customer(handoff["id"], "any news?")
    agent.reply(handoff["id"], "It arrives tomorrow.")
    said += 1
    assert texts(sent_to(recorder, chat, said))[-1] == "Maria (support team): It arrives tomorrow."

    # The handoff service is down while the customer writes: it catches up once back.
    handoff_service = messaging.service("handoff service")
    handoff_service.stop()
    assert post(messaging, message_update(chat, "written while you were away")).status_code == 200
    handoff_service.start()
    handoff_service.wait_ready(60)
    agent.wait_for_customer(handoff["id"], "written while you were away")

    # Resolved: the assistant is back, asks for a rating (buttons), and answers again.
    agent.resolve(handoff["id"])
    said += 1
    back = sent_to(recorder, chat, said)[-1]
    expected = response("utter_handoff_back", handoff_outcome="resolved", handoff_agent="Maria")
    assert back.fields["text"] == expected["text"].replace("{handoff_agent}", "Maria")
    [[solved], [_]] = keyboard(back)
    assert post(messaging, button_update(chat, {"message_id": 77, "text": back.fields["text"]},
                                         solved["callback_data"])).status_code == 200
    said += 1
    assert texts(sent_to(recorder, chat, said))[-1].startswith("Glad to hear it")
    assert agent.conversation(handoff["id"])["solved"] is True
    assert "Pixel 7 128GB" in customer("where is my parcel?")[-1].fields["text"]
