# fltutor — cours d'apprentissage fédéré.
# Deux commandes suffisent :  make lab   (ouvrir le cours)   make test   (tout vérifier)

# Python 3.9, 3.10 ou 3.11. Par défaut, tools/check_python.py le cherche
# (python3.11, python3.10, python3.9 sur le PATH, ou uv) ; on peut l'imposer :
# make PYTHON=python3.10 lab
PYTHON ?=
# N'importe quel Python 3 pour lancer tools/check_python.py (même 3.12).
ANY_PYTHON := $(firstword $(foreach p,python3 python3.11 python3.10 python3.9 python,$(shell command -v $(p) 2>/dev/null)))
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

.PHONY: help install lab test test-unit test-notebooks test-fresh slides lint format sync outputs bench lock clean

help:
	@echo "make lab    : installe (si besoin) puis ouvre le cours dans JupyterLab, en français"
	@echo "make test   : installe (si besoin) puis lance tous les tests (unitaires + notebooks en mode rapide)"
	@echo "make slides : exporte chaque notebook en diaporama HTML (reveal.js) et en PDF dans build/slides/"
	@echo "make lint   : vérifie le style du code (ruff) et la synchronisation .py <-> .ipynb"
	@echo "make test-fresh : installe le cours dans des Debian 11 et 12 neuves (debootstrap, root)"
	@echo "make sync   : regénère les .ipynb depuis leurs sources .py (mode rapide ; sorties du mode complet gardées)"
	@echo "make outputs [NB=06] : exécute les notebooks en mode complet et commite-en les sorties"
	@echo "make bench [BENCH='mcmahan --rows ...'] : le banc d'essai (bench/README.md, plusieurs heures)"

install: $(STAMP)

# Installation (voir tools/install_env.py) : prérequis vérifiés, .venv inachevé
# reconstruit, verrou installé, puis tools/post_install.py. Refaite seulement si
# le verrou ou les outils d'installation changent.
$(STAMP): requirements.lock tools/check_python.py tools/install_env.py tools/post_install.py
	@if [ -z "$(ANY_PYTHON)" ]; then \
	  echo "Erreur : aucun Python 3 trouvé (python3). Installez Python 3.11 (README, section Installation)." >&2; \
	  exit 1; fi
	@py="$$($(ANY_PYTHON) tools/check_python.py $(PYTHON))" && "$$py" tools/install_env.py

lab: install
	$(BIN)/python tools/serve_lab.py $(LAB_ARGS)

test: install
	$(BIN)/python tools/install_chromium.py
	$(TEST_ENV) $(BIN)/python -m pytest

test-unit: install
	$(TEST_ENV) $(BIN)/python -m pytest tests

test-notebooks: install
	$(TEST_ENV) $(BIN)/python -m pytest notebooks

# Installation sur des machines neuves : Debian 11 (Python 3.9) et Debian 12
# (Python 3.11.2), construites avec debootstrap (root). Voir tools/test_fresh.sh.
test-fresh:
	tools/test_fresh.sh $(FRESH_DISTS)

# Regénère requirements.lock à partir de requirements.in : un verrou universel
# (Python 3.9, 3.10 et 3.11, tout niveau de correctif), calculé par uv, qui garde
# les versions déjà épinglées quand elles conviennent.
HASH := \#
LOCK_HEADER := \
  "$(HASH) Fichier de verrouillage du cours fltutor (Linux x86_64, Python 3.9, 3.10, 3.11)." \
  "$(HASH) Toutes les dépendances, directes et transitives, avec leur version exacte ;" \
  "$(HASH) une ligne « ; python_full_version ... » ne vaut que pour ces versions de Python." \
  "$(HASH) On l'installe TOUJOURS sans résolution : pip install --no-deps -r requirements.lock" \
  "$(HASH) (make install) : tensorflow-federated 0.87 exige jax/jaxlib 0.4.14, retirés de" \
  "$(HASH) PyPI ; on épingle 0.4.13. Ne pas modifier à la main : éditer requirements.in" \
  "$(HASH) puis lancer « make lock »."
LOCK_OUT ?= requirements.lock
lock: install
	cp requirements.lock $(LOCK_OUT).new  # versions actuelles préférées
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip compile requirements.in \
	  --overrides requirements-overrides.txt --excludes requirements-excludes.txt \
	  --universal --python-version 3.9 --only-binary :all: --no-binary jax \
	  --no-annotate --no-header -q -o $(LOCK_OUT).new
	{ printf '%s\n' $(LOCK_HEADER) "--only-binary :all:" "--no-binary jax" ""; \
	  cat $(LOCK_OUT).new; } > $(LOCK_OUT) && rm $(LOCK_OUT).new

slides: install
	$(BIN)/python tools/install_chromium.py
	$(BIN)/python tools/export_slides.py build/slides --pdf

lint: install
	$(BIN)/ruff check fltutor bench tests tools notebooks
	$(BIN)/ruff format --check fltutor bench tests tools notebooks
	$(BIN)/python tools/check_sync.py

format: install
	$(BIN)/ruff format fltutor bench tests tools notebooks

sync: install
	$(BIN)/python tools/check_sync.py --write

# Les sorties commitées des notebooks : une exécution en mode complet, avec sa
# provenance dans les métadonnées (tools/make_outputs.py). NB=06 : 06_* seulement.
NB ?=
outputs: install
	$(BIN)/python tools/make_outputs.py $(NB)

# Le banc d'essai (bench/README.md) : par défaut, les expériences de McMahan et al.
BENCH ?= mcmahan
bench: install
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) build .pytest_cache
