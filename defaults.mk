# Settings for `make run`, `make test` and friends: every one is an environment variable,
# and the value here is only the default (set the variable to override it, e.g.
# `RASA_PORT=5006 make run`). Each Python service reads its own in one settings module:
# actions/, backend/, shop/ and handoff/settings.py.

# Rasa server (REST channel, socket.io, messaging connectors) and action server.
RASA_HOST ?= 127.0.0.1
RASA_PORT ?= 5005
ACTION_HOST ?= 127.0.0.1
ACTION_PORT ?= 5055
# Where the Rasa server finds the action server (endpoints.yml reads it).
ACTION_SERVER_URL ?= http://$(ACTION_HOST):$(ACTION_PORT)/webhook
# Conversation store (endpoints.yml): an SQLite file by default.
TRACKER_DB ?= $(CURDIR)/var/tracker.db
# The insights' feed and records (endpoints.yml's event broker, the handoff service): SQLite.
INSIGHTS_DB ?= $(CURDIR)/var/insights.db
# The action server binds here (read by rasa-sdk).
SANIC_HOST ?= $(ACTION_HOST)
# The order backend: port and SQLite file (created and seeded on first start).
BACKEND_PORT ?= 8000
BACKEND_DB ?= $(CURDIR)/var/backend.db

# Secrets have no defaults. ORDERS_API_TOKEN, CUSTOMER_TOKEN_SECRET (or the RS256 key pair
# CUSTOMER_TOKEN_PUBLIC_KEY / CUSTOMER_TOKEN_PRIVATE_KEY) and SHOP_SESSION_SECRET come from
# the environment; `make run` generates the missing ones once into var/secrets.env (mode
# 0600, for this laptop only) and says so (README, Settings).

export RASA_HOST RASA_PORT ACTION_HOST ACTION_PORT ACTION_SERVER_URL TRACKER_DB INSIGHTS_DB SANIC_HOST
# Conversations idle for longer are deleted when `make run` starts (tools/forget.py).
CONVERSATION_RETENTION_DAYS ?= 30

export BACKEND_PORT BACKEND_DB CONVERSATION_RETENTION_DAYS

# The demo shop (shop/): web pages that embed the chat widget, served by `make run`.
SHOP_PORT ?= 8080
# Web pages allowed to open the chat widget's socket.io connection (space-separated origins).
WIDGET_ALLOWED_ORIGINS ?= http://$(RASA_HOST):$(SHOP_PORT) http://localhost:$(SHOP_PORT)

export SHOP_PORT WIDGET_ALLOWED_ORIGINS

# The marketplace's brand profile (brand.yml documents it). `make run` and `make run-scaled`
# serve the demo shop, ReBoxed, with its own; tests and everything else use the example one.
DEMO_BRAND_PROFILE ?= $(CURDIR)/brands/reboxed.yml
run run-scaled: export BRAND_PROFILE ?= $(DEMO_BRAND_PROFILE)

# `make run-scaled` (README, "Scaling out"): nginx listens on RASA_PORT in front of this many
# Rasa servers; the action server forks ACTION_WORKERS processes; the project's own PostgreSQL
# and Redis listen on 127.0.0.1 at these ports (their passwords, SCALED_DATABASE_PASSWORD and
# SCALED_REDIS_PASSWORD, are generated into var/secrets.env unless set).
RASA_REPLICAS ?= 2
ACTION_WORKERS ?= 2
SCALED_POSTGRES_PORT ?= 5433
SCALED_REDIS_PORT ?= 6380
SCALED_RABBITMQ_PORT ?= 5673

export RASA_REPLICAS ACTION_WORKERS SCALED_POSTGRES_PORT SCALED_REDIS_PORT SCALED_RABBITMQ_PORT

# The handoff service (handoff/) and its reference agent desk at /desk. HANDOFF_TOOL picks the
# agents' tool: desk (built in), chatwoot, zendesk or webhook (README, "Handing over to a
# person", for each one's variables). RASA_API_TOKEN and HANDOFF_API_TOKEN are random for
# each start unless set.
HANDOFF_PORT ?= 8090
HANDOFF_TOOL ?= desk

export HANDOFF_PORT HANDOFF_TOOL

# Messaging channels (docs/channels.md). Each is off until all of its variables are set;
# the *_API_URL ones are optional (empty: the provider's own API). credentials.yml is their one
# list: every ${VARIABLE} of its channels.* sections but the website's and REST's defaults to
# empty here (Rasa refuses to start on an unset one), as in tools/services.py.
MESSAGING_VARIABLES := $(shell awk '/^[^ \#]/ { on = /^channels\./ && !/^channels\.(website|rest)\./ } \
	on && !/^ *\#/' $(CURDIR)/credentials.yml | grep -o '\$${[A-Za-z0-9_]*}' | tr -d '$${}' | awk '!seen[$$0]++')
$(foreach variable,$(MESSAGING_VARIABLES),$(eval $(variable) ?=))

export $(MESSAGING_VARIABLES)
