"""Le cœur du vérificateur : le registre, le résultat, les aides communes.

Chaque exercice est une petite fonction `check(reponse)` enregistrée par
`@exercise(...)`. Elle ne renvoie rien si la réponse est juste, et lève
`Wrong(message, indice)` sinon. `run` l'appelle et transforme **tout**
problème (stub `...`, `None`, mauvais type, exception dans la fonction de
l'étudiant, et même un défaut du vérificateur) en un message en français :
jamais de trace d'erreur, jamais la réponse.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import unicodedata
from typing import Callable

import numpy as np

from fltutor import checks, formatting

LEVELS = {1: "★ découverte", 2: "★★ application", 3: "★★★ approfondissement"}
LETTERS = "abcdefgh"


class Wrong(Exception):
    """Une réponse fausse : `message` dit ce qui ne va pas, `hint` met sur la voie."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclasses.dataclass
class Result:
    """Le verdict d'une vérification : `ok`, `message`, `hint` (`bool(r)` vaut `ok`)."""

    exercise: str
    ok: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return self.message + (f"\n💡 Indice : {self.hint}" if self.hint else "")

    def _ipython_display_(self):
        # Le message est déjà affiché par `exercice` : rien à répéter.
        pass


@dataclasses.dataclass
class Exercise:
    """Une entrée du registre : l'identifiant `NN-k`, son titre et ses métadonnées."""

    id: str
    title: str
    level: int
    minutes: int
    long_run: int | None  # durée du calcul en minutes (mode complet), None si court
    check: Callable
    options: tuple[str, ...] = ()


REGISTRY: dict[str, Exercise] = {}


def exercise(id, title, level, minutes, long_run=None, options=()):
    """Décorateur : enregistre `check` sous `id` avec son niveau et sa durée."""

    def register(check):
        if id in REGISTRY:
            raise ValueError(f"Exercice {id} enregistré deux fois.")
        REGISTRY[id] = Exercise(
            id, title, level, minutes, long_run, check, tuple(options)
        )
        return check

    return register


# --- La réponse : stubs, types, nombres -------------------------------------


def _is_stub_function(function) -> bool:
    """Vrai pour une fonction dont le corps n'est que `...` (squelette non rempli).

    >>> def f(x):
    ...     'Docstring.'
    ...     ...
    >>> _is_stub_function(f), _is_stub_function(len)
    (True, False)
    """
    import inspect
    import textwrap

    if not inspect.isfunction(function):
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False  # source introuvable : on ne devine pas
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = node.body
    if body and _constant(body[0], str):
        body = body[1:]  # la docstring ne compte pas
    return len(body) == 1 and _constant(body[0], type(Ellipsis))


def _constant(statement, kind) -> bool:
    """Vrai si `statement` est une constante seule de type `kind` (`...`, docstring)."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, kind)
    )


def has_stub(value, depth=0) -> bool:
    """Vrai si `value` est `...` ou en contient (dans une liste, un tuple, un dict),
    ou si c'est une fonction dont le corps est resté `...`."""
    if value is Ellipsis or _is_stub_function(value):
        return True
    if depth > 3:
        return False
    if isinstance(value, dict):
        return any(has_stub(v, depth + 1) for v in (*value.keys(), *value.values()))
    if isinstance(value, (list, tuple)):
        return any(has_stub(v, depth + 1) for v in value)
    return False


def call(function, *args, what="Votre fonction"):
    """Appelle la fonction de l'étudiant ; ses erreurs deviennent un `Wrong`."""
    if not callable(function):
        raise Wrong(
            f"La réponse doit être une fonction (reçu : {type(function).__name__}).",
            "Passez le nom de la fonction, sans parenthèses.",
        )
    try:
        result = function(*args)
    except Exception as error:  # noqa: BLE001 — tout message vaut mieux qu'une trace
        raise Wrong(
            f"{what} a levé une erreur {type(error).__name__} : {error}",
            "Testez-la d'abord sur un petit exemple, dans une cellule à part.",
        ) from None
    if result is None:
        raise Wrong(f"{what} renvoie None.", "Avez-vous oublié le `return` à la fin ?")
    if has_stub(result):
        raise Wrong(
            f"{what} renvoie encore `...`.", "Remplacez les `...` par votre code."
        )
    return result


def real(value, name="La réponse") -> float:
    """Un nombre réel fini (pas un booléen), sinon `Wrong` (message de `fltutor.checks`)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    try:
        return checks.real(value, name)
    except ValueError as error:
        raise Wrong(str(error)) from None


def integer(value, name="La réponse") -> int:
    """Un nombre entier, sinon `Wrong` (un réel entier comme 5.0 est accepté)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return checks.integer(value, name)
    except ValueError as error:
        raise Wrong(str(error)) from None


def fr(value, digits=3) -> str:
    """Un nombre à la française, sans zéros inutiles : `fr(0.30)` → `'0,3'`."""
    text = formatting.number(value, digits)
    return text.rstrip("0").rstrip(",") if "," in text else text


