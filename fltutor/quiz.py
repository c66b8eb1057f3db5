"""Les quiz de fin de notebook : questions en données, affichage en ipywidgets.

Les questions d'un notebook sont dans `notebooks/quiz/NN.json` : une liste
d'objets `{"question", "choix", "reponses", "explication"}` (`reponses` :
les indices, à partir de 0, du ou des bons choix). `charger("06")` lit et
valide le fichier ; `afficher("06")` montre chaque question (un onglet chacune) avec
ses choix, un bouton « Vérifier », la correction immédiate et l'explication.

>>> questions = charger("06")
>>> len(questions) >= 3
True
>>> corriger(questions[0], questions[0].reponses).juste
True
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib

__all__ = ["Question", "QuizError", "afficher", "charger", "corriger", "dossier"]


class QuizError(ValueError):
    """Un quiz introuvable ou mal écrit (le message nomme le fichier et la question)."""


@dataclasses.dataclass(frozen=True)
class Question:
    """Une question : son texte, ses choix, les indices justes et l'explication."""

    question: str
    choix: tuple[str, ...]
    reponses: frozenset[int]
    explication: str

    @property
    def multiple(self) -> bool:
        """Vrai s'il y a plusieurs bonnes réponses (cases à cocher)."""
        return len(self.reponses) > 1


@dataclasses.dataclass(frozen=True)
class Correction:
    """Le verdict d'une réponse : `juste`, et le texte à afficher."""

    juste: bool
    message: str


def dossier() -> pathlib.Path:
    """Le dossier des quiz : `FLTUTOR_QUIZ_DIR`, sinon `notebooks/quiz/` du dépôt."""
    env = os.environ.get("FLTUTOR_QUIZ_DIR", "").strip()
    if env:
        return pathlib.Path(env).expanduser()
    return pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "quiz"


_KEYS = {"question": str, "choix": list, "reponses": list, "explication": str}


def _question(item, where: str) -> Question:
    if not isinstance(item, dict):
        raise QuizError(f"{where} : un objet {{...}} est attendu.")
    missing = [k for k in _KEYS if k not in item]
    extra = [k for k in item if k not in _KEYS]
    if missing or extra:
        detail = []
        if missing:
            detail.append("clés manquantes : " + ", ".join(missing))
        if extra:
            detail.append("clés inconnues : " + ", ".join(extra))
        raise QuizError(f"{where} : " + " ; ".join(detail) + ".")
    for key, kind in _KEYS.items():
        if not isinstance(item[key], kind):
            raise QuizError(f"{where} : « {key} » doit être de type {kind.__name__}.")
    if not item["question"].strip() or not item["explication"].strip():
        raise QuizError(f"{where} : la question et l'explication ne sont pas vides.")
    choices = item["choix"]
    if len(choices) < 2 or not all(isinstance(c, str) and c.strip() for c in choices):
        raise QuizError(f"{where} : « choix » doit avoir au moins 2 textes non vides.")
    if len(set(choices)) != len(choices):
        raise QuizError(f"{where} : deux choix identiques.")
    answers = item["reponses"]
    if not answers or not all(
        isinstance(a, int) and not isinstance(a, bool) and 0 <= a < len(choices)
        for a in answers
    ):
        raise QuizError(
            f"{where} : « reponses » doit lister au moins un indice de choix "
            f"(de 0 à {len(choices) - 1})."
        )
    return Question(
        item["question"], tuple(choices), frozenset(answers), item["explication"]
    )


