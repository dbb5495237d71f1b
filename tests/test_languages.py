"""The languages the assistant speaks (language/languages.yml) and which one a conversation is in."""
import pytest

from language.languages import carries_language, conversation_language, language_so_far, load

LANGUAGES = load()
SURE_FRENCH = {"fr": 0.95, "en": 0.02, "de": 0.01, "es": 0.01, "it": 0.01}


def test_the_five_languages_are_data():
    assert LANGUAGES.codes == ("en", "fr", "de", "es", "it") and LANGUAGES.default == "en"
    assert LANGUAGES.by_code["de"].native == "Deutsch" and LANGUAGES.by_code["fr"].locale == "fr_FR"


@pytest.mark.parametrize("hint, code", [("fr-FR", "fr"), ("DE", "de"), ("es_ES", "es"), ("pt-BR", None), (None, None)])
def test_a_channels_hint_is_read_in_its_usual_spellings(hint, code):
    assert LANGUAGES.known(hint) == code


@pytest.mark.parametrize("text, code", [
    ("can we speak English?", "en"), ("auf Deutsch bitte", "de"), ("en français svp", "fr"),
    ("¿hablas español?", "es"), ("parli italiano?", "it"), ("Deutsch?", "de"), ("in english please", "en"),
])
def test_asking_for_a_language(text, code):
    assert LANGUAGES.requested(text) == code


@pytest.mark.parametrize("text", ["where is my french keyboard laptop", "the german seller never answered",
                                  "I ordered an english keyboard macbook, where is it?"])
def test_naming_a_language_is_not_asking_for_it(text):
    assert LANGUAGES.requested(text) is None


@pytest.mark.parametrize("word", ["ok", "merci", "no", "40512345", "anna@example.com", "si"])
def test_one_ambiguous_word_never_moves_the_conversation(word):
    sure = {"it": 0.99, "en": 0.0, "fr": 0.01, "de": 0.0, "es": 0.0}
    assert not carries_language(word)
    assert conversation_language(word, "de", None, sure, LANGUAGES) == "de"


def test_the_channels_hint_starts_the_conversation_and_clear_words_move_it():
    assert conversation_language("40512345", None, "fr-FR", {}, LANGUAGES) == "fr"
    assert conversation_language("hello", None, None, {}, LANGUAGES) == "en"
    assert conversation_language("où est mon colis", "en", "en-GB", SURE_FRENCH, LANGUAGES) == "fr"
    unsure = {"fr": 0.5, "it": 0.45, "en": 0.05}
    assert conversation_language("ma commande", "en", None, unsure, LANGUAGES) == "en"


def test_a_first_message_with_no_hint_can_set_the_language_in_one_word():
    sure = {"fr": 0.95, "en": 0.05}
    assert conversation_language("bonjour", None, None, sure, LANGUAGES) == "fr"
    assert conversation_language("bonjour", "en", None, sure, LANGUAGES) == "en"  # once set, one word never moves it


def test_a_tapped_button_goes_on_in_the_language_the_customers_words_left():
    french = ({"language": {"code": "fr"}}, {"language": "en-GB"})
    payload = ({"intent": {"name": "affirm"}}, {"language": "en-GB"})  # no language read
    assert language_so_far([payload, french], LANGUAGES) == "fr"


def test_a_first_tapped_topic_is_in_the_language_of_the_channels_hint():
    assert language_so_far([({"intent": {"name": "track_order"}}, {"language": "fr-FR"})], LANGUAGES) == "fr"
    assert language_so_far([({}, {})], LANGUAGES) is None
