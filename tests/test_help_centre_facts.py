"""Every fact of the two help-centre articles is reachable in conversation, and unchanged.

Each fact names the sentence of docs/help-centre/ it comes from, the conversation that
reaches it, and what the assistant's answer must say.
"""
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

HELP_CENTRE = " ".join(p.read_text() for p in (Path(__file__).parent.parent / "docs" / "help-centre").glob("*.txt"))

# Without an order number: the general question alone gets the help centre's answer.
LABEL = ["how do I get a return label?"]
CHECKLIST = ["what do I have to do before I send my phone back?"]

FACTS = [
    # Returns and return labels
    ("label: where", "follow all the steps until you get to the confirmation page",
     LABEL, ['"Orders" > "Get help"', "All set for your return"]),
    ("label: print", "download the prepaid return slip",
     LABEL, ['"Print return label"', "download the return slip", "print it", "stick it to your package"]),
    ("label: no button", "We’ll reach out to you within 1 business day",
     LABEL, ["didn't see the \"Print return label\" button", "within 1 business day", "other instructions"]),
    ("label: 14 days", "only valid for 14 days starting from when you asked for help",
     ["how long is my return label valid for?"], ["14 days", "from when you asked for help"]),
    ("step 1: photos", "You'll need to send 7 photos to the seller",
     CHECKLIST, ["7 photos", "one of each side", "screen on", "dispute", "damaged but still works"]),
    ("step 2: data", "back up your device’s data and then remove it",
     CHECKLIST + ["ok"], ["back up your device's data and then remove it", "repair or withdrawal"]),
    ("step 3: account", "smartphones, tablets, smartwatches, and MacBooks",
     CHECKLIST + ["ok", "ok"], ["disconnect your user account", "slow down your return"]),
    ("step 4: the sheet in the box", "Write the following info on a sheet of paper",
     CHECKLIST + ["ok", "ok", "ok"], ['"Back Market"', "order number", "reason for the return", "return for repair"]),
    ("step 5: packing", "Place the device and its accessories in a sturdy box",
     CHECKLIST + ["ok"] * 4, ["sturdy box", "bubble wrap", "strong tape", "barcode visible",
                                "photo of your package"]),
    ("step 6: drop-off", "ask for proof of shipment",
     CHECKLIST + ["ok"] * 5, ["drop-off location", "proof of shipment"]),
    ("carriers", "At the top of your return label, you’ll see the name of the shipping provider",
     ["which carrier should I use to send my return?"],
     ["top of your return label", "UPS: drop-off location", "DHL: drop-off location or at-home pickup",
      "USPS: drop-off location or at-home pickup", "FedEx: drop-off location or at-home pickup"]),
    ("return received", "We’ll update you when the seller has received your package",
     ["has the seller received my return yet?"],
     ["track your package in real time", "seller has received it", "estimated processing time",
      '"Orders" > "Show more details"']),
    # Order tracking, shipping and confirmation
    ("tracking e-mail", "you’ll receive an email with a link to track your package",
     ["where is my package?"], ["email with a link to track your package", "tracking number and the carrier"]),
    ("tracking in the account", "click \"Show more details\" for that order",
     ["where is my package?"], ['"My orders"', '"Show more details"']),
    ("ship within 1 business day", "All orders ship within 1 business day",
     ["when will my order ship?"], ["within 1 business day", "no weekends or public holidays", "after 1 PM"]),
    ("large devices", "it’ll ship within 2 business days",
     ["when will my order ship?"], ["large device", "TV", "within 2 business days", "household appliances"]),
    ("not confirmed", "The confirmation email may be in your spam folder",
     ["I never got a confirmation email for my order"],
     ["spam folder", "bank", "declines", "reason", "within 30 minutes", "placing your order again"]),
    ("late", "reach out to the seller by clicking the \"Ask for help\" button",
     ["my order still hasn't shipped and it's been days"], ["1 business day", '"Ask for help"', "order number"]),
    ("contact the seller", "clicking the \"Contact my seller\" button next to the order number",
     ["how can I message the seller?"], ['"Contact my seller"', "next to the order number"]),
    ("missing package", "misplaced by the carrier, stolen, or given to the wrong person",
     ["tracking says delivered but the parcel isn't here"],
     ["misplaced by the carrier", "stolen", "wrong person", "contact the seller directly"]),
]


def normalise(text: str) -> str:
    return re.sub(r"[’“”]", lambda m: {"’": "'", "“": '"', "”": '"'}[m.group()], text)


@pytest.mark.parametrize("name, source, conversation, says", FACTS, ids=[f[0] for f in FACTS])
def test_fact_is_reachable(chat, name, source, conversation, says):
    assert normalise(source) in normalise(HELP_CENTRE), "the fact must come from the help centre"
    for message in conversation:
        answer = chat.text(message)
    for phrase in says:
        assert phrase in answer, f"{phrase!r} not in {answer!r}"


