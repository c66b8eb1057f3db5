"""Les nombres et tableaux écrits à la française (fltutor.formatting)."""

import pytest

from fltutor import formatting


def test_percent_table_aligne_les_colonnes_et_ecrit_a_la_francaise():
    text = formatting.percent_table(
        {
            "Téléphone 1 seul": {"tout le test": 0.25, "tél. 1": 0.991},
            "Fédéré": {"tout le test": 0.8, "tél. 1": 0.75},
        },
        first="Modèle",
    )
    lines = text.split("\n")
    assert lines[0].split() == ["Modèle", "tout", "le", "test", "tél.", "1"]
    assert lines[1].split()[-4:] == ["25,0", "%", "99,1", "%"]
    assert lines[2].startswith("Fédéré ")
    assert len({len(line) for line in lines}) == 1  # colonnes alignées à droite


@pytest.mark.parametrize(
    "rows",
    [{}, {"a": {"x": 0.1}, "b": {"y": 0.2}}, {"a": 0.5}, [("a", {"x": 0.1})]],
)
def test_percent_table_refuse_un_tableau_mal_forme(rows):
    with pytest.raises(ValueError, match="colonnes|dictionnaire"):
        formatting.percent_table(rows)
