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
5. l'arrêt du serveur ne laisse aucun processus (jupyter, noyau,
   worker_binary).

Le serveur travaille sur une copie du dossier `notebooks/` : le test ne
réécrit jamais les notebooks du dépôt (RISE enregistre le notebook avant
d'ouvrir le diaporama).

Captures d'écran : `tests/artifacts/` (ignoré par git).
Autre notebook : `FLTUTOR_E2E_NOTEBOOK=chemin/vers/notebook.ipynb`.
Durée : environ une à trois minutes selon la machine.
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
    handle = alpha.locator(".noUi-handle").first
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


def test_arret_propre(lab):
    children = lab.descendants()
    leftovers = lab.stop()
    assert not leftovers, "processus restés en vie après l'arrêt : " + "; ".join(
        leftovers
    )
    print(f"arrêt propre ({len(children)} processus enfant(s) arrêté(s))")
