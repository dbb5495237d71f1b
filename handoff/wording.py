"""What the handoff service says in words, to customers and to agents: handoff/wording.yml
(English) and locale/<code>/wording.yml, which support staff and translators edit. Agents
read the support team's language (SUPPORT_LANGUAGE); customers their conversation's."""
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from handoff.settings import support_language
from language.languages import load as load_languages, wording_files

ENGLISH = Path(__file__).with_name("wording.yml")
# What an agent reads of a handoff (actions/handoff.yml): its reasons, topics and customers'
# languages in words, which the insights name too.
HANDOFF_NOTE = Path(__file__).resolve().parent.parent / "actions" / "handoff.yml"


@lru_cache(maxsize=None)
def words_in(language: Optional[str]) -> Dict[str, Any]:
    """The service's words in `language` (a supported one), else in English."""
    code = load_languages().known(language) or "en"
    path = wording_files(ENGLISH, "wording.yml")[code]
    return yaml.safe_load((path if path.exists() else ENGLISH).read_text())


# The agents' words.
WORDING = words_in(support_language())


@lru_cache(maxsize=None)
def handoff_note_words(language: Optional[str]) -> Dict[str, Any]:
    """actions/handoff.yml's words in `language` (a supported one), else in English."""
    code = load_languages().known(language) or "en"
    path = wording_files(HANDOFF_NOTE, "handoff.yml")[code]
    return yaml.safe_load((path if path.exists() else HANDOFF_NOTE).read_text())


def channel_name(channel: str) -> str:
    """Where the customer is, as agents say it ("website chat" for Rasa's socketio)."""
    return WORDING["desk"]["channels"].get(channel, channel)
