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


@lru_cache(maxsize=None)
def words_in(language: Optional[str]) -> Dict[str, Any]:
    """The service's words in `language` (a supported one), else in English."""
    code = load_languages().known(language) or "en"
    path = wording_files(ENGLISH, "wording.yml")[code]
    return yaml.safe_load((path if path.exists() else ENGLISH).read_text())


# The agents' words.
WORDING = words_in(support_language())


def channel_name(channel: str) -> str:
    """Where the customer is, as agents say it ("website chat" for Rasa's socketio)."""
    return WORDING["desk"]["channels"].get(channel, channel)
