"""Every language of language/languages.yml has every word: the answers' catalogs, the date
phrases, the reply patterns, the handoff's words, the widget's strings and the brand profiles,
each with the English's keys, {placeholders} and buttons."""
import re
from pathlib import Path

import pytest
import yaml

from brand.profile import read as read_profile, translation_path
from language.languages import load as load_languages, wording_files
from tools.translations import english_sentences, problems
from translations.catalogs import placeholders, translate, translated

ROOT = Path(__file__).parent.parent
OTHERS = [code for code in load_languages().codes if code != "en"]
WORDING_FILES = {  # English's file: the name of each language's in locale/<code>/
    ROOT / "actions" / "date_phrases.yml": "date_phrases.yml",
    ROOT / "actions" / "replies.yml": "replies.yml",
    ROOT / "actions" / "handoff.yml": "handoff.yml",
    ROOT / "handoff" / "wording.yml": "wording.yml",
}


def shape(value):
    """A wording file's keys and each string's {placeholders}, nested as the file is."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, str):
        return placeholders(value)
    return type(value).__name__


def english(path: Path):
    data = yaml.safe_load(path.read_text())
    return data["en"] if path.name == "date_phrases.yml" else data


@pytest.mark.parametrize("code", OTHERS)
def test_every_answer_is_translated_with_its_placeholders(code):
    assert problems(code) == []


@pytest.mark.parametrize("code", OTHERS)
@pytest.mark.parametrize("english_file, name", WORDING_FILES.items(), ids=lambda v: getattr(v, "name", v))
def test_every_wording_file_has_the_englishs_keys_and_placeholders(code, english_file, name):
    path = wording_files(english_file, name)[code]
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    theirs, ours = yaml.safe_load(path.read_text()), english(english_file)
    if name == "replies.yml":  # patterns, not sentences: the same lists, each a valid pattern
        assert set(theirs) == set(ours)
        for pattern in theirs["doesnt_have"] + theirs["upset"] + theirs["wants_person"] + theirs["carry_on"]:
            re.compile(pattern)
    else:
        assert shape(theirs) == shape(ours)


@pytest.mark.parametrize("code", OTHERS)
def test_the_widgets_strings_have_the_englishs_keys(code):
    def keys(path):
        return re.findall(r"^  (\w+):", path.read_text(), re.MULTILINE)
    strings = ROOT / "web" / "src" / "strings"
    assert keys(strings / f"{code}.js") == keys(strings / "en.js")


@pytest.mark.parametrize("profile", [ROOT / "brand.yml", ROOT / "brands" / "reboxed.yml"], ids=lambda p: p.name)
@pytest.mark.parametrize("code", OTHERS)
def test_each_brand_profile_reads_in_every_language_with_the_same_topics(profile, code):
    assert translation_path(profile, code).exists()
    english_topics = [t["payload"] for t in read_profile(profile).welcome["topics"]]
    translated_profile = read_profile(profile, code)
    assert [t["payload"] for t in translated_profile.welcome["topics"]] == english_topics
    assert translated_profile.welcome["greeting"] != read_profile(profile).welcome["greeting"]


def test_a_response_is_translated_with_its_buttons_and_card_and_keeps_its_payloads():
    response = {"text": "Which order is it about?",
                "buttons": [{"title": "Talk to a person", "payload": "/human_handoff"}],
                "custom": {"text": "Your prepaid return label for the {order_item} is ready: download it, print it "
                                   "and stick it to your package.", "card": {"title": "{order_item}"}}}
    german = translated(response, "de")
    assert german["text"] == translate("Which order is it about?", "de") != response["text"]
    assert german["buttons"][0]["payload"] == "/human_handoff" and german["buttons"][0]["title"] != "Talk to a person"
    assert german["custom"]["card"]["title"] == "{order_item}"  # nothing to translate
    assert "{order_item}" in german["custom"]["text"]
    assert response["text"] == "Which order is it about?"  # the domain's own stays English


def test_the_catalogs_hold_every_english_sentence_of_the_answers():
    assert "Talk to a person" in english_sentences()
