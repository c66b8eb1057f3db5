"""Ouvrir un diaporama reveal.js exporté dans Chromium sans interface.

Utilisé par `tools/check_slides.py` (mesure des diapositives) et
`tools/export_slides.py` (PDF des diaporamas). Un seul navigateur sert pour
tous les notebooks ; chaque diaporama s'ouvre dans une page à 1280×720, hors
ligne : seuls les fichiers locaux (`file://`, dont `lib/` de l'export) sont
chargés, les adresses Internet (MathJax, polices, widgets) sont refusées, pour
une mesure identique sur toute machine.

Exemple :

    >>> with launch() as browser:                             # doctest: +SKIP
    ...     page = open_deck(browser, "build/slides/00_sommaire.slides.html")
    ...     page.evaluate("() => Reveal.getTotalSlides()")
    12
"""

from __future__ import annotations

import contextlib
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from install_chromium import chromium_path  # noqa: E402

VIEWPORT = {"width": 1280, "height": 720}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
# Le module AMD de reveal.js dans l'export (`reveal_url_prefix` = lib/reveal.js).
REVEAL_MODULE = "lib/reveal.js/dist/reveal.js"


class BrowserError(RuntimeError):
    """Chromium ou Playwright absent, ou diaporama qui ne s'ouvre pas."""


@contextlib.contextmanager
def launch():
    """Lance Chromium sans interface (Playwright) ; le ferme à la sortie."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise BrowserError(
            "Playwright est absent de l'environnement : lancez `make install`."
        ) from error
    executable = chromium_path()
    if executable is None:
        raise BrowserError(
            "Chromium est absent (/usr/bin/chromium) : "
            "lancez `python tools/install_chromium.py` en root, "
            "ou `sudo apt-get install chromium`."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _local_only(route) -> None:
    if route.request.url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def open_deck(browser, html_path, query: str = "", timeout: float = 60.0):
    """Ouvre un diaporama exporté ; renvoie la page, reveal.js prêt.

    `query` : ex. `"print-pdf"` pour la mise en page d'impression de reveal.js.
    `window.Reveal` est ensuite l'objet reveal.js du diaporama.
    """
    html_path = pathlib.Path(html_path).resolve()
    if not (html_path.parent / REVEAL_MODULE).is_file():
        raise BrowserError(
            f"{html_path.parent / REVEAL_MODULE} absent : le diaporama doit être "
            "exporté avec les bibliothèques locales (tools/slides_assets/)."
        )
    page = browser.new_page(viewport=VIEWPORT)
    page.route("**/*", _local_only)
    url = html_path.as_uri() + (f"?{query}" if query else "")
    try:
        page.goto(url, wait_until="load", timeout=timeout * 1000)
        page.wait_for_selector(
            ".reveal.ready", state="attached", timeout=timeout * 1000
        )
    except Exception as error:
        page.close()
        raise BrowserError(
            f"le diaporama {html_path.name} ne s'ouvre pas dans Chromium ({error})"
        ) from error
    page.evaluate(f"() => {{ window.Reveal = require({REVEAL_MODULE!r}); }}")
    return page
