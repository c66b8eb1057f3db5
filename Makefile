# fltutor — cours d'apprentissage fédéré.
# Deux commandes suffisent :  make lab   (ouvrir le cours)   make test   (tout vérifier)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.fltutor-installed

# Données MNIST hors ligne : si le dossier partagé existe, on le donne au chargeur.
SHARED_MNIST := $(abspath ../shared/data/mnist)
ifneq ($(wildcard $(SHARED_MNIST)/SHA256SUMS),)
export FLTUTOR_DATA_DIR ?= $(SHARED_MNIST)
endif

# Options supplémentaires pour « make lab » (ex. : make lab LAB_ARGS="--port 8890 --no-browser").
LAB_ARGS ?=

# Réglages communs aux tests : pas d'affichage graphique, journaux TF discrets.
TEST_ENV := FLTUTOR_QUICK=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0

.PHONY: help install lab test test-unit test-notebooks slides lint format sync lock clean

help:
	@echo "make lab    : installe (si besoin) puis ouvre le cours dans JupyterLab, en français"
	@echo "make test   : installe (si besoin) puis lance tous les tests (unitaires + notebooks en mode rapide)"
	@echo "make slides : exporte chaque notebook en diaporama HTML (reveal.js) dans build/slides/"
	@echo "make lint   : vérifie le style du code (ruff) et la synchronisation .py <-> .ipynb"
	@echo "make sync   : regénère les notebooks .ipynb à partir de leurs sources .py (jupytext)"

install: $(STAMP)

# L'installation ne se refait que si le fichier de verrouillage ou pyproject.toml change.
$(STAMP): requirements.lock tools/check_python.py tools/post_install.py
	@$(PYTHON) tools/check_python.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python tools/check_python.py
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python tools/post_install.py
	@touch $(STAMP)
	@echo "Environnement prêt dans $(VENV)."

lab: install
	$(BIN)/python tools/serve_lab.py $(LAB_ARGS)

test: install
	$(BIN)/python tools/install_chromium.py
	$(TEST_ENV) $(BIN)/python -m pytest

test-unit: install
	$(TEST_ENV) $(BIN)/python -m pytest tests

test-notebooks: install
	$(TEST_ENV) $(BIN)/python -m pytest notebooks

slides: install
	$(BIN)/python tools/export_slides.py build/slides

lint: install
	$(BIN)/ruff check fltutor tests tools notebooks
	$(BIN)/ruff format --check fltutor tests tools notebooks
	$(BIN)/python tools/check_sync.py

format: install
	$(BIN)/ruff format fltutor tests tools notebooks

sync: install
	$(BIN)/python tools/check_sync.py --write

clean:
	rm -rf $(VENV) build .pytest_cache
