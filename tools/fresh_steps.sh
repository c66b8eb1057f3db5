#!/bin/sh
# Les étapes d'installation du README sur une Debian neuve, une par argument.
# Lancé en root dans la racine neuve par tools/test_fresh.sh (debootstrap) et par
# le Dockerfile : les deux suivent exactement les mêmes étapes.
#
#   tools/fresh_steps.sh prereqs   # la commande « apt install » du README
#   tools/fresh_steps.sh install   # make install (crée .venv, installe le verrou)
#   tools/fresh_steps.sh smoke     # 00_sommaire + un tour fédéré confiné
#   tools/fresh_steps.sh test      # make test : toute la suite (≈ 30 min et plus)
#
# À lancer depuis la racine du dépôt.
set -eu

step=${1:?"usage : tools/fresh_steps.sh prereqs|install|smoke|test"}

case "$step" in
prereqs)
  # La première ligne « sudo apt install ... » du README, sans sudo (on est root) :
  # le test vérifie ainsi que le README liste bien tout ce qu'il faut.
  command=$(grep -m1 '^sudo apt install ' README.md | sed 's/^sudo //')
  if [ -z "$command" ]; then
    echo "Erreur : pas de ligne « sudo apt install ... » dans README.md" >&2
    exit 1
  fi
  echo "Prérequis du README : $command"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086  # la commande du README, mot à mot
  $command
  ;;
install)
  make install
  ;;
smoke)
  export FLTUTOR_QUICK=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0
  .venv/bin/python -m pytest -q notebooks/00_sommaire.ipynb
  .venv/bin/python tools/smoke_test.py
  ;;
test)
  make test
  ;;
*)
  echo "Erreur : étape inconnue « $step » (prereqs, install, smoke ou test)" >&2
  exit 2
  ;;
esac
