"""Les exemples des docstrings de `fltutor` (ceux que lit l'étudiant) sont justes."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import fltutor

MODULES = sorted(m.name for m in pkgutil.iter_modules(fltutor.__path__))


def test_tous_les_modules_sont_verifies():
    assert {"data", "partition", "models", "federated", "scratch", "plots"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_les_exemples_des_docstrings_donnent_le_resultat_affiche(name, capsys):
    module = importlib.import_module(f"fltutor.{name}")
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    rapport = capsys.readouterr().out
    assert result.failed == 0, rapport
