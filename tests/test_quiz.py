"""Tests des quiz (`fltutor.quiz` et `notebooks/quiz/NN.json`)."""

from __future__ import annotations

import json

import pytest

from fltutor import quiz

NOTEBOOKS = [f"{n:02d}" for n in range(12)]


def test_one_quiz_per_notebook():
    files = sorted(p.stem for p in quiz.dossier().glob("*.json"))
    assert files == NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_quiz_loads_validates_and_marks_answers(notebook):
    questions = quiz.charger(notebook)
    assert 3 <= len(questions) <= 6
    box = quiz.afficher(notebook)
    assert len(box.questions) == len(questions)
    for item in box.questions:
        question = item.question
        # Avant toute réponse : on demande de choisir.
        assert not item.check().juste
        assert "Choisissez" in item.feedback.value
        # La bonne réponse : « Exact » et l'explication.
        item.choose(sorted(question.reponses))
        item.button.click()
        assert "✅ Exact" in item.feedback.value
        assert question.explication in item.feedback.value
        # Une mauvaise réponse : « Pas tout à fait », la réponse attendue, l'explication.
        wrong = next(
            i for i in range(len(question.choix)) if i not in question.reponses
        )
        item.choose([wrong])
        item.button.click()
        assert "❌ Pas tout à fait" in item.feedback.value
        assert question.explication in item.feedback.value


def test_multiple_answers_need_all_the_right_boxes():
    question = next(q for q in quiz.charger("08") if q.multiple)
    right = sorted(question.reponses)
    assert quiz.corriger(question, right).juste
    assert not quiz.corriger(question, right[:1]).juste
    everything = range(len(question.choix))
    assert not quiz.corriger(question, everything).juste


def test_choices_are_shuffled_for_display_but_marked_by_index():
    shown = quiz.afficher("06").questions
    plain = quiz.afficher("06", melanger=False).questions
    orders = [tuple(q.inputs[0].options) for q in shown if not q.question.multiple]
    assert any(order != q.question.choix for order, q in zip(orders, shown))
    assert all(tuple(q.inputs[0].options) == q.question.choix for q in plain)


def test_unknown_notebook_gives_a_french_error():
    with pytest.raises(quiz.QuizError, match="Pas de quiz pour le notebook '42'"):
        quiz.charger("42")


@pytest.mark.parametrize(
    "content, message",
    [
        ("[1, 2", "n'est pas du JSON valide"),
        ("{}", "une liste de 3 à 6 questions"),
        (
            [
                {
                    "question": "Q ?",
                    "choix": ["a", "b"],
                    "reponses": [2],
                    "explication": "E",
                }
            ]
            * 3,
            "99.json, question 1 : « reponses »",
        ),
        (
            [
                {
                    "question": "Q ?",
                    "choix": ["a", "b"],
                    "reponses": [0],
                    "explication": "E",
                }
            ]
            * 2
            + [
                {"question": "Q ?", "choix": ["a"], "reponses": [0], "explication": "E"}
            ],
            "question 3 : « choix » doit avoir au moins 2",
        ),
        (
            [
                {
                    "question": "Q ?",
                    "choix": ["a", "b"],
                    "reponse": [0],
                    "explication": "E",
                }
            ]
            * 3,
            "clés manquantes : reponses ; clés inconnues : reponse",
        ),
    ],
)
def test_malformed_file_names_the_file_and_the_question(
    tmp_path, monkeypatch, content, message
):
    text = content if isinstance(content, str) else json.dumps(content)
    (tmp_path / "99.json").write_text(text, encoding="utf-8")
    monkeypatch.setenv("FLTUTOR_QUIZ_DIR", str(tmp_path))
    with pytest.raises(quiz.QuizError, match=message):
        quiz.charger("99")
