"""Tester le cours comme un étudiant : un vrai JupyterLab dans un vrai navigateur.

Le JupyterLab du cours est lancé par sa propre commande (`tools/serve_lab.py`,
celle de `make lab`), en mode rapide (`FLTUTOR_QUICK=1`), sur un port libre
de 127.0.0.1 avec un jeton. Chromium (Debian, sans écran) est piloté par
Playwright :

1. l'interface est en français (menus « Fichier », « Édition »…) ;
2. on ouvre `06_exemple_mnist.ipynb`, on lance « Exécution › Exécuter toutes
   les cellules » et on attend la fin, sans erreur ;
3. l'explorateur de répartitions (liste « Répartition : ») est affiché, et
   changer la répartition puis α change bien la figure ;
4. le diaporama RISE s'ouvre (Alt+R) et montre des diapositives ;
5. RISE plein écran à 1280×720 (l'application `/rise/…`, celle que l'on
   projette), pour 06 et 02 : les trois diapositives les plus longues
   (mesurées dans le DOM) sont capturées et tiennent dans la diapositive ;
   les notes de l'orateur n'apparaissent pas sur la diapositive projetée mais
   dans la vue orateur (touche T) ; dans 06, l'explorateur de répartitions
   est un vrai widget et bouger son curseur change la figure ;
6. l'arrêt du serveur ne laisse aucun processus (jupyter, noyau,
   worker_binary).

Le serveur travaille sur une copie du dossier `notebooks/` : le test ne
réécrit jamais les notebooks du dépôt (RISE enregistre le notebook avant
d'ouvrir le diaporama).

Captures d'écran : `tests/artifacts/` (ignoré par git).
Autre notebook : `FLTUTOR_E2E_NOTEBOOK=chemin/vers/notebook.ipynb`.
Durée : environ cinq à sept minutes selon la machine (dont deux à trois pour
exécuter 06).
"""

from __future__ import annotations

import os
import pathlib
import re
import time

import pytest
from e2e_helpers import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS,
    LabServer,
    copy_course,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=(
            f"Chromium absent ({CHROMIUM}) : test navigateur ignoré. "
            "Installez-le avec `sudo apt-get install chromium` "
            "(ou `python tools/install_chromium.py` en root)."
        ),
    ),
]

DEFAULT_NOTEBOOK = "06_exemple_mnist.ipynb"
# Le diaporama projeté : 06 (avec l'explorateur) et un notebook de cours.
RISE_OTHER_NOTEBOOK = "02_etapes.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
LONGEST = 3
# Poignée d'un curseur : jQuery UI (ipywidgets 7) ou noUiSlider (ipywidgets 8).
SLIDER_HANDLE = ".ui-slider-handle, .noUi-handle"
FRENCH_MENUS = ["Fichier", "Édition", "Affichage", "Exécution", "Noyau"]
SPLIT_LABEL = "Répartition"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RUN_TIMEOUT_S = float(os.environ.get("FLTUTOR_E2E_TIMEOUT", "600"))


def notebook_under_test() -> pathlib.Path:
    chosen = os.environ.get("FLTUTOR_E2E_NOTEBOOK", "").strip()
    return pathlib.Path(chosen).resolve() if chosen else NOTEBOOKS / DEFAULT_NOTEBOOK


def shot(page, name: str) -> pathlib.Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


# ----------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def notebook() -> pathlib.Path:
    path = notebook_under_test()
    if not path.is_file():
        pytest.skip(
            f"Notebook {path.name} absent de {path.parent} : rien à tester "
            "(FLTUTOR_E2E_NOTEBOOK permet d'en choisir un autre)."
        )
    return path


