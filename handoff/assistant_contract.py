"""What the handoff service relies on in the assistant, by name: the slots of domain.yml it reads
and writes, their values, the response it runs, the intent of a request for a person, and the
metadata it puts on the messages it sends. Every other module of the service takes these names
from here; tests/test_handoff_contract.py (the assistant's suite) checks each against domain.yml,
so that renaming one on either side fails a test instead of a handoff.

Plain Python, standard library only: the assistant's test suite imports it.
"""

# What the assistant told the customer when the handoff opened (actions/dialogue/handoff.py sets
# them): the service reads them to answer a second request for a person with the same wait.
HANDOFF_STATE = "handoff_state"  # OPEN: a person answers in about HANDOFF_WAIT minutes; CLOSED: back HANDOFF_BACK_WHEN
HANDOFF_WAIT = "handoff_wait"
HANDOFF_BACK_WHEN = "handoff_back_when"
OPEN, CLOSED = "open", "closed"
SLOTS_READ = (HANDOFF_STATE, HANDOFF_WAIT, HANDOFF_BACK_WHEN)

# When the agent ends the handoff, the service sets these and clears HANDOFF_STATE, then runs
# HANDED_BACK, whose variations say the outcome and the agent's name.
HANDOFF_OUTCOME = "handoff_outcome"
HANDOFF_AGENT = "handoff_agent"
RESOLVED, GIVEN_BACK = "resolved", "given_back"  # HANDOFF_OUTCOME's values
OUTCOMES = (RESOLVED, GIVEN_BACK)
SLOTS_WRITTEN = (HANDOFF_OUTCOME, HANDOFF_AGENT, HANDOFF_STATE)
HANDED_BACK = "utter_handoff_back"

# The intent of a request for a person, typed ("can I talk to someone") or tapped.
PERSON_REQUEST = "human_handoff"

# Metadata on the messages the service sends through Rasa's HTTP API (BotUttered metadata). An
# agent's message carries {AGENT_KEY: {"name": ...}}: the website widget shows who is answering
# (channels/website.py). The service's own message (an acknowledgement) carries {NOTICE_KEY: true}.
# Both are stored already, so reading the conversation back (handoff/conversations.py) skips them.
AGENT_KEY = "agent"
NOTICE_KEY = "handoff_notice"
