"""Outils des tests de bout en bout : lancer et arrêter le JupyterLab du cours.

Le serveur est lancé par la commande du projet (`tools/serve_lab.py`, celle
de `make lab`) sur un port libre de la boucle locale, avec un jeton, sans
navigateur. Réglages isolés dans un dossier temporaire : paramètres
utilisateur (sauvegarde automatique coupée : le test ne réécrit pas les
notebooks du cours), espaces de travail, fichiers d'exécution.

Exemple :

    >>> server = LabServer(root=NOTEBOOKS, notebook="00_sommaire.ipynb")  # doctest: +SKIP
    >>> server.start()                                                    # doctest: +SKIP
    >>> server.url("lab/tree/00_sommaire.ipynb")                          # doctest: +SKIP
    >>> leftovers = server.stop()      # [] si aucun processus ne traîne  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import psutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SERVE_LAB = ROOT / "tools" / "serve_lab.py"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Paramètres utilisateur du test : seulement « pas de sauvegarde automatique »
# (le reste, dont la langue, vient des réglages par défaut du cours).
USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def copy_course(folder: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Copie le dossier de notebooks `folder` dans `dest` ; renvoie la copie.

    Le test travaille sur cette copie : JupyterLab (sauvegarde avant le
    diaporama RISE, fichiers écrits par le noyau…) ne touche jamais aux
    notebooks du dépôt. Pour `notebooks/`, les autres dossiers du projet
    (`data/`, `docs/`…) sont reliés à côté par des liens symboliques, pour que
    les chemins relatifs `../…` des notebooks restent valables.
    """
    folder = pathlib.Path(folder).resolve()
    dest = pathlib.Path(dest)
    copy = dest / "notebooks"
    shutil.copytree(
        folder, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    if folder == NOTEBOOKS.resolve():
        for entry in ROOT.iterdir():
            if entry.name in {"notebooks", ".git", ".venv", "build"}:
                continue
            (dest / entry.name).symlink_to(entry)
    return copy


def free_port() -> int:
    """Un port TCP libre sur 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """Un JupyterLab du cours lancé pour un test (voir l'exemple du module)."""

    def __init__(self, root=NOTEBOOKS, notebook=None, env=None, log_path=None):
        self.root = pathlib.Path(root)
        self.notebook = notebook
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.tmp = tempfile.TemporaryDirectory(prefix="fltutor-e2e-")
        self.log_path = pathlib.Path(
            log_path or pathlib.Path(self.tmp.name) / "lab.log"
        )
        self.extra_env = dict(env or {})
        self.process: subprocess.Popen | None = None
        self._log = None

    def url(self, path: str = "lab", with_token: bool = True) -> str:
        """Adresse d'une page du serveur (avec le jeton par défaut)."""
        base = f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"
        if not with_token:
            return base
        return base + ("&" if "?" in base else "?") + f"token={self.token}"

    def environment(self) -> dict:
        tmp = pathlib.Path(self.tmp.name)
        settings = tmp / "user-settings"
        for name, content in USER_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content), encoding="utf-8")
        env = dict(os.environ)
        # Le noyau doit garder le rendu « inline » de matplotlib de Jupyter.
        env.pop("MPLBACKEND", None)
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 180.0) -> None:
        """Lance le serveur et attend que `/lab` réponde 200 avec le jeton."""
        command = [
            sys.executable,
            str(SERVE_LAB),
            "--root",
            str(self.root),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--token",
            self.token,
            "--no-browser",
        ]
        if self.notebook:
            command.append(self.notebook)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # un groupe de processus à nous
        )
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab s'est arrêté au démarrage (code {self.process.returncode}) :\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(self.url("lab"), timeout=5) as response:
                    if response.status == 200:
                        return
                    last_error = f"code HTTP {response.status}"
            except (urllib.error.URLError, OSError) as error:
                last_error = error
            time.sleep(0.5)
        raise TimeoutError(
            f"/lab ne répond pas après {timeout:.0f} s ({last_error}) :\n"
            + self.log_tail()
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def api(self, method: str, path: str, with_token: bool = True):
        """Appel REST ; renvoie `(code HTTP, corps décodé ou None)`."""
        request = urllib.request.Request(
            self.url(path, with_token=False), method=method
        )
        if with_token:
            request.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            return error.code, None
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, None

    def descendants(self) -> list[psutil.Process]:
        """Processus lancés par le serveur (noyaux, worker_binary de TFF…)."""
        if self.process is None:
            return []
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self, timeout: float = 90.0) -> list[str]:
        """Arrête le serveur proprement ; renvoie les processus restés en vie.

        Arrêt demandé par l'API (`POST /api/shutdown` : noyaux arrêtés puis
        serveur), puis SIGTERM, puis SIGKILL du groupe si besoin. Les
        processus encore vivants après l'arrêt sont décrits dans la liste
        renvoyée, puis tués : aucun ne reste après le test.
        """
        if self.process is None:
            return []
        children = self.descendants()
        if self.process.poll() is None:
            try:
                self.api("POST", "api/shutdown")
            except OSError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGTERM)
                try:
                    self.process.wait(20)
                except subprocess.TimeoutExpired:
                    self._signal_group(signal.SIGKILL)
                    self.process.wait(20)
        _, alive = psutil.wait_procs(children, timeout=30)
        leftovers = []
        for proc in alive:
            try:
                if proc.status() == psutil.STATUS_ZOMBIE:
                    continue
                leftovers.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
                proc.kill()
            except psutil.NoSuchProcess:
                continue
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None
        return leftovers

    def _signal_group(self, sig) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def cleanup(self) -> None:
        self.tmp.cleanup()
