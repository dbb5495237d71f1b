# Settings for `make run`, `make test` and friends: every one is an environment variable,
# and the value here is only the default (set the variable to override it, e.g.
# `RASA_PORT=5006 make run`). The Python services read theirs in actions/settings.py.

# Rasa server (REST channel, socket.io, messaging connectors) and action server.
RASA_HOST ?= 127.0.0.1
RASA_PORT ?= 5005
ACTION_HOST ?= 127.0.0.1
ACTION_PORT ?= 5055
# Where the Rasa server finds the action server (endpoints.yml reads it).
ACTION_SERVER_URL ?= http://$(ACTION_HOST):$(ACTION_PORT)/webhook
# Conversation store (endpoints.yml): an SQLite file by default.
TRACKER_DB ?= $(CURDIR)/var/tracker.db
# The action server binds here (read by rasa-sdk).
SANIC_HOST ?= $(ACTION_HOST)
# The order backend: port, SQLite file (created and seeded on first start), and the API token
# the actions send it. The default token is for a laptop only: set your own anywhere else.
BACKEND_PORT ?= 8000
BACKEND_DB ?= $(CURDIR)/var/backend.db
ORDERS_API_TOKEN ?= dev-only-token-change-me

export RASA_HOST RASA_PORT ACTION_HOST ACTION_PORT ACTION_SERVER_URL TRACKER_DB SANIC_HOST
# Conversations idle for longer are deleted when `make run` starts (tools/forget.py).
CONVERSATION_RETENTION_DAYS ?= 30

export BACKEND_PORT BACKEND_DB ORDERS_API_TOKEN CONVERSATION_RETENTION_DAYS

# The demo shop (shop/): web pages that embed the chat widget, served by `make run`.
SHOP_PORT ?= 8080
# Web pages allowed to open the chat widget's socket.io connection (space-separated origins).
WIDGET_ALLOWED_ORIGINS ?= http://$(RASA_HOST):$(SHOP_PORT) http://localhost:$(SHOP_PORT)

export SHOP_PORT WIDGET_ALLOWED_ORIGINS

# Messaging channels (docs/channels.md). Each is off until all of its variables are set;
# the *_API_URL ones are optional (empty: the provider's own API).
TELEGRAM_ACCESS_TOKEN ?=
TELEGRAM_BOT_NAME ?=
TELEGRAM_WEBHOOK_URL ?=
TELEGRAM_SECRET_TOKEN ?=
TELEGRAM_API_URL ?=
FACEBOOK_VERIFY_TOKEN ?=
FACEBOOK_APP_SECRET ?=
FACEBOOK_PAGE_ACCESS_TOKEN ?=
FACEBOOK_API_URL ?=
SLACK_BOT_TOKEN ?=
SLACK_SIGNING_SECRET ?=
SLACK_API_URL ?=
TWILIO_ACCOUNT_SID ?=
TWILIO_AUTH_TOKEN ?=
TWILIO_SMS_NUMBER ?=
TWILIO_SMS_WEBHOOK_URL ?=
TWILIO_WHATSAPP_NUMBER ?=
TWILIO_WHATSAPP_WEBHOOK_URL ?=
TWILIO_API_URL ?=

export TELEGRAM_ACCESS_TOKEN TELEGRAM_BOT_NAME TELEGRAM_WEBHOOK_URL TELEGRAM_SECRET_TOKEN TELEGRAM_API_URL \
	FACEBOOK_VERIFY_TOKEN FACEBOOK_APP_SECRET FACEBOOK_PAGE_ACCESS_TOKEN FACEBOOK_API_URL \
	SLACK_BOT_TOKEN SLACK_SIGNING_SECRET SLACK_API_URL \
	TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_SMS_NUMBER TWILIO_SMS_WEBHOOK_URL \
	TWILIO_WHATSAPP_NUMBER TWILIO_WHATSAPP_WEBHOOK_URL TWILIO_API_URL
