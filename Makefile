# Autoencoder Lab: `make run` starts the app, `make test` runs the tests. Both set everything up first.
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8501

.PHONY: run serve-class test test-fast models bench lint setup system-deps screenshots

# Prints "ready" once TensorFlow, the default model, its latent space and every page are loaded (scripts/serve.py):
# the first student's visit is as fast as the next one's.
run: setup
	$(PYTHON) scripts/serve.py --port $(PORT)

# A class: PROCESSES app processes behind HAProxy with sticky sessions; two per core held the most students
# (docs/scaling.md), about 1.1 GB of memory each.
PROCESSES ?= $(shell echo $$(( $$(nproc) * 2 )))
serve-class: setup
	./scripts/system-deps.sh --proxy
	$(PYTHON) scripts/serve.py --processes $(PROCESSES) --port $(PORT)

test: setup
	./scripts/system-deps.sh --browser --proxy --database
	$(VENV)/bin/ruff check .
	$(PYTHON) -m pytest

test-fast: setup
	./scripts/system-deps.sh --database
	$(PYTHON) -m pytest -m "not slow"

setup: $(INSTALLED) system-deps

system-deps:
	./scripts/system-deps.sh

$(INSTALLED): requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r requirements.txt
	touch $(INSTALLED)

# Rebuilds the shipped models (about 20 minutes on 2 idle CPU cores; each line replaces one folder of models/):
# the lecture's recipe, a convolutional model, a 2-D and a 16-D VAE, a denoising model, and one trained without bags.
TRAIN := $(PYTHON) -m ae_core train --replace
models: setup
	$(TRAIN) --arch dense --latent-dim 64 --epochs 10 --batch-size 32 --out models/dense-64
	$(TRAIN) --arch conv --latent-dim 64 --epochs 30 --batch-size 32 --learning-rate 2e-3 --schedule cosine --out models/conv-64
	$(TRAIN) --arch dense --vae --latent-dim 2 --epochs 30 --batch-size 128 --out models/vae-2
	$(TRAIN) --arch conv --vae --latent-dim 16 --epochs 20 --batch-size 128 --out models/vae-conv-16
	$(TRAIN) --arch dense --latent-dim 64 --noise-std 0.3 --epochs 10 --batch-size 32 --out models/dense-64-denoise
	$(TRAIN) --arch dense --latent-dim 64 --exclude-class 8 --epochs 10 --batch-size 32 --out models/dense-64-no-bag

# Each prints its figures (docs/scaling.md and the closing notes have what they measured here).
bench: setup
	$(PYTHON) bench/train_speed.py
	$(PYTHON) bench/latent_grid.py
	$(PYTHON) bench/vae_separation.py
	$(PYTHON) bench/lecture_code.py
	$(PYTHON) bench/load.py --students 50 --trainings 0 --duration 40 --warmup 15
	$(PYTHON) bench/decode_bomb.py
	$(PYTHON) bench/store_listing.py
	./scripts/system-deps.sh --proxy
	$(PYTHON) bench/failover.py --students 20
	./scripts/system-deps.sh --database
	$(PYTHON) bench/classroom.py
	./scripts/system-deps.sh --browser
	$(PYTHON) bench/ui_latency.py
	$(PYTHON) bench/ui_latency.py --model conv-64

screenshots: setup
	./scripts/system-deps.sh --browser
	$(PYTHON) scripts/screenshots.py

lint: setup
	$(VENV)/bin/ruff check .
