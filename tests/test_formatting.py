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


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (1.234e-7, 1, "1,2 × 10⁻⁷"),
        (9.96e-5, 1, "1,0 × 10⁻⁴"),  # l'arrondi passe à la puissance suivante
        (123456.0, 2, "1,23 × 10⁵"),
        (-0.00042, 1, "-4,2 × 10⁻⁴"),
        (0, 1, "0"),
        (float("nan"), 1, "—"),
    ],
)
def test_scientific(value, digits, expected):
    assert formatting.scientific(value, digits) == expected


def test_number_et_short_separent_les_milliers():
    assert formatting.number(1234567.891, 1) == "1 234 567,9"
    assert formatting.short(12000.5, 1) == "12 000,5"