@pytest.fixture(scope="module")
def lab(notebook, tmp_path_factory):
    """Le JupyterLab du cours, lancé par sa commande, en mode rapide, sur une copie."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root = copy_course(notebook.parent, tmp_path_factory.mktemp("cours"))
    server = LabServer(
        root=root,
        notebook=notebook.name,
        env={"FLTUTOR_QUICK": "1", "TF_CPP_MIN_LOG_LEVEL": "2"},
        log_path=ARTIFACTS / "jupyterlab.log",
    )
    started = time.monotonic()
    server.start()
    server.startup_seconds = time.monotonic() - started
    yield server
    server.stop()  # sans effet si test_arret_propre l'a déjà fait
    server.cleanup()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright absent")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(lab, browser, notebook):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(lab.url(f"lab/tree/{notebook.name}"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    yield page
    context.close()


def wait_kernel_idle(page, timeout_ms: float = 120_000) -> None:
    """Attend que le notebook ait un noyau Python prêt (« Inactif »)."""
    page.wait_for_function(
        """() => {
            const name = document.querySelector(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName');
            const state = document.querySelector(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
            return name && name.textContent.includes('Python')
                && state && state.dataset.status === 'idle';
        }""",
        timeout=timeout_ms,
        polling=500,
    )


def code_prompts(page) -> list[str]:
    return page.eval_on_selector_all(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt",
        "els => els.map(e => e.textContent.trim())",
    )


def dismiss_news_question(page) -> None:
    """Répond « Non » à la question sur les nouvelles de Jupyter, comme un étudiant."""
    toast = page.locator(".Toastify__toast", has_text="nouvelles")
    if toast.count():
        toast.get_by_role("button", name=re.compile(r"^Non$")).first.click()


def show(locator) -> None:
    """Fait défiler jusqu'à l'élément (deux fois : les cellules hors écran
    prennent leur vraie hauteur une fois affichées)."""
    for _ in range(2):
        locator.evaluate("e => e.scrollIntoView({block: 'start'})")
        time.sleep(0.5)


def explorer_images(page) -> list[str]:
    cell = page.locator(
        ".jp-CodeCell", has=page.locator(".widget-dropdown", has_text=SPLIT_LABEL)
    ).first
    return cell.locator(".widget-output img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )


def wait_images_change(page, before: list[str], timeout_s: float = 90.0) -> list[str]:
    deadline = time.monotonic() + timeout_s
    after = before
    while time.monotonic() < deadline:
        after = explorer_images(page)
        if after and after != before:
            return after
        time.sleep(0.25)
    return after


# -------------------------------------------------------------------- tests


def test_lab_demande_le_jeton(lab):
    status, _ = lab.api("GET", "api/contents", with_token=False)
    assert status == 403, "l'API du serveur répond sans jeton"
    status, listing = lab.api("GET", "api/contents")
    assert status == 200 and listing["type"] == "directory"
    print(f"JupyterLab prêt en {lab.startup_seconds:.1f} s")


def test_interface_en_francais(lab, page):
    page.wait_for_selector(".lm-MenuBar-itemLabel")
    wait_kernel_idle(page)
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    shot(page, "01_ouverture.png")
    missing = [m for m in FRENCH_MENUS if m not in menus]
    assert not missing, f"menus attendus en français {FRENCH_MENUS}, trouvés {menus}"
    # La langue vient des réglages par défaut du cours (overrides.json),
    # pas des réglages de l'utilisateur (dossier vide pendant le test).
    status, setting = lab.api(
        "GET", "lab/api/settings/@jupyterlab/translation-extension:plugin"
    )
    assert status == 200
    assert setting["schema"]["properties"]["locale"]["default"] == "fr_FR"
    assert "locale" not in setting.get("settings", {}), setting.get("raw")


def test_executer_tout_sans_erreur(page):
    wait_kernel_idle(page)
    dismiss_news_question(page)
    page.locator(".lm-MenuBar-itemLabel", has_text="Exécution").click()
    item = page.get_by_role("menuitem", name="Exécuter toutes les cellules", exact=True)
    item.wait_for()
    shot(page, "02_menu_executer.png")
    item.click()
    started = time.monotonic()
    page.wait_for_function(
        "() => [...document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]"
        ".some(e => e.textContent.includes('*'))",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => ![...document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]"
        ".some(e => e.textContent.includes('*'))",
        timeout=RUN_TIMEOUT_S * 1000,
        polling=1000,
    )
    elapsed = time.monotonic() - started
    shot(page, "03_apres_execution.png")
    prompts = code_prompts(page)
    failing = page.locator(
        ".jp-OutputArea-output", has_text="Traceback (most recent call last)"
    )
    errors = failing.all_text_contents()
    if errors:
        failing.first.scroll_into_view_if_needed()
        shot(page, "03_erreur.png")
    assert not errors, "erreur dans une cellule :\n" + ANSI.sub("", errors[0])[-3000:]
    not_run = [p for p in prompts if not re.fullmatch(r"\[\d+\]:", p)]
    assert not not_run, f"cellules non exécutées : {not_run}"
    print(f"{len(prompts)} cellules de code exécutées en {elapsed:.1f} s")


def test_explorateur_de_repartitions(page):
    dropdown = page.locator(".widget-dropdown", has_text=SPLIT_LABEL).first
    dropdown.wait_for()
    show(dropdown)
    label = dropdown.locator(".widget-label").text_content()
    assert "Répartition" in label, label
    before = explorer_images(page)
    assert before, "l'explorateur n'affiche aucune figure"
    shot(page, "04_explorateur_iid.png")

    select = dropdown.locator("select")
    options = select.locator("option").all_text_contents()
    assert "Dirichlet" in options, options
    select.select_option(label="Dirichlet")
    after_split = wait_images_change(page, before)
    assert after_split != before, "la figure ne change pas avec la répartition"
    show(dropdown)
    shot(page, "05_explorateur_dirichlet.png")

    # Le curseur α (visible seulement pour Dirichlet) : flèches du clavier.
    cell = page.locator(".jp-CodeCell", has=dropdown).first
    alpha = cell.locator(".widget-hslider", has_text="α").first
    alpha.wait_for()
    readout_before = alpha.locator(".widget-readout").text_content()
    handle = alpha.locator(SLIDER_HANDLE).first
    handle.focus()
    for _ in range(5):
        handle.press("ArrowLeft")
    after_alpha = wait_images_change(page, after_split)
    time.sleep(1)
    wait_kernel_idle(page)  # toutes les mises à jour reçues
    after_alpha = explorer_images(page)
    readout_after = alpha.locator(".widget-readout").text_content()
    show(dropdown)
    shot(page, "06_explorateur_alpha.png")
    assert readout_after != readout_before, "le curseur α n'a pas bougé"
    assert after_alpha != after_split, "la figure ne change pas avec α"


def test_un_fichier_par_notebook(lab):
    """Le navigateur de fichiers ne liste pas les sources jupytext (`NN_nom.py`)."""
    assert any(lab.root.glob("[0-9][0-9]_*.py")), "copie du cours sans sources .py"
    status, listing = lab.api("GET", "api/contents")
    assert status == 200
    names = [item["name"] for item in listing["content"]]
    sources = [n for n in names if re.fullmatch(r"\d\d_.*\.py", n)]
    assert not sources, f"sources jupytext listées dans JupyterLab : {sources}"
    assert lab.notebook in names and "exercices" in names, names


def test_quiz_corrige_la_reponse(page, notebook):
    """Le quiz final : une réponse, « Vérifier », la correction s'affiche."""
    from fltutor import quiz

    first = quiz.charger(notebook.name[:2])[0]
    assert not first.multiple, "la 1re question du quiz testé doit être à choix unique"
    right = first.choix[min(first.reponses)]
    wrong = next(c for i, c in enumerate(first.choix) if i not in first.reponses)
    button = page.locator(".widget-button:visible", has_text="Vérifier").first
    button.wait_for()
    show(button)
    quiz_box = page.locator(".jp-OutputArea-output", has=button).first
    feedback = quiz_box.locator(
        ".widget-html:visible", has_text=re.compile("Exact|Pas")
    )
    for choice, expected in ((wrong, "❌ Pas tout à fait"), (right, "✅ Exact")):
        quiz_box.locator(
            ".widget-radio-box:visible label", has_text=choice
        ).first.click()
        button.click()
        page.wait_for_function(
            "([box, t]) => box.innerText.includes(t)",
            arg=[quiz_box.element_handle(), expected],
            timeout=30_000,
        )
    shot(page, "07_quiz.png")
    assert "✅ Exact" in feedback.first.text_content()


def test_diaporama_rise(page):
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click(
        position={"x": 5, "y": 5}
    )
    page.keyboard.press("Escape")  # mode commande
    page.keyboard.press("Alt+r")
    frame = page.frame_locator("iframe").first
    slide = frame.locator(".reveal .slides section.present").first
    slide.wait_for(timeout=120_000)
    time.sleep(1)
    shot(page, "07_diaporama_rise.png")
    count = frame.locator(".reveal .slides section").count()
    assert count >= 2, f"diaporama RISE : {count} diapositive(s)"


# ------------------------------------------------------- RISE plein écran

# Mesure d'une diapositive présente : la boîte de la diapositive (celle de
# reveal.js, ramenée à l'écran) et le contenu visible (cellules hors notes).
MEASURE_JS = """() => {
    const slide = document.querySelector('.reveal .slides section.present section.present')
        || document.querySelector('.reveal .slides section.present');
    const box = document.querySelector('.reveal').getBoundingClientRect();
    const rect = slide.getBoundingClientRect();
    let top = Infinity, bottom = -Infinity, right = -Infinity, left = Infinity;
    for (const el of slide.querySelectorAll('.jp-Cell')) {
        if (el.closest('aside.notes')) continue;
        const r = el.getBoundingClientRect();
        if (!r.height) continue;
        top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
        left = Math.min(left, r.left); right = Math.max(right, r.right);
    }
    const title = slide.querySelector('h1, h2, h3');
    return {
        id: slide.id,
        title: title ? title.textContent.replace('¶', '').trim() : '',
        content: bottom > top ? bottom - top : 0,
        scroll: slide.scrollHeight, client: slide.clientHeight,
        top, bottom, left, right,
        box: {top: box.top, bottom: box.bottom, left: box.left, right: box.right},
        notes: [...slide.querySelectorAll('aside.notes')].map(a => {
            const r = a.getBoundingClientRect();
            return {visible: getComputedStyle(a).display !== 'none' && r.height > 0,
                    text: a.textContent.trim().slice(0, 80)};
        }),
    };
}"""


def open_rise(browser, lab, name: str):
    """Ouvre le diaporama RISE de `name` à 1280×720, comme projeté."""
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(lab.url(f"rise/{name}"))
    page.wait_for_selector(".reveal .slides section.present", timeout=120_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.reveal .jp-Cell').length > 0", timeout=60_000
    )
    time.sleep(3)  # rendu des sorties (images, widgets)
    return page


def leaf_slides(page) -> list[str]:
    """Identifiants des diapositives (sous-diapositives comprises), dans l'ordre."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides > section')]
            .flatMap(s => {
                const subs = [...s.querySelectorAll(':scope > section')];
                return subs.length ? subs.map(x => x.id) : [s.id];
            })"""
    )


def go_to(page, slide_id: str) -> dict:
    """Affiche la diapositive `slide_id` (par l'ancre de l'adresse, comme un lien).

    reveal.js réécrit l'ancre avec un différé d'une seconde après chaque
    changement de diapositive (`debouncedReplaceState`) : si ce différé tombe
    juste après notre changement d'ancre, l'ancre revient à la diapositive
    précédente et reveal.js y reste. On réécrit donc l'ancre tant que la
    diapositive n'est pas affichée.
    """
    present = """id => { const s = document.getElementById(id);
                        return s && s.classList.contains('present'); }"""
    deadline = time.monotonic() + 90  # large : machine chargée (intégration continue)
    while True:
        page.evaluate("id => { window.location.hash = '#/' + id; }", slide_id)
        try:
            page.wait_for_function(present, arg=slide_id, timeout=5_000)
            break
        except Exception:
            if time.monotonic() < deadline:
                continue
        state = page.evaluate(
            """id => ({hash: window.location.hash,
                       exists: !!document.getElementById(id),
                       present: [...document.querySelectorAll('section.present')]
                                .map(s => s.id)})""",
            slide_id,
        )
        pytest.fail(f"RISE n'affiche pas la diapositive {slide_id!r} : {state}")
    time.sleep(0.4)  # transition et mise en page
    return page.evaluate(MEASURE_JS)


def cut_off(m: dict) -> list[str]:
    """Ce qui dépasse de la diapositive (liste vide si tout tient)."""
    problems = []
    if m["scroll"] > m["client"] + 2:
        problems.append(f"défile ({m['scroll']} px de contenu pour {m['client']} px)")
    if m["content"] and m["bottom"] > min(m["box"]["bottom"], PROJECTOR["height"]) + 2:
        problems.append(
            f"bas à {m['bottom']:.0f} px (écran : {PROJECTOR['height']} px)"
        )
    if m["content"] and m["right"] > min(m["box"]["right"], PROJECTOR["width"]) + 2:
        problems.append(
            f"droite à {m['right']:.0f} px (écran : {PROJECTOR['width']} px)"
        )
    return problems


def check_rise_deck(browser, lab, name: str) -> tuple:
    page = open_rise(browser, lab, name)
    measures = [go_to(page, slide_id) for slide_id in leaf_slides(page)]
    assert len(measures) >= 2, f"{name} : {len(measures)} diapositive(s) dans RISE"
    longest = sorted(measures, key=lambda m: -m["content"])[:LONGEST]
    stem = pathlib.Path(name).stem
    report = []
    for rank, m in enumerate(longest, 1):
        go_to(page, m["id"])
        shot(page, f"rise_{stem}_longue_{rank}.png")
        report.append(f"{m['id']} « {m['title'][:40]} » : {m['content']:.0f} px")
    print(
        f"{name} : {len(measures)} diapositives ; plus longues : " + " ; ".join(report)
    )
    return page, measures, longest


@pytest.fixture(scope="module")
def saved_notebook(page, lab, notebook):
    """Le notebook exécuté est enregistré : RISE plein écran relit le fichier."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click(
        position={"x": 5, "y": 5}
    )
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    time.sleep(2)
    return notebook


@pytest.mark.parametrize("name", [DEFAULT_NOTEBOOK, RISE_OTHER_NOTEBOOK])
def test_rise_diapositives_tiennent(browser, lab, saved_notebook, name):
    if not (lab.root / name).is_file():
        pytest.skip(f"{name} absent du dossier testé")
    page, measures, longest = check_rise_deck(browser, lab, name)
    try:
        problems = [
            f"{m['id']} « {m['title'][:50]} » : " + ", ".join(cut_off(m))
            for m in longest
            if cut_off(m)
        ]
        shown_notes = [
            f"{m['id']} : {n['text']}"
            for m in measures
            for n in m["notes"]
            if n["visible"]
        ]
        assert not shown_notes, "notes de l'orateur visibles sur la diapositive : " + (
            "; ".join(shown_notes)
        )
        assert not problems, f"{name}, diapositives coupées à 1280×720 :\n" + "\n".join(
            problems
        )
    finally:
        page.context.close()


def test_rise_vue_orateur(browser, lab, saved_notebook):
    """Les notes de l'orateur sont dans la vue orateur de RISE (touche T)."""
    name = RISE_OTHER_NOTEBOOK
    if not (lab.root / name).is_file():
        pytest.skip(f"{name} absent du dossier testé")
    page = open_rise(browser, lab, name)
    try:
        with_notes = [
            m for m in (go_to(page, i) for i in leaf_slides(page)) if m["notes"]
        ]
        assert with_notes, f"{name} : aucune cellule « notes » dans le diaporama RISE"
        target = with_notes[0]
        go_to(page, target["id"])
        page.locator(".reveal").click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        with page.context.expect_page(timeout=30_000) as popup_info:
            page.keyboard.press("t")
        speaker = popup_info.value
        speaker.wait_for_load_state()
        expected = target["notes"][0]["text"].split("\n")[0][:30]
        speaker.wait_for_function(
            "t => document.body && document.body.innerText.includes(t)",
            arg=expected,
            timeout=30_000,
        )
        speaker.set_viewport_size(PROJECTOR)
        speaker.screenshot(path=str(ARTIFACTS / "rise_vue_orateur.png"))
        print(f"vue orateur : notes de {target['id']} affichées ({expected!r})")
    finally:
        page.context.close()


def explorer_images_in(scope) -> list[str]:
    return scope.locator(".widget-output img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )


def test_rise_explorateur_interactif(browser, lab, saved_notebook):
    """Dans RISE, l'explorateur de 06 est un vrai widget et répond au curseur."""
    page = open_rise(browser, lab, saved_notebook.name)
    try:
        ids = leaf_slides(page)
        try:  # le gestionnaire de widgets relit l'état des widgets dans le noyau
            page.wait_for_selector(
                ".reveal .widget-dropdown", state="attached", timeout=90_000
            )
        except Exception:  # noqa: BLE001 - le message d'échec vient plus bas
            shot(page, "rise_explorateur_absent.png")
        target = page.evaluate(
            """ids => ids.find(id => document.getElementById(id)
                  .querySelector('.widget-dropdown'))""",
            ids,
        )
        text = page.locator(".reveal .jp-OutputArea-output").all_text_contents()
        as_text = [t[:80] for t in text if "PartitionExplorer(" in t]
        assert not as_text, f"widget affiché comme du texte dans RISE : {as_text}"
        assert target, (
            "aucune diapositive RISE ne contient l'explorateur (liste déroulante)"
        )
        go_to(page, target)
        slide = page.locator(f"#{target}")
        dropdown = slide.locator(".widget-dropdown", has_text=SPLIT_LABEL).first
        dropdown.wait_for()
        before = explorer_images_in(slide)
        assert before, "l'explorateur n'affiche aucune figure dans RISE"
        shot(page, "rise_explorateur_avant.png")
        slider = slide.locator(".widget-hslider", has_text="clients").first
        readout_before = slider.locator(".widget-readout").text_content()
        # À la souris : dans RISE, les flèches du clavier changent de diapositive.
        track = slider.locator(".ui-slider, .noUi-target").first
        box = track.bounding_box()
        track.click(position={"x": box["width"] * 0.1, "y": box["height"] / 2})
        deadline = time.monotonic() + 90
        after = before
        while time.monotonic() < deadline:
            after = explorer_images_in(slide)
            if after and after != before:
                break
            time.sleep(0.25)
        readout_after = slider.locator(".widget-readout").text_content()
        shot(page, "rise_explorateur_apres.png")
        assert readout_after != readout_before, "le curseur n'a pas bougé dans RISE"
        assert after != before, (
            "la figure ne change pas quand on bouge le curseur dans RISE"
        )
        print(
            f"RISE, {target} : curseur {readout_before} → {readout_after}, "
            f"image {len(before[0])} → {len(after[0])} caractères"
        )
    finally:
        page.context.close()


def test_arret_propre(lab):
    children = lab.descendants()
    leftovers = lab.stop()
    assert not leftovers, "processus restés en vie après l'arrêt : " + "; ".join(
        leftovers
    )
    print(f"arrêt propre ({len(children)} processus enfant(s) arrêté(s))")