def mapping(value, keys, name="La réponse") -> dict:
    """Un dictionnaire qui a au moins les clés `keys` (clés numériques comparées par valeur)."""
    if not isinstance(value, dict):
        wanted = ", ".join(repr(k) for k in keys)
        raise Wrong(
            f"{name} doit être un dictionnaire (reçu : {type(value).__name__}).",
            f"Clés attendues : {wanted}.",
        )
    found = {}
    for key in keys:
        match = [k for k in value if k == key or _same_text(k, key)]
        if not match:
            raise Wrong(f"{name} n'a pas de clé {key!r}.", "Vérifiez l'orthographe.")
        found[key] = value[match[0]]
    return found


def sequence(value, length=None, name="La réponse") -> list:
    """Une liste ou un tuple (ou un tableau) de `length` éléments."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise Wrong(f"{name} doit être une liste (reçu : {type(value).__name__}).")
    if length is not None and len(value) != length:
        raise Wrong(f"{name} doit avoir {length} éléments (reçu : {len(value)}).")
    return list(value)


def close(value, expected, rtol=1e-3, atol=1e-9) -> bool:
    """Vrai si `value` est proche de `expected` (tolérance relative et absolue)."""
    return bool(np.allclose(value, expected, rtol=rtol, atol=atol))


def weights(value, name="La réponse") -> list[np.ndarray]:
    """Une liste de tableaux numpy (des poids de modèle)."""
    if not isinstance(value, (list, tuple)) or not value:
        raise Wrong(
            f"{name} doit être une liste de tableaux (reçu : {type(value).__name__})."
        )
    try:
        return [np.asarray(v, dtype=np.float64) for v in value]
    except (TypeError, ValueError):
        raise Wrong(f"{name} doit ne contenir que des tableaux de nombres.") from None


# --- Le texte : normaliser une réponse courte en français --------------------


def normalise(text) -> str:
    """Minuscules, sans accents, ponctuation ni espaces en trop.

    >>> normalise("  La moyenne PONDÉRÉE ! ")
    'la moyenne ponderee'
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9,.]+", " ", text).split())


def _same_text(a, b) -> bool:
    return isinstance(a, str) and isinstance(b, str) and normalise(a) == normalise(b)


def short_answer(reponse, accepted, refused=None):
    """Réponse courte : un des mots de `accepted` (normalisés) doit y figurer.

    `refused` : {mot: (message, indice)} pour les erreurs typiques.
    """
    if not isinstance(reponse, str):
        raise Wrong(
            f"La réponse doit être un texte entre guillemets (reçu : {reponse!r})."
        )
    said = normalise(reponse)
    for word, (message, hint) in (refused or {}).items():
        if normalise(word) in said.split() or said == normalise(word):
            raise Wrong(message, hint)
    if not any(normalise(word) in said for word in accepted):
        raise Wrong("Ce n'est pas la réponse attendue.", "Relisez vos résultats.")


def multiple_choice(reponse, options, right, hints):
    """QCM : `reponse` est une lettre (« b ») ou le texte exact d'un choix.

    `right` : la lettre juste ; `hints` : {lettre fausse: indice}.
    """
    if isinstance(reponse, str):
        said = normalise(reponse).strip(". ")
        if len(said) == 1 and said in LETTERS[: len(options)]:
            letter = said
        else:
            found = [LETTERS[i] for i, o in enumerate(options) if normalise(o) == said]
            letter = found[0] if found else None
    else:
        letter = None
    if letter is None:
        choices = ", ".join(f"« {c} »" for c in LETTERS[: len(options)])
        raise Wrong(
            f"Répondez par une lettre parmi {choices} (reçu : {reponse!r}).",
            "Affichez les choix avec verifier.choix(...).",
        )
    if letter != right:
        raise Wrong(
            f"La réponse « {letter} » n'est pas la bonne.", hints.get(letter, "")
        )


# --- Exécuter une vérification ----------------------------------------------


def run(id, reponse) -> Result:
    """Vérifie `reponse` pour l'exercice `id` ; renvoie un `Result`, ne lève jamais."""
    if not isinstance(id, str) or id not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        return Result(
            str(id),
            False,
            f"❓ Exercice inconnu : {id!r}.",
            f"Les exercices s'appellent « NN-k » : {known}.",
        )
    entry = REGISTRY[id]
    head = f"Exercice {id} ({entry.title})"
    if has_stub(reponse):
        return Result(
            id,
            False,
            f"✏️ {head} : pas encore de réponse — il reste des `...` à remplacer.",
            "Complétez la cellule au-dessus, exécutez-la, puis relancez la vérification.",
        )
    if reponse is None:
        return Result(
            id,
            False,
            f"✏️ {head} : la réponse vaut None.",
            "Votre fonction ou votre cellule a-t-elle un `return` / une valeur ?",
        )
    try:
        praise = entry.check(reponse)
    except Wrong as wrong:
        return Result(id, False, f"❌ {head} : {wrong.message}", wrong.hint)
    except Exception as error:  # noqa: BLE001 — jamais de trace pour l'étudiant
        return Result(
            id,
            False,
            f"❌ {head} : la réponse n'a pas la forme attendue "
            f"({type(error).__name__} : {error}).",
            "Relisez la consigne : quel type de valeur faut-il donner ?",
        )
    return Result(id, True, f"✅ Correct ! {head}" + (f" — {praise}" if praise else ""))
