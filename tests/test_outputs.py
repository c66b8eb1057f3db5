"""Les sorties commitées des notebooks sont celles du vrai cours.

Chaque `.ipynb` du dépôt doit avoir été produit par `make outputs`
(`tools/make_outputs.py`) en mode complet, à partir de la version actuelle de
sa source `.py` : ses métadonnées `metadata.fltutor.outputs` le disent (mode,
empreinte SHA-256 de la source...). Une source modifiée sans régénérer ses
sorties, ou des sorties du mode rapide, font échouer ce test, avec la
commande à lancer.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))

import make_outputs  # noqa: E402  (dossier tools/ ajouté ci-dessus)

SOURCES = make_outputs.check_sync.sources()


def _id(path: pathlib.Path) -> str:
    return str(path.relative_to(NOTEBOOKS_DIR))


def test_il_y_a_des_sources():
    assert SOURCES, "aucune source notebooks/NN_nom.py trouvée"


@pytest.mark.parametrize("py_path", SOURCES, ids=_id)
def test_sorties_du_mode_complet_a_jour(py_path):
    reason = make_outputs.stale_reason(py_path)
    assert reason is None, f"{_id(py_path)} : {reason}"


def _notebook(folder: pathlib.Path, source: str, **record) -> pathlib.Path:
    py_path = folder / "99_essai.py"
    py_path.write_text(source, encoding="utf-8")
    metadata = {"fltutor": {"outputs": record}} if record else {}
    nb = {"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    py_path.with_suffix(".ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return py_path


def test_le_controle_refuse_ce_qu_il_doit_refuser(tmp_path):
    """Contrôle du contrôle, sur un faux notebook : à jour, rapide, périmé, sans provenance."""
    source = "# %%\nprint(1)\n"
    (tmp_path / "99_essai.py").write_text(source, encoding="utf-8")
    complete = {
        "mode": "complet",
        "date": "2026-12-01T12:00:00+00:00",
        "duration_seconds": 1.0,
        "peak_memory_bytes": 1,
        "fltutor_version": "0.1.0",
        "source_sha256": make_outputs.source_hash(tmp_path / "99_essai.py"),
    }
    assert make_outputs.stale_reason(_notebook(tmp_path, source, **complete)) is None

    quick = _notebook(tmp_path, source, **{**complete, "mode": "rapide"})
    assert "pas du mode complet" in make_outputs.stale_reason(quick)

    changed = _notebook(tmp_path, source.replace("1", "2"), **complete)
    reason = make_outputs.stale_reason(changed)
    assert "a changé" in reason and "make outputs NB=" in reason

    assert "pas été produit" in make_outputs.stale_reason(_notebook(tmp_path, source))


def _outputs(py_path: pathlib.Path):
    nb = json.loads(py_path.with_suffix(".ipynb").read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            yield index, output


def _text(output) -> str:
    if "text" in output:
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("py_path", SOURCES, ids=_id)
def test_sorties_propres(py_path):
    """Ni erreur, ni sortie d'erreur (stderr), ni plomberie de test dans ce que lit l'étudiant."""
    for index, output in _outputs(py_path):
        where = f"{_id(py_path)}, cellule {index}"
        assert output["output_type"] != "error", f"{where} : une erreur"
        assert output.get("name") != "stderr", (
            f"{where} : stderr : {_text(output)[:200]}"
        )
        assert "NBVAL" not in _text(output), where


def _all_text(name: str) -> str:
    return "\n".join(_text(o) for _, o in _outputs(NOTEBOOKS_DIR / name))


def test_06_atteint_l_objectif_promis():
    """Le texte de 06 promet 97 % en IID : ses sorties commitées le montrent."""
    text = _all_text("06_exemple_mnist.py")
    assert "Objectif de 97 % atteint au tour" in text
    assert "non atteint" not in text


def test_08_la_confidentialite_differentielle_apprend():
    """Les entraînements DP de 08 sont loin du hasard (10 %) dans les sorties commitées."""
    text = _all_text("08_confidentialite.py")
    finales = re.findall(r"exactitude en test finale (\d+),(\d) %", text)
    assert len(finales) == 4, text
    assert all(int(unit) >= 50 for unit, _ in finales), finales


def test_make_sync_sans_execution_garde_les_sorties_completes(tmp_path, monkeypatch):
    """`check_sync.py --write --no-execute` ne doit jamais effacer les sorties de `make outputs`."""
    import nbformat

    check_sync = make_outputs.check_sync
    monkeypatch.setattr(check_sync, "ROOT", tmp_path)
    py_path = tmp_path / "99_essai.py"
    py_path.write_text("# %%\nprint(1)\n", encoding="utf-8")
    nb = check_sync.read_source(py_path)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.metadata["fltutor"] = {
        "outputs": {
            "mode": "complet",
            "source_sha256": make_outputs.source_hash(py_path),
        }
    }
    nbformat.write(nb, py_path.with_suffix(".ipynb"))
    assert check_sync.write([py_path], run=False) == 0
    again = nbformat.read(py_path.with_suffix(".ipynb"), as_version=4)
    assert again.cells[0].outputs[0]["text"] == "1\n"
    assert make_outputs.provenance(again)["mode"] == "complet"
