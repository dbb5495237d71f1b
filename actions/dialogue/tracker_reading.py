"""Small readers of rasa-sdk tracker data shared by the actions."""
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.clarification import Turn
from actions.date_wording import Reader, known_timezone, reader_from
from language.choices import offered_in
from language.languages import language_so_far


@dataclass(frozen=True)
class Said:
    """The customer's latest message as the order conversation reads it, in one pass over
    the tracker."""

    text: Text
    intent: Optional[Text]
    entities: Dict[Text, Tuple[Text, ...]]  # each entity's values, in order, once each
    metadata: Dict[Text, Any]  # what the channel sent with it (REST `metadata`, socket.io `customData`)
    turn: int  # which of the customer's messages it is, the first being 1
    offered: Tuple[Text, ...]  # the payloads of the buttons offered since their message before
    also_asked: Optional[Text]  # a second question in it (NLU's `also_asked`)
    language: Optional[Text]  # the conversation's language after it (language/language_identifier.py)

    def entity(self, name: Text) -> Optional[Text]:
        return (self.entities.get(name) or (None,))[0]


def latest_said(tracker: Tracker) -> Said:
    message = tracker.latest_message or {}
    entities: Dict[Text, Tuple[Text, ...]] = {}
    for entity in message.get("entities") or []:
        values = entities.get(entity.get("entity"), ())
        if entity.get("value") is not None and entity["value"] not in values:
            entities[entity.get("entity")] = values + (entity["value"],)
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    latest = users[-1] if users else len(tracker.events)
    before = users[-2] if len(users) > 1 else -1
    offered = tuple(
        button.get("payload") for event in tracker.events[before + 1:latest] if event.get("event") == "bot"
        for button in _buttons(event) if isinstance(button, dict) and button.get("payload"))
    metadata = tracker.events[latest].get("metadata") if users else None
    return Said(text=message.get("text") or "", intent=(message.get("intent") or {}).get("name"),
                entities=entities, metadata=metadata if isinstance(metadata, dict) else {}, turn=len(users),
                offered=offered, also_asked=(message.get("also_asked") or {}).get("name"),
                language=(message.get("language") or {}).get("code") or conversation_language(tracker))


def _buttons(bot_event: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    return offered_in(bot_event.get("data") or {})


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def chose_a_button(tracker: Tracker) -> bool:
    """Whether the latest message picked a button (clicked, or its title or number typed):
    its intent then comes from the button's payload alone, with no ranking of others."""
    return len(tracker.latest_message.get("intent_ranking") or []) == 1


def user_intents(tracker: Tracker) -> List[Text]:
    """The intent of every user message in the conversation, oldest first."""
    return [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]


def turns(tracker: Tracker) -> List[Turn]:
    """Every customer message with what the assistant did in answer, oldest first (the
    latest message's answers so far: none, while its first action runs)."""
    found: List[Turn] = []
    for event in tracker.events:
        if event.get("event") == "user":
            found.append(Turn(((event.get("parse_data") or {}).get("intent") or {}).get("name")))
        elif event.get("event") == "action" and found and event.get("name") != "action_listen":
            found[-1] = Turn(found[-1].intent, found[-1].answers + (event.get("name"),))
    return found


def offered_payloads(tracker: Tracker) -> List[Text]:
    """The payloads of the buttons the assistant offered since the customer's message before
    the latest one: what the latest message may be answering."""
    return list(latest_said(tracker).offered)


def latest_metadata(tracker: Tracker) -> Dict[Text, Any]:
    """The metadata the channel sent with the latest user message (REST `metadata`,
    socket.io `customData`)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def latest_reader(tracker: Tracker, fallback: Reader) -> Reader:
    """Who reads the answer: the time zone and locale the widget sent with the latest message
    (`timezone`, `locale`), each where valid, the locale in the conversation's language; the
    fallback's (the order's) otherwise."""
    sent = latest_metadata(tracker)
    return reader_from(sent.get("timezone"), sent.get("locale"), fallback, conversation_language(tracker))


def browser_reader(tracker: Tracker, locale: Text = "en_GB") -> Optional[Reader]:
    """The customer's clock as the widget sent it with the latest message (None when it sent
    no valid time zone: REST, messaging apps), in the conversation's language."""
    sent = latest_metadata(tracker)
    if not known_timezone(sent.get("timezone")):
        return None
    return reader_from(sent.get("timezone"), sent.get("locale"), Reader("UTC", locale), conversation_language(tracker))


def conversation_language(tracker: Tracker) -> Optional[Text]:
    """The language the conversation is in, as the NLU's language identifier (or, before it
    read anything, the channel's hint) left it."""
    said = [e for e in reversed(tracker.events) if e.get("event") == "user"]
    return language_so_far((e.get("parse_data"), e.get("metadata")) for e in said)


def latest_entity(tracker: Tracker, entity: Text) -> Optional[Text]:
    """The entity's value in the latest message only (slots remember older ones)."""
    return next(tracker.get_latest_entity_values(entity), None)


def latest_entities(tracker: Tracker, entity: Text) -> List[Text]:
    """Every value of the entity in the latest message, in order, once each."""
    return list(dict.fromkeys(tracker.get_latest_entity_values(entity)))


def previous_action(tracker: Tracker) -> Optional[Text]:
    """The assistant's last action before the customer's latest message (action_listen aside):
    tells whether that message replies to a question."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def response_buttons(domain: Dict[Text, Any], response: Text) -> List[Dict[Text, Any]]:
    """Every button of every variation of the response (a paged menu's pages), in order."""
    variations = (domain.get("responses") or {}).get(response) or []
    return [button for variation in variations for button in variation.get("buttons") or []]


def changed_slots(tracker: Tracker, values: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """SlotSet events for the values that differ from the tracker's: every event is stored
    and sent to the action server on each later turn, so unchanged ones are left out."""
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]
