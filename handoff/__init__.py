"""The handoff service: conversations a person takes over from the assistant.

It keeps who is waiting and every message in both directions in its database, opens each
handoff in the agents' tool (the reference desk, Chatwoot, Zendesk or a signed webhook:
`handoff/tools/`), forwards what the customer writes while a person answers, and brings the
agent's replies back to the customer's channel through Rasa's HTTP API.
"""
