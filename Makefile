# Autoencoder Lab: `make run` starts the app, `make test` runs the tests. Both set everything up first.
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast models bench lint setup system-deps screenshots

run: setup
	$(PYTHON) -m streamlit run app.py --server.port $(PORT)

test: setup
	./scripts/system-deps.sh --browser
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest

test-fast: setup
	$(PYTHON) -m pytest -m "not slow"

setup: $(INSTALLED) system-deps

system-deps:
	./scripts/system-deps.sh

$(INSTALLED): requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements.txt
	touch $(INSTALLED)

# Rebuilds the shipped models: the lecture's recipe, and the conv model's (about 8 minutes on 2 CPU cores).
models: setup
	$(PYTHON) -m ae_core train --arch dense --latent-dim 64 --epochs 10 --batch-size 32 --out models/dense-64
	$(PYTHON) -m ae_core train --arch conv --latent-dim 64 --epochs 30 --batch-size 32 \
		--learning-rate 2e-3 --schedule cosine --out models/conv-64

bench: setup
	$(PYTHON) bench/train_speed.py
	./scripts/system-deps.sh --browser
	$(PYTHON) bench/ui_latency.py

screenshots: setup
	./scripts/system-deps.sh --browser
	$(PYTHON) scripts/screenshots.py

lint: setup
	$(VENV)/bin/ruff check .
