"""The handoff service: conversations a person takes over from the assistant.

It keeps who is waiting and every message in both directions in its database, opens each
handoff in the agents' tool (the reference desk, Chatwoot, Zendesk or a signed webhook:
`handoff/tools/`), forwards what the customer writes while a person answers, and brings the
agent's replies back to the customer's channel through Rasa's HTTP API. It reads both sides of
the conversation after the handoff from Rasa's tracker store (what the assistant promised is
on the desk too), and answers a second request for a person while nobody has answered yet.
"""