def charger(notebook: str) -> list[Question]:
    """Lit et valide le quiz d'un notebook (« 06 ») ; `QuizError` en français sinon."""
    name = str(notebook).strip()
    path = dossier() / f"{name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in dossier().glob("*.json"))
        raise QuizError(
            f"Pas de quiz pour le notebook {notebook!r} ({path.name} introuvable "
            f"dans {dossier()}). Quiz disponibles : {', '.join(known) or 'aucun'}."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuizError(
            f"{path.name} n'est pas du JSON valide (ligne {error.lineno}, "
            f"colonne {error.colno}) : {error.msg}."
        ) from None
    if not isinstance(data, list) or not 3 <= len(data) <= 6:
        raise QuizError(f"{path.name} : une liste de 3 à 6 questions est attendue.")
    return [
        _question(item, f"{path.name}, question {i}") for i, item in enumerate(data, 1)
    ]


def corriger(question: Question, choisis) -> Correction:
    """Corrige une réponse (les indices cochés) et rédige la correction."""
    chosen = frozenset(choisis)
    if not chosen:
        return Correction(False, "Choisissez une réponse avant de vérifier.")
    right = chosen == question.reponses
    expected = " ; ".join(question.choix[i] for i in sorted(question.reponses))
    head = (
        "✅ Exact !" if right else f"❌ Pas tout à fait. Réponse attendue : {expected}."
    )
    return Correction(right, f"{head} {question.explication}")


class QuestionWidget:
    """Une question à l'écran : les choix, « Vérifier », la correction (`box`)."""

    def __init__(self, question: Question, number: int, shuffle: bool = True):
        import random

        import ipywidgets as w

        self.question = question
        # Ordre d'affichage des choix : mélangé (toujours de la même façon pour
        # une question donnée), pour que la bonne réponse ne soit pas toujours
        # la première du fichier.
        order = list(range(len(question.choix)))
        if shuffle:
            random.Random(question.question).shuffle(order)
        title = w.HTML(f"<b>Question {number}.</b> {question.question}")
        if question.multiple:
            self.inputs = [
                w.Checkbox(description=c, indent=False, layout=w.Layout(width="auto"))
                for c in question.choix
            ]
            choices = w.VBox(
                [
                    w.HTML("<i>Plusieurs réponses possibles.</i>"),
                    *[self.inputs[i] for i in order],
                ]
            )
        else:
            self.inputs = [
                w.RadioButtons(
                    options=[question.choix[i] for i in order],
                    value=None,
                    layout=w.Layout(width="auto"),
                )
            ]
            choices = self.inputs[0]
        self.button = w.Button(description="Vérifier", button_style="primary")
        self.feedback = w.HTML()
        self.button.on_click(lambda _: self.check())
        self.box = w.VBox([title, choices, self.button, self.feedback])

    def choose(self, indices) -> None:
        """Coche les choix `indices` (pour les tests et les démonstrations)."""
        if self.question.multiple:
            for i, box in enumerate(self.inputs):
                box.value = i in indices
        else:
            (index,) = indices
            self.inputs[0].value = self.question.choix[index]

    def chosen(self) -> set[int]:
        if self.question.multiple:
            return {i for i, box in enumerate(self.inputs) if box.value}
        value = self.inputs[0].value
        return set() if value is None else {self.question.choix.index(value)}

    def check(self) -> Correction:
        result = corriger(self.question, self.chosen())
        color = "#1b7e3c" if result.juste else "#b3261e"
        self.feedback.value = f'<div style="color:{color}">{result.message}</div>'
        return result


def afficher(notebook: str, melanger: bool = True):
    """Affiche le quiz d'un notebook (« 06 ») et renvoie le widget (ipywidgets).

    Une question par onglet (« Q1 », « Q2 »…) : le quiz tient sur une
    diapositive projetée. Les choix sont mélangés (`melanger=False` : l'ordre
    du fichier). Les questions sont dans `.questions` (une `QuestionWidget`
    chacune).
    """
    import ipywidgets as w

    questions = charger(notebook)
    items = [QuestionWidget(q, i, melanger) for i, q in enumerate(questions, 1)]
    tabs = w.Tab(children=[i.box for i in items])
    for index in range(len(items)):
        tabs.set_title(index, f"Q{index + 1}")
    box = w.VBox([w.HTML(f"<b>Quiz — notebook {notebook}</b>"), tabs])
    box.questions = items
    return box