# The same conversations, as customers write them in the four other languages (their own words).
ASKED_IN = {
    "how do I get a return label?": {
        "fr": "comment j'obtiens une étiquette de retour ?", "de": "wie bekomme ich ein Rücksendeetikett?",
        "es": "¿cómo consigo la etiqueta de devolución?", "it": "come ottengo l'etichetta per il reso?"},
    "how long is my return label valid for?": {
        "fr": "mon étiquette de retour est valable combien de temps ?",
        "de": "wie lange ist mein Rücksendeetikett gültig?",
        "es": "¿cuánto tiempo es válida mi etiqueta de devolución?",
        "it": "per quanto tempo è valida la mia etichetta di reso?"},
    "what do I have to do before I send my phone back?": {
        "fr": "je dois faire quoi avant de renvoyer mon téléphone ?",
        "de": "was muss ich tun, bevor ich mein Handy zurückschicke?",
        "es": "¿qué tengo que hacer antes de devolver mi móvil?",
        "it": "cosa devo fare prima di rispedire il telefono?"},
    "ok": {"fr": "suivant", "de": "weiter", "es": "siguiente", "it": "avanti"},
    "which carrier should I use to send my return?": {
        "fr": "quel transporteur utiliser pour renvoyer mon colis ?",
        "de": "welchen Paketdienst soll ich für die Rücksendung nehmen?",
        "es": "¿qué transportista uso para la devolución?", "it": "quale corriere devo usare per il reso?"},
    "has the seller received my return yet?": {
        "fr": "le vendeur a-t-il reçu mon retour ?", "de": "hat der Verkäufer meine Rücksendung schon bekommen?",
        "es": "¿ha recibido ya el vendedor mi devolución?", "it": "il venditore ha già ricevuto il mio reso?"},
    "where is my package?": {
        "fr": "où est mon colis ?", "de": "wo ist mein Paket?", "es": "¿dónde está mi paquete?",
        "it": "dov'è il mio pacco?"},
    "when will my order ship?": {
        "fr": "quand ma commande sera-t-elle expédiée ?", "de": "wann wird meine Bestellung verschickt?",
        "es": "¿cuándo se envía mi pedido?", "it": "quando verrà spedito il mio ordine?"},
    "I never got a confirmation email for my order": {
        "fr": "je n'ai jamais reçu d'e-mail de confirmation pour ma commande",
        "de": "ich habe nie eine Bestellbestätigung per E-Mail bekommen",
        "es": "nunca me llegó el email de confirmación del pedido",
        "it": "non ho mai ricevuto l'email di conferma dell'ordine"},
    "my order still hasn't shipped and it's been days": {
        "fr": "ma commande n'est toujours pas expédiée, ça fait des jours",
        "de": "meine Bestellung ist immer noch nicht verschickt, seit Tagen",
        "es": "mi pedido sigue sin enviarse y ya han pasado días",
        "it": "il mio ordine non è ancora stato spedito, sono passati giorni"},
    "how can I message the seller?": {
        "fr": "comment je peux écrire au vendeur ?", "de": "wie kann ich dem Verkäufer schreiben?",
        "es": "¿cómo le escribo al vendedor?", "it": "come posso scrivere al venditore?"},
    "tracking says delivered but the parcel isn't here": {
        "fr": "le suivi dit livré mais le colis n'est pas là", "de": "laut Sendungsverfolgung zugestellt, aber kein Paket da",
        "es": "el seguimiento pone entregado pero el paquete no está", "it": "il tracking dice consegnato ma il pacco non c'è"},
}


def sentences_said(answer: str):
    """The English sentences of the catalogs (the answers' msgids) that an English answer says:
    those whose every stretch between placeholders it holds."""
    from tools.translations import english_sentences

    for sentence in english_sentences():
        stretches = [" ".join(s.split()) for s in re.split(r"\{[a-z_0-9]+\}", sentence) if len(s.strip()) > 3]
        # A sentence, not a button's title ("Back" is in "Back Market").
        if sum(map(len, stretches)) >= 30 and all(s in " ".join(answer.split()) for s in stretches):
            yield sentence


@pytest.mark.parametrize("code", ["fr", "de", "es", "it"])
@pytest.mark.parametrize("name, source, conversation, says", FACTS, ids=[f[0] for f in FACTS])
def test_fact_is_reachable_in_every_language(assistant, name, source, conversation, says, code):
    from customer_chat import Chat
    from translations.catalogs import translate

    english, theirs = (Chat(assistant.rest_webhook) for _ in range(2))
    for message in conversation:
        in_english, in_theirs = english.text(message), theirs.text(ASKED_IN[message][code])
    said = list(sentences_said(in_english))
    assert said, f"no catalog sentence in {in_english!r}"
    for sentence in said:
        stretch = max((" ".join(s.split()).strip(" .,:;!?\"«»„“")
                       for s in re.split(r"\{[a-z_0-9]+\}", translate(sentence, code))), key=len)
        assert stretch in " ".join(in_theirs.split()), f"{code}: {stretch!r} not in {in_theirs!r}"
