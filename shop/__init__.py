"""The demo shop: a small marketplace website that embeds the chat widget (web/), as a
customer's browser would meet it. Logged-in pages pass the widget a signed customer token."""
