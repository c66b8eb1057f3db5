"""Vérifie les règles des diapositives du cours (docs/slides : issue 15).

Chaque notebook `NN_nom.ipynb` (avec ses sorties commitées) est exporté en
reveal.js comme par `make slides` (`tools/export_slides.py`), puis ouvert dans
Chromium sans interface à 1280×720 ; chaque diapositive (chaque `slide` et
chaque `subslide`, fragments tous visibles, notes de l'orateur exclues) est
mesurée :

1. elle tient à l'écran : hauteur du contenu ≤ hauteur de diapositive de
   reveal.js (rien de coupé, ni en hauteur ni en largeur) et au plus
   20 lignes rendues (hauteur du contenu / hauteur de ligne du texte courant ;
   une figure compte pour sa hauteur, le code aussi) ;
2. au plus 12 lignes de code visibles (somme sur ses cellules de code) ;
3. elle a un titre : sa première cellule est du Markdown qui commence par un
   titre `#`, `##` ou `###` ;
4. pas de plomberie de test à l'écran : aucun marqueur `NBVAL_` visible,
   aucune sortie d'erreur (stderr), aucun avertissement (`…Warning`) ;
5. chaque section (une diapositive `slide` et ses `subslide`) a au moins une
   cellule `notes` de la forme « **Notes pour l'enseignant** (≈ N min) »,
   « À dire », « Question à la salle », « Réponse attendue » (lue dans le
   JSON du notebook) ;
6. une cellule étiquetée `slide-long` dispense sa diapositive des règles 1
   et 2 ; au plus une par notebook.

Usage :

    $ python tools/check_slides.py [--dir DOSSIER] [NN ...]
    06_exemple_mnist : 30 diapositives ; la plus longue : 41,3 lignes rendues (n° 12), 18 lignes de code (n° 14) ; 7 cellules de notes ; 25 violations
      06_exemple_mnist, diapositive 12/30 « Entraîner » : 41,3 lignes rendues > 20 (règle 1)
    ...

Code de sortie : 0 si tout est conforme, 1 s'il y a des violations, 2 pour
une erreur d'usage (notebook introuvable, Chromium absent…).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import re
import sys
import tempfile
import time

TOOLS = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
import export_slides  # noqa: E402
import reveal_browser  # noqa: E402

MAX_LINES = 20
MAX_CODE_LINES = 12
LONG_TAG = "slide-long"
# Les éléments attendus dans les notes d'une section (règle 5).
NOTES_PARTS = {
    "Notes pour l'enseignant": re.compile(r"\*\*Notes pour l'enseignant\*\*"),
    "durée (≈ N min)": re.compile(r"≈\s*\d+(?:[,.]\d+)?\s*min"),
    "À dire": re.compile(r"À dire\s*:"),
    "Question à la salle": re.compile(r"Question à la salle\s*:"),
    "Réponse attendue": re.compile(r"Réponse attendue\s*:"),
}

# Mesure de toutes les diapositives d'un diaporama ouvert (reveal_browser).
MEASURE_JS = r"""
() => {
  const R = window.Reveal;
  R.configure({transition: 'none', backgroundTransition: 'none', fragments: false});
  document.querySelectorAll('.fragment').forEach(f => f.classList.add('visible'));
  const config = R.getConfig();
  const inNotes = el => el.closest('aside.notes') !== null;
  // Hauteur de ligne du texte courant : un paragraphe de cellule Markdown.
  const first = R.getSlides()[0];
  R.slide(R.getIndices(first).h, R.getIndices(first).v);
  const probe = document.createElement('div');
  probe.className = 'jp-RenderedHTMLCommon jp-RenderedMarkdown';
  probe.innerHTML = '<p>Ligne</p>';
  first.appendChild(probe);
  const scale0 = R.getScale();
  const lineHeight = probe.firstChild.getBoundingClientRect().height / scale0;
  probe.remove();

  const slides = [];
  for (const slide of R.getSlides()) {
    const idx = R.getIndices(slide);
    R.slide(idx.h, idx.v);
    // nbconvert rend défilantes les diapositives trop hautes : on annule.
    for (const s of [slide, slide.parentElement]) {
      s.style.height = ''; s.style.overflowY = ''; s.style.marginTop = '';
    }
    const scale = R.getScale();
    const box = slide.getBoundingClientRect();
    let top = Infinity, bottom = -Infinity, right = -Infinity;
    for (const child of slide.children) {
      if (child.matches('aside.notes')) continue;
      const r = child.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
      right = Math.max(right, r.right);
    }
    const height = bottom > top ? (bottom - top) / scale : 0;
    const overflowRight = right > -Infinity ? (right - box.left) / scale - config.width : 0;
    // Contenu coupé à l'intérieur (défilement ou débordement masqué) : le
    // texte ou les images dépassent la zone visible de leur boîte (le seul
    // rembourrage qui déborde, artefact du CSS de nbconvert, ne compte pas).
    let cutWide = overflowRight > 2, cutTall = false, wideText = '';
    for (const el of slide.querySelectorAll('*')) {
      const wide = el.scrollWidth > el.clientWidth + 2;
      const tall = el.scrollHeight > el.clientHeight + 2;
      if (!(wide || tall) || inNotes(el)) continue;
      const st = getComputedStyle(el);
      if (!((wide && st.overflowX !== 'visible') || (tall && st.overflowY !== 'visible'))) continue;
      const range = document.createRange();
      range.selectNodeContents(el);
      const content = range.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      const right = r.left + (el.clientLeft + el.clientWidth) * scale;
      const bottom = r.top + (el.clientTop + el.clientHeight) * scale;
      if (wide && st.overflowX !== 'visible' && content.right > right + 2) {
        cutWide = true;
        if (!wideText) {
          wideText = el.innerText.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
        }
      }
      if (tall && st.overflowY !== 'visible' && content.bottom > bottom + 2) cutTall = true;
    }
    const cells = [...slide.querySelectorAll('.jp-Cell')].filter(c => !inNotes(c));
    let codeLines = 0;
    for (const cell of cells) {
      if (!cell.classList.contains('jp-CodeCell')) continue;
      for (const pre of cell.querySelectorAll('.jp-InputArea-editor pre')) {
        const text = pre.innerText.replace(/\s+$/, '');
        if (text) codeLines += text.split('\n').length;
      }
    }
    const firstCell = cells[0] || null;
    let opener = 'vide', titled = false;
    if (firstCell) {
      if (firstCell.classList.contains('jp-MarkdownCell')) {
        opener = 'markdown';
        const md = firstCell.querySelector('.jp-RenderedMarkdown');
        const head = md && md.firstElementChild;
        titled = !!head && /^H[123]$/.test(head.tagName);
      } else if (firstCell.classList.contains('jp-CodeCell')) {
        opener = 'code';
      } else {
        opener = 'autre';
      }
    }
    // Titre affiché dans les messages : le titre de la diapositive, sinon le
    // début de sa première cellule (sans l'invite « In [n]: »).
    let title = '';
    if (titled) {
      title = firstCell.querySelector('h1, h2, h3').textContent;
    } else if (firstCell) {
      const body = firstCell.querySelector('.jp-InputArea-editor, .jp-RenderedMarkdown') || firstCell;
      const line = body.innerText.split('\n').find(l => l.trim()) || '';
      title = (opener === 'code' ? 'code : ' : '') + line;
    }
    title = title.replace(/¶/g, '').replace(/\s+/g, ' ').trim();
    const outputs = [...slide.querySelectorAll('.jp-OutputArea-output')].filter(o => !inNotes(o));
    const stderr = outputs.filter(
      o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr').length;
    const warnings = outputs.filter(o => /\b\w*Warning\b/.test(o.innerText)).length;
    slides.push({
      title, height, codeLines, opener, titled, stderr, warnings,
      lines: height / lineHeight,
      cut: height > config.height + 1 || cutTall,
      cutWide,
      wideText: wideText.trim(),
      nbval: /NBVAL_/.test(slide.innerText),
      long: [...slide.querySelectorAll('.celltag_' + CSS.escape('slide-long'))].length > 0,
    });
  }
  return {lineHeight, width: config.width, height: config.height, slides};
}
"""


@dataclasses.dataclass
class Report:
    """Résultat de la vérification d'un notebook."""

    name: str
    slides: list[dict]
    notes_cells: int
    violations: list[str]

    def summary(self) -> str:
        """La ligne de résumé en français."""
        count = len(self.slides)
        parts = [f"{self.name} : {count} diapositive{'s' if count > 1 else ''}"]
        if self.slides:
            tall = max(range(count), key=lambda i: self.slides[i]["lines"])
            code = max(range(count), key=lambda i: self.slides[i]["codeLines"])
            parts.append(
                f"la plus longue : {french(self.slides[tall]['lines'])} lignes rendues "
                f"(n° {tall + 1}), {self.slides[code]['codeLines']} lignes de code "
                f"(n° {code + 1})"
            )
        parts.append(f"{self.notes_cells} cellule(s) de notes")
        parts.append(
            f"{len(self.violations)} violation(s)" if self.violations else "conforme"
        )
        return " ; ".join(parts)


def french(value: float) -> str:
    """Un nombre à une décimale, virgule française.

    >>> french(20.04)
    '20,0'
    """
    return f"{value:.1f}".replace(".", ",")


def shorten(text: str, width: int = 60) -> str:
    """Coupe un texte trop long pour un message.

    >>> shorten("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def json_slides(cells: list[dict]) -> list[dict]:
    """Diapositives d'un notebook selon ses métadonnées (comme nbconvert).

    Chaque diapositive : `section` (indice de la `slide` de tête), `cells`.

    >>> cells = [{"metadata": {"slideshow": {"slide_type": t}}} for t in
    ...          ["skip", "slide", "notes", "subslide", "fragment", "slide", "-"]]
    >>> [(s["section"], len(s["cells"])) for s in json_slides(cells)]
    [(0, 2), (0, 2), (1, 2)]
    """
    slides: list[dict] = []
    pending: list[dict] = []
    for cell in cells:
        kind = slide_type(cell)
        if kind == "skip":
            continue
        if not slides:
            if kind == "notes":
                pending.append(cell)
                continue
            slides.append({"section": 0, "cells": [*pending, cell]})
        elif kind == "slide":
            slides.append({"section": slides[-1]["section"] + 1, "cells": [cell]})
        elif kind == "subslide":
            slides.append({"section": slides[-1]["section"], "cells": [cell]})
        else:
            slides[-1]["cells"].append(cell)
    return slides


def notes_problem(notes: list[str]) -> str | None:
    """Ce qui manque aux notes d'une section (règle 5), ou None.

    >>> print(notes_problem([]))
    aucune cellule de notes (slide_type « notes »)
    >>> good = ("**Notes pour l'enseignant** (≈ 3 min)\\n- À dire : x\\n"
    ...         "- Question à la salle : « y ? »\\n- Réponse attendue : z")
    >>> notes_problem([good]) is None
    True
    >>> notes_problem(["**Notes pour l'enseignant** (≈ 2 min)\\n- À dire : x"])
    'notes sans « Question à la salle », « Réponse attendue »'
    """
    if not notes:
        return "aucune cellule de notes (slide_type « notes »)"
    text = "\n".join(notes).replace("’", "'")
    missing = [
        name for name, pattern in NOTES_PARTS.items() if not pattern.search(text)
    ]
    if missing:
        return "notes sans " + ", ".join(f"« {name} »" for name in missing)
    return None


def rule_violations(measured: list[dict], cells: list[dict]) -> tuple[list[str], int]:
    """Violations (sans le nom du notebook) et nombre de cellules de notes."""
    structure = json_slides(cells)
    total = len(measured)
    if len(structure) != total:
        raise RuntimeError(
            f"{len(structure)} diapositives d'après le notebook, {total} dans l'export"
        )
    found: list[tuple[int, str]] = []  # (diapositive, message), triés à la fin

    def add(index: int, message: str) -> None:
        found.append((index, message))

    def where(index: int) -> str:
        return (
            f"diapositive {index + 1}/{total} « {shorten(measured[index]['title'])} »"
        )

    for index, slide in enumerate(measured):
        here = where(index)
        if not slide["long"]:
            if slide["cut"]:
                add(
                    index,
                    f"{here} : contenu coupé, plus haut que la diapositive "
                    f"({french(slide['lines'])} lignes rendues) (règle 1)",
                )
            elif slide["lines"] > MAX_LINES + 0.05:
                add(
                    index,
                    f"{here} : {french(slide['lines'])} lignes rendues > {MAX_LINES} (règle 1)",
                )
            if slide["cutWide"]:
                add(
                    index,
                    f"{here} : contenu coupé en largeur (défilement horizontal ; "
                    f"ligne trop longue : « {shorten(slide['wideText'], 50)} ») (règle 1)",
                )
            if slide["codeLines"] > MAX_CODE_LINES:
                add(
                    index,
                    f"{here} : {slide['codeLines']} lignes de code visibles "
                    f"> {MAX_CODE_LINES} (règle 2)",
                )
        if slide["opener"] == "code":
            add(index, f"{here} : une cellule de code ouvre la diapositive (règle 3)")
        elif not slide["titled"]:
            add(
                index,
                f"{here} : pas de titre (la première cellule doit être du Markdown "
                "commençant par #, ## ou ###) (règle 3)",
            )
        if slide["nbval"]:
            add(index, f"{here} : marqueur NBVAL_ visible (règle 4)")
        if slide["stderr"]:
            add(index, f"{here} : sortie d'erreur (stderr) affichée (règle 4)")
        if slide["warnings"]:
            add(index, f"{here} : avertissement (…Warning) affiché (règle 4)")

    notes_cells = 0
    sections: dict[int, list[int]] = {}
    for index, slide in enumerate(structure):
        sections.setdefault(slide["section"], []).append(index)
    for indices in sections.values():
        notes = [
            source(cell)
            for i in indices
            for cell in structure[i]["cells"]
            if slide_type(cell) == "notes"
        ]
        notes_cells += len(notes)
        problem = notes_problem(notes)
        if problem:
            add(indices[0], f"{where(indices[0])} : section {problem} (règle 5)")

    violations = [text for _, text in sorted(found, key=lambda item: item[0])]
    long_cells = [c for c in cells if LONG_TAG in c.get("metadata", {}).get("tags", [])]
    if len(long_cells) > 1:
        violations.append(
            f"{len(long_cells)} cellules étiquetées « {LONG_TAG} » : une au plus (règle 6)"
        )
    return violations, notes_cells


def check_notebook(
    path: pathlib.Path, browser, exporter, workdir: pathlib.Path, exported=None
) -> Report:
    """Exporte, mesure et vérifie un notebook.

    `exported` : un dossier où `make slides` l'a déjà exporté (avec `lib/`) ;
    son `NN_nom.slides.html` sert alors tel quel.
    """
    path = pathlib.Path(path)
    ready = pathlib.Path(exported) / f"{path.stem}.slides.html" if exported else None
    if ready is not None and ready.is_file():
        html_path = ready
    else:
        html_path = export_slides.export_notebook(path, workdir, exporter)
    page = reveal_browser.open_deck(browser, html_path)
    try:
        measured = page.evaluate(MEASURE_JS)
    finally:
        page.close()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    violations, notes_cells = rule_violations(measured["slides"], cells)
    name = path.stem
    return Report(
        name=name,
        slides=measured["slides"],
        notes_cells=notes_cells,
        violations=[f"{name}, {v}" for v in violations],
    )


def check_notebooks(paths, on_report=None, exported=None) -> list[Report]:
    """Vérifie plusieurs notebooks avec un seul navigateur.

    `on_report(report)` est appelé après chaque notebook (affichage au fil
    de l'eau) ; `exported` : voir `check_notebook`.
    """
    reports = []
    with tempfile.TemporaryDirectory(prefix="fltutor-slides-") as tmp:
        workdir = pathlib.Path(tmp)
        assets = export_slides.local_assets()
        if assets is None:
            raise reveal_browser.BrowserError(
                f"bibliothèques reveal.js incomplètes dans {export_slides.ASSETS}"
            )
        exporter = export_slides.make_exporter(
            export_slides.install_assets(assets, workdir)
        )
        with reveal_browser.launch() as browser:
            for path in paths:
                report = check_notebook(path, browser, exporter, workdir, exported)
                reports.append(report)
                if on_report is not None:
                    on_report(report)
    return reports


def select_notebooks(folder: pathlib.Path, prefixes: list[str]) -> list[pathlib.Path]:
    """Les notebooks `NN_*.ipynb` du dossier, filtrés par numéros `NN`."""
    found = sorted(pathlib.Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not prefixes:
        return found
    chosen = []
    for prefix in prefixes:
        matches = [
            p for p in found if p.name.startswith(f"{prefix}_") or p.stem == prefix
        ]
        if not matches:
            raise FileNotFoundError(
                f"aucun notebook « {prefix}_*.ipynb » dans {folder}"
            )
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Vérifie les règles des diapositives (taille, code, titre, "
        "plomberie de test, notes de l'enseignant) sur l'export reveal.js."
    )
    parser.add_argument(
        "numbers", nargs="*", metavar="NN", help="numéros des notebooks (défaut : tous)"
    )
    parser.add_argument(
        "--dir",
        default=str(export_slides.NOTEBOOKS),
        help="dossier des notebooks (défaut : notebooks/ du dépôt)",
    )
    args = parser.parse_args(argv)
    folder = pathlib.Path(args.dir)
    try:
        paths = select_notebooks(folder, args.numbers)
    except FileNotFoundError as error:
        print(f"Erreur : {error}.", file=sys.stderr)
        return 2
    if not paths:
        print(f"Erreur : aucun notebook NN_*.ipynb dans {folder}.", file=sys.stderr)
        return 2

    started = time.monotonic()

    def show(report: Report) -> None:
        print(report.summary())
        for line in report.violations:
            print(f"  {line}")
        sys.stdout.flush()

    try:
        reports = check_notebooks(paths, on_report=show)
    except reveal_browser.BrowserError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    total = sum(len(r.violations) for r in reports)
    elapsed = french(time.monotonic() - started)
    if total:
        print(f"{total} violation(s) dans {len(reports)} notebook(s) ({elapsed} s).")
        return 1
    print(
        f"Toutes les diapositives sont conformes ({len(reports)} notebook(s), {elapsed} s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
