from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clarification import misunderstandings_in_a_row, suggest_topics, topics_from_buttons
from actions.dialogue.tracker_reading import latest_intent, previous_action, response_buttons, turns
from actions.replies import upset, wants_person

TOPIC_MENU = "utter_topics"
OUT_OF_SCOPE = "out_of_scope"
# "What can you help me with?" is answered with the menu's first page, wherever it is asked.
CAPABILITIES = "capabilities"
# The topic menu's pages (utter_topics' conditions on topics_page; None is the first).
TOPIC_PAGES = (None, "2", "3")
# From the second misunderstanding in a row, a person is offered too.
OFFER_PERSON_AFTER = 2


class ActionClarify(Action):
    """For a message the assistant can't answer (unclear, or out of scope): the two likeliest
    topics for utter_did_you_mean, and whether to offer a person (after repeated
    misunderstandings, or at once to someone upset or asking for one)."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topics = topics_from_buttons(response_buttons(domain, TOPIC_MENU))
        ranking = tracker.latest_message.get("intent_ranking") or []
        first, second = suggest_topics(ranking, list(topics), count=2)
        # This message is misunderstood too, unless it is simply out of scope.
        earlier = turns(tracker)[:-1]
        confused = misunderstandings_in_a_row(earlier) + (latest_intent(tracker) != OUT_OF_SCOPE)
        text = tracker.latest_message.get("text")
        unhappy = upset(text) or wants_person(text)
        return [
            SlotSet("suggestion_1", first),
            SlotSet("suggestion_1_title", topics[first]),
            SlotSet("suggestion_2", second),
            SlotSet("suggestion_2_title", topics[second]),
            SlotSet("offer_person", unhappy or confused >= OFFER_PERSON_AFTER),
            SlotSet("customer_upset", unhappy),
            SlotSet("topics_page", None),  # the menu that follows starts at its first page
        ]


class ActionMoreTopics(Action):
    """"More topics": the topic menu's next page (after the last, the first again); asked
    when no menu was just shown, its first page."""

    def name(self) -> Text:
        return "action_more_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if previous_action(tracker) != TOPIC_MENU or latest_intent(tracker) == CAPABILITIES:
            return [SlotSet("topics_page", None)]  # "what else can you do?" out of the blue
        shown = tracker.get_slot("topics_page")
        page = TOPIC_PAGES.index(shown) if shown in TOPIC_PAGES else 0
        return [SlotSet("topics_page", TOPIC_PAGES[(page + 1) % len(TOPIC_PAGES)])]
