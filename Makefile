# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Everything is installed from the project's own files into .venv/ (one virtualenv per service).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
include defaults.mk

PYTHON310 := $(shell tools/find-python310 2>/dev/null)
VENV := .venv
RASA_VENV := $(VENV)/rasa
ACTIONS_VENV := $(VENV)/actions
BACKEND_VENV := $(VENV)/backend
BENCH_VENV := $(VENV)/bench
RASA := $(RASA_VENV)/bin/rasa
RASA_PY := $(RASA_VENV)/bin/python
ACTIONS_PY := $(ACTIONS_VENV)/bin/python
BACKEND_PY := $(BACKEND_VENV)/bin/python

SPACY_PIPELINE := build/spacy-en
MODEL := models/assistant.tar.gz
# The chat widget (web/): socket.io-client from npm, bundled by esbuild into one script; and,
# in the same build, the desk's insights charts (Chart.js), which the handoff service serves.
WIDGET := web/dist/support-chat.js
DESK_INSIGHTS := web/dist/desk-insights.js
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(wildcard language/*.py) \
	common/identifiers.py $(SPACY_PIPELINE)/.built

# Quiet, log-friendly machine learning: no progress bars, no TensorFlow chatter, no telemetry.
export TQDM_DISABLE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# pip warns once per package about index folders some machines configure but lack; keep
# that line out of logs (pipefail keeps pip's own exit status).
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }

.PHONY: help install run shell test validate train eval bench lock clean python310 forget fuzz web browser translations calibrate-photos review-export demo-traffic \
	scaled-packages run-scaled test-scaled

help:
	@echo "make run    install what is missing, train if data changed, start the assistant"
	@echo "make test   install what is missing, validate, train if needed, run all tests"
	@echo "make shell  talk to the assistant in this terminal"
	@echo "make run-scaled   the same on PostgreSQL, Redis, nginx and two Rasa replicas"
	@echo "make test-scaled  the replica tests of that setup (tests/scaled/)"
	@echo "make eval   intent, entity and language evaluation on the held-out sets (tests/nlu/)"
	@echo "make bench  measure response times, start-up and training time"
	@echo "make demo-traffic  play a week of real customers' messages to the running assistant (DEMO_DAYS, DEMO_PER_DAY)"
	@echo "make review-export  the review queue's labelled messages into data/nlu/reviewed.yml (then make train)"
	@echo "make translations  extract the English sentences and merge them into every language's catalog (locale/)"
	@echo "make calibrate-photos  the return-photo checks: good photos refused, bad ones caught, speed"
	@echo "make lock   re-resolve and re-pin the dependency sets in requirements/*.lock"
	@echo "make forget WHO=\"e-mail order-number customer-id\"   delete a customer's conversations"

python310:
	@test -n "$(PYTHON310)" || tools/find-python310

# One virtualenv per service, each installed from its pinned lock file.
$(RASA_VENV)/.installed: requirements/rasa.txt requirements/rasa-hashed.txt requirements/rasa.lock | python310
	@echo "==> Rasa server virtualenv ($(RASA_VENV))"
	@test -x $(RASA_PY) || $(PYTHON310) -m venv $(RASA_VENV)
	@$(RASA_PY) -m pip install -q --upgrade pip wheel $(QUIET_PIP)
	@$(RASA_PY) -m pip install -q -r requirements/rasa.txt -c requirements/rasa.lock $(QUIET_PIP)
	@$(RASA_PY) -m pip install -q --no-deps --require-hashes -r requirements/rasa-hashed.txt $(QUIET_PIP)
	@touch $@

$(ACTIONS_VENV)/.installed: requirements/actions.txt requirements/dev.txt requirements/actions.lock | python310
	@echo "==> Action server virtualenv ($(ACTIONS_VENV))"
	@test -x $(ACTIONS_PY) || $(PYTHON310) -m venv $(ACTIONS_VENV)
	@$(ACTIONS_PY) -m pip install -q --upgrade pip wheel $(QUIET_PIP)
	@$(ACTIONS_PY) -m pip install -q -r requirements/actions.txt -r requirements/dev.txt -c requirements/actions.lock $(QUIET_PIP)
	@touch $@

$(BACKEND_VENV)/.installed: requirements/backend.txt requirements/backend.lock | python310
	@echo "==> Order backend virtualenv ($(BACKEND_VENV))"
	@test -x $(BACKEND_PY) || $(PYTHON310) -m venv $(BACKEND_VENV)
	@$(BACKEND_PY) -m pip install -q --upgrade pip wheel $(QUIET_PIP)
	@$(BACKEND_PY) -m pip install -q -r requirements/backend.txt -c requirements/backend.lock $(QUIET_PIP)
	@touch $@

# Locust for `make bench`, apart: it brings gevent, which no service may import.
$(BENCH_VENV)/.installed: requirements/bench.txt requirements/bench.lock | python310
	@echo "==> Load-testing virtualenv ($(BENCH_VENV))"
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON310) -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip wheel $(QUIET_PIP)
	@$(BENCH_VENV)/bin/python -m pip install -q -r requirements/bench.txt -c requirements/bench.lock $(QUIET_PIP)
	@touch $@

install: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed $(BACKEND_VENV)/.installed $(WIDGET) $(DESK_INSIGHTS)

# One build makes both (a grouped target: run once, whichever is out of date).
$(WIDGET) $(DESK_INSIGHTS) &: web/package.json web/package-lock.json $(wildcard web/src/*.js)
	@echo "==> Chat widget and the desk's insights charts ($(WIDGET), $(DESK_INSIGHTS))"
	@cd web && npm ci --no-audit --no-fund --loglevel=error --no-progress >/dev/null
	@cd web && npm run --silent build 2>&1 | grep -v "^$$" | grep -v "Done in" || true
	@test -s $(WIDGET) && test -s $(DESK_INSIGHTS)

web: $(WIDGET) $(DESK_INSIGHTS)

# Debian's Chromium for the browser tests (tests/browser/); nothing is downloaded by Playwright.
browser:
	@command -v chromium >/dev/null || tools/install-chromium

# The project's own spaCy pipeline (tokenizer, lemma tables, entity rules), built locally:
# nothing is downloaded at run time.
$(SPACY_PIPELINE)/.built: language/build_pipeline.py language/entity_patterns.yml common/identifiers.py \
		$(RASA_VENV)/.installed
	@echo "==> spaCy pipeline ($(SPACY_PIPELINE))"
	@$(RASA_PY) -m language.build_pipeline --out $(SPACY_PIPELINE)
	@touch $@

# Trains only when the data, domain, config or spaCy pipeline changed. A new spaCy pipeline
# forces a full retrain, since Rasa's cache fingerprints the pipeline by its path only.
$(MODEL): $(TRAINING_INPUTS) $(RASA_VENV)/.installed
	@echo "==> Training (inputs changed: $(words $?) file(s))"
	@mkdir -p models
	@time $(RASA) train --quiet --fixed-model-name assistant --out models \
		$(if $(filter $(SPACY_PIPELINE)/.built,$?),--force,)
	@touch $@

train: $(MODEL)

validate: $(RASA_VENV)/.installed
	@echo "==> rasa data validate"
	@$(RASA) data validate --fail-on-warnings --quiet

# The order backend's database, for the jobs that run beside the service (photo retention).
BACKEND_DATABASE = BACKEND_DATABASE_URL=$${BACKEND_DATABASE_URL:-sqlite:///$(BACKEND_DB)}

run: install $(MODEL)
	@mkdir -p var
	@$(RASA_PY) -m tools.forget --older-than-days $(CONVERSATION_RETENTION_DAYS)
	@$(BACKEND_DATABASE) $(BACKEND_PY) -m backend.photo_retention --expired
	@$(RASA_PY) -m tools.run

shell: install $(MODEL)
	@mkdir -p var
	@$(RASA_PY) -m tools.run --shell

test: install browser validate $(MODEL)
	@echo "==> pytest: order backend (backend/tests/)"
	@$(BACKEND_PY) -m pytest -c backend/pytest.ini backend/tests
	@echo "==> pytest: handoff service (handoff/tests/)"
	@$(BACKEND_PY) -m pytest -c handoff/pytest.ini handoff/tests
	@echo "==> pytest: insights (insights/tests/)"
	@$(BACKEND_PY) -m pytest -c insights/pytest.ini insights/tests
	@echo "==> pytest: assistant (tests/)"
	@mkdir -p var results
	@$(ACTIONS_PY) -m pytest -m "not scaled and not bench"
	@echo "==> Rasa test stories (tests/stories/)"
	@$(RASA) test core --quiet --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out results/stories > results/stories.log 2>&1 \
		|| { tail -n 40 results/stories.log; cat results/stories/failed_test_stories.yml 2>/dev/null; exit 1; }
	@echo "Rasa test stories: all passed"

# The scaled setup (tools/scaled.py; README, "Scaling out"): Debian's PostgreSQL, Redis and
# nginx, installed by tools/install-scaled when missing; the project runs its own instances.
scaled-packages:
	@tools/install-scaled

run-scaled: install scaled-packages $(MODEL)
	@mkdir -p var
	@$(RASA_PY) -m tools.run_scaled

test-scaled: install scaled-packages $(MODEL)
	@echo "==> pytest: scaled setup (tests/scaled/)"
	@mkdir -p var
	@$(ACTIONS_PY) -m pytest -m scaled tests/scaled

# GDPR erasure: make forget WHO="e-mail order-number customer-id"; retention: OLDER_THAN_DAYS=N
forget: $(RASA_VENV)/.installed $(BACKEND_VENV)/.installed
	@mkdir -p var
	@$(RASA_PY) -m tools.forget $(WHO) $(if $(OLDER_THAN_DAYS),--older-than-days $(OLDER_THAN_DAYS),)
	@$(BACKEND_DATABASE) $(BACKEND_PY) -m backend.photo_retention $(WHO) $(if $(OLDER_THAN_DAYS),--expired,)

eval: install $(MODEL)
	@mkdir -p results
	@$(RASA_PY) -m tools.eval_nlu --model $(MODEL) --out results/eval.json

# The review queue's labelled messages (/desk/review) into data/nlu/reviewed.yml, for the next
# `make train` (insights/export.py: held-out messages and duplicates left out).
review-export: $(BACKEND_VENV)/.installed
	@$(BACKEND_PY) -m insights.export

# The English sentences into locale/messages.pot, merged into every catalog (README, "Languages").
translations: install
	@$(ACTIONS_PY) -m tools.translations

# The return-photo checks on real photos and their bad copies; thresholds: backend/photo_checks.yml.
calibrate-photos: install
	@$(BACKEND_PY) -m tools.photo_calibration --sweep --speed

# 10,000 hostile messages through the REST channel (tools/hostile.py); FUZZ_MESSAGES to change.
FUZZ_MESSAGES ?= 10000
fuzz: install $(MODEL)
	@mkdir -p results
	@$(RASA_PY) -m tools.fuzz --messages $(FUZZ_MESSAGES)

# A week's volume of conversations from tools/demo_traffic_pool.yml, played now to the assistant
# `make run` started (README, "Demo traffic"); Rasa timestamps them as they arrive.
DEMO_DAYS ?= 7
DEMO_PER_DAY ?= 40
demo-traffic: $(ACTIONS_VENV)/.installed
	@$(ACTIONS_PY) -m tools.demo_traffic --days $(DEMO_DAYS) --per-day $(DEMO_PER_DAY)

bench: install browser scaled-packages $(MODEL) $(BENCH_VENV)/.installed
	@mkdir -p var results
	@echo "==> pytest: the bench's uploaders get their photos kept (tests/test_bench_uploads.py)"
	@$(ACTIONS_PY) -m pytest -q -m bench tests/test_bench_uploads.py
	@$(RASA_PY) -m tools.benchmark --out results/benchmark.json
	@$(ACTIONS_PY) -m tools.widget_benchmark --out results/widget_benchmark.json

# Re-resolves each dependency set in a scratch virtualenv and pins the result.
lock: python310
	@tools/lock requirements/rasa.txt requirements/rasa.lock $(PYTHON310) requirements/rasa-hashed.txt
	@tools/lock "requirements/actions.txt requirements/dev.txt" requirements/actions.lock $(PYTHON310)
	@tools/lock requirements/backend.txt requirements/backend.lock $(PYTHON310)
	@tools/lock requirements/bench.txt requirements/bench.lock $(PYTHON310)

clean:
	rm -rf build models results var .rasa web/dist
