"""Whole conversations in French, German, Spanish and Italian over REST, against the real
services: answered first, verified by order number and e-mail, a logged-in customer naming a
product, the return label, the checklist walked with typed replies, and the language kept
through ambiguous words and switched on request. The expected words are the catalogs'
(locale/<code>/LC_MESSAGES/messages.po), so a translator's edit doesn't break a test."""
import re
from pathlib import Path

import pytest
import yaml

from translations.catalogs import translate

pytestmark = pytest.mark.e2e
DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text())


def said_in(code: str, english: str) -> str:
    """The longest stretch of the sentence's translation that holds no {placeholder}: what the
    customer reads of it, whatever the slots."""
    parts = re.split(r"\{[a-z_0-9]+\}", translate(english, code))
    return max((p.strip(" .,:;!?\"«»„“") for p in parts), key=len)


# What a customer writes, in each language, for each step (their own words, not translations).
CUSTOMERS = {
    "fr": {"general": "dans combien de temps ma commande sera expédiée ?", "where": "où est mon colis 40512351 ?",
           "product": "et mon pixel, il arrive quand ?", "label": "où je trouve l'étiquette de retour ?",
           "checklist": "qu'est-ce que je dois faire avant de renvoyer mon iphone 12 ?", "next": "suivant",
           "back": "étape précédente", "stop": "stop", "thanks": "merci"},
    "de": {"general": "wie lange dauert es, bis meine Bestellung verschickt wird?",
           "where": "wo ist mein Paket 40512351?", "product": "und wann kommt mein Pixel?",
           "label": "wo finde ich das Rücksendeetikett?",
           "checklist": "was muss ich machen, bevor ich mein iPhone 12 zurückschicke?", "next": "weiter",
           "back": "zurück", "stop": "stopp", "thanks": "danke"},
    "es": {"general": "¿cuánto tardan en enviar mi pedido?", "where": "¿dónde está mi paquete 40512351?",
           "product": "¿y mi pixel cuándo llega?", "label": "¿dónde encuentro la etiqueta de devolución?",
           "checklist": "¿qué tengo que hacer antes de devolver mi iphone 12?", "next": "siguiente",
           "back": "atrás", "stop": "para aquí", "thanks": "gracias"},
    "it": {"general": "quanto ci vuole perché spediscano il mio ordine?", "where": "dov'è il mio pacco 40512351?",
           "product": "e il mio pixel quando arriva?", "label": "dove trovo l'etichetta per il reso?",
           "checklist": "cosa devo fare prima di rispedire il mio iphone 12?", "next": "avanti",
           "back": "indietro", "stop": "basta", "thanks": "grazie"},
}
LANGUAGES = list(CUSTOMERS)
SHIPPING_RULE = ("All orders ship within 1 business day of the order confirmation, and often sooner. Sellers only "
                 "ship on business days (no weekends or public holidays), and orders placed after 1 PM ship out the "
                 "next business day. If your order contains a large device, such as a TV, it ships within 2 business "
                 "days. For large household appliances, delivery and shipping times may be longer. Tell me your order "
                 "number whenever you have it, and I'll give you the date for your order.")
ASK_PROOF = ("To keep your order details safe, I first need to check it's yours. What's the e-mail address on order "
             "{order_id}, or its delivery postcode?")
IN_TRANSIT = ("Your {order_item} (order {order_id}) shipped {order_shipped_when} with {order_carrier} and should "
              "arrive {order_delivery_estimate}. Latest update: {order_last_event}. Track it here: {order_tracking_url}")
LABEL_READY = ("Your prepaid {return_carrier} return label for the {order_item} (order {order_id}) is ready: "
               "{return_label_url}. Print it and stick it to your package. It's valid {return_label_valid_until}.")


def checklist_step(code: str, number: str) -> str:
    """What the customer reads of the checklist's step, in their language (no photos taken here:
    no order the customer is known to own)."""
    [variation] = [v for v in DOMAIN["responses"]["utter_checklist_step"]
                   if {"name": "checklist_step", "value": number, "type": "slot"} in (v.get("condition") or [])
                   and {"name": "photos_offered", "value": True, "type": "slot"} not in v["condition"]]
    return said_in(code, variation["text"])


# For an order of theirs, the photos sent so far stay with it.
PAUSED_KEEPING_PHOTOS = next(v["text"] for v in DOMAIN["responses"]["utter_checklist_paused"] if v.get("condition"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_general_question_is_answered_first_in_the_customers_language(chat, code):
    assert said_in(code, SHIPPING_RULE) in chat.text(CUSTOMERS[code]["general"])


@pytest.mark.parametrize("code", LANGUAGES)
def test_an_order_number_then_the_email_verify_and_answer_in_the_customers_language(chat, code):
    assert said_in(code, ASK_PROOF) in chat.text(CUSTOMERS[code]["where"])
    answer = chat.text("ana.martin@example.com")
    assert "Pixel 7 128GB" in answer and said_in(code, IN_TRANSIT) in answer


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_logged_in_customer_names_a_product_and_gets_the_label(chat, code):
    chat.log_in_as("cus_ana")
    assert "Pixel 7 128GB" in chat.text(CUSTOMERS[code]["product"])
    chat.say(CUSTOMERS[code]["checklist"])  # the conversation is about the iPhone 12 from here
    label = chat.text(CUSTOMERS[code]["label"])
    assert "https://labels.example.com/r/40512360.pdf" in label and said_in(code, LABEL_READY) in label


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_checklist_is_walked_with_typed_replies(chat, code):
    words = CUSTOMERS[code]
    chat.log_in_as("cus_ana")
    assert checklist_step(code, "1") in chat.text(words["checklist"])
    assert checklist_step(code, "2") in chat.text(words["next"])
    assert checklist_step(code, "1") in chat.text(words["back"])
    assert said_in(code, PAUSED_KEEPING_PHOTOS) in chat.text(words["stop"])  # Ana's own iPhone 12


@pytest.mark.parametrize("code", LANGUAGES)
def test_one_ambiguous_word_never_switches_the_language(chat, code):
    chat.say(CUSTOMERS[code]["general"])
    for word in ("ok", "merci", "no", "si", "ciao"):
        chat.say(word)
    assert said_in(code, SHIPPING_RULE) in chat.text(CUSTOMERS[code]["general"])


@pytest.mark.parametrize("ask, code", [("auf Deutsch bitte", "de"), ("can we speak English?", "en"),
                                       ("en français svp", "fr"), ("¿hablas español?", "es"), ("parli italiano?", "it")])
def test_asking_for_a_language_switches_it(chat, ask, code):
    chat.say(CUSTOMERS["it" if code != "it" else "fr"]["general"])
    switched = chat.text(ask)
    assert switched == translate("Of course, let's go on in English. What can I help you with?", code)
    if code != "en":
        assert said_in(code, SHIPPING_RULE) in chat.text(CUSTOMERS[code]["general"])


def test_a_language_the_assistant_doesnt_speak_gets_the_list_in_english(chat):
    answer = chat.text("olá, onde está a minha encomenda? preciso de ajuda")
    assert "Sorry, I can only help in English, Français, Deutsch, Español, Italiano" in answer


def test_the_widgets_language_is_the_conversations_first(chat):
    chat.metadata = {"language": "de"}
    assert said_in("de", ASK_PROOF) in chat.text("40512351")  # a number says no language: the page's
