"""``gptdesk models ...``: list, search, files, download, import, remove."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from gptdesk.core.storage.paths import DataPaths

if TYPE_CHECKING:
    from gptdesk.core.models.hub import HubClient, RemoteModel


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = sub.add_parser("models", help="find, download and manage GGUF models")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    ls = msub.add_parser("list", help="installed models with size, quant and fit")
    ls.add_argument("--ctx", type=int, default=4096, help="context size for the fit verdict")
    search = msub.add_parser("search", help="search the Hub for GGUF models")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    files = msub.add_parser("files", help="a repo's GGUF files with quant, size and fit")
    files.add_argument("repo", metavar="REPO")
    files.add_argument("--ctx", type=int, default=4096)
    dl = msub.add_parser("download", help="download (or resume) a model, verified by SHA-256")
    dl.add_argument("repo", metavar="REPO")
    dl.add_argument("which", metavar="FILE|QUANT", nargs="?", help="default: best that fits")
    dl.add_argument("--revision", default="main")
    dl.add_argument("--ctx", type=int, default=4096)
    imp = msub.add_parser("import", help="add a .gguf from anywhere")
    imp.add_argument("path", type=Path)
    imp.add_argument("--in-place", action="store_true", help="use it where it is (no copy)")
    rm = msub.add_parser("remove", help="delete a downloaded model (or forget an imported one)")
    rm.add_argument("name")
    token = msub.add_parser("token", help="save the Hugging Face token in the system keyring")
    token.add_argument("--clear", action="store_true", help="delete the saved token")
    for p in (search, files, dl):
        p.add_argument("--endpoint", help="Hub or mirror URL (default: setting or $HF_ENDPOINT)")
        p.add_argument("--offline", action="store_true", help="never contact the Hub")


def run(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.storage.settings import load_settings
    from gptdesk.core.storage.settings import models_dir as settings_models_dir

    settings = load_settings(paths)
    models_dir = settings_models_dir(settings, paths.models_dir)
    command = args.models_command
    if command == "list":
        return _list(models_dir, args.ctx)
    if command == "import":
        return _import(models_dir, args.path, not args.in_place)
    if command == "remove":
        return _remove(models_dir, args.name)
    if command == "token":
        return _token(args.clear)
    from gptdesk.core.models.hub import HubClient
    from gptdesk.core.storage.secrets import get_token

    client = HubClient(
        endpoint=args.endpoint or settings.hub_endpoint,
        token=get_token(),
        offline=args.offline or settings.offline,
    )
    if command == "search":
        return _search(client, args.query, args.limit)
    if command == "files":
        return _files(client, args.repo, args.ctx)
    return _download(client, models_dir, args.repo, args.which, args.revision, args.ctx)


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def _ram() -> int:
    import psutil

    return int(psutil.virtual_memory().available)


def _list(models_dir: Path, n_ctx: int) -> int:
    from gptdesk.core.inference.fit import estimate_fit
    from gptdesk.core.inference.gguf_file import GGUFInfo
    from gptdesk.core.models.library import Library, describe

    ram = _ram()
    for entry in Library(models_dir).models():
        info = describe(entry)
        if isinstance(info, GGUFInfo):
            fit = estimate_fit(info, n_ctx, ram)
            template = "template" if info.chat_template else "no template"
            print(
                f"{entry.name}\t{_gib(info.file_size)}\t{info.file_type}\t{fit.verdict}\t"
                f"{entry.source}\t{info.architecture}\t{info.n_params / 1e9:.2f}B params\t"
                f"ctx {info.context_length}\t{template}\t{entry.path}"
            )
        else:  # one line per model, whatever the reason holds
            reason = " ".join(info.split())
            print(f"{entry.name}\t-\t-\tunusable: {reason}\t{entry.source}\t{entry.path}")
    return 0


def _search(client: HubClient, query: str, limit: int) -> int:
    results = client.search(query, limit)
    if not results:
        print(f"No GGUF models match '{query}'.", file=sys.stderr)
    for m in results:
        gated = "\tgated" if m.gated else ""
        print(f"{m.repo_id}\t{m.downloads} downloads\t{m.likes} likes{gated}")
    return 0


def _fit_rows(
    client: HubClient, repo: str, n_ctx: int, revision: str = "main"
) -> tuple[list[RemoteModel], str | None, dict[str, str]]:
    """The repo's models, the best one that fits, and a fit text per model name."""
    from gptdesk.core.errors import GptdeskError
    from gptdesk.core.inference.devices import probe_backend
    from gptdesk.core.inference.fit import best_fitting, estimate_fit
    from gptdesk.core.models.hub import read_remote_header

    models = client.list_gguf(repo, None if revision == "main" else revision)
    if not models:
        raise SystemExit(f"gptdesk: {repo} has no GGUF files.")
    ram, backend = _ram(), probe_backend()
    fits: dict[str, str] = {}
    best = None
    try:  # every quant shares one architecture: one header tells the shape of all
        probe = min(models, key=lambda m: m.parts[0].size)
        info = read_remote_header(
            client.file_url(repo, probe.parts[0].path, revision),
            probe.parts[0].size,
            client.auth_headers(),
        )
        for m in models:
            fits[m.name] = estimate_fit(info, n_ctx, ram, backend, weights_bytes=m.size).summary()
        best = best_fitting([(m.name, m.size) for m in models], info, n_ctx, ram, backend)
    except GptdeskError as exc:
        print(f"gptdesk: fit unknown ({exc})", file=sys.stderr)
    return models, best, fits


def _files(client: HubClient, repo: str, n_ctx: int) -> int:
    models, best, fits = _fit_rows(client, repo, n_ctx)
    for m in models:
        mark = "\t(best fit)" if m.name == best else ""
        parts = f" ({len(m.parts)} parts)" if len(m.parts) > 1 else ""
        fit = fits.get(m.name, "fit unknown")
        print(f"{m.name}{parts}\t{m.quant or '?'}\t{_gib(m.size)}\t{fit}{mark}")
    return 0


def _choose(typed: list[RemoteModel], which: str | None, best: str | None) -> RemoteModel:
    if which:
        wanted = which.casefold()
        for m in typed:
            if wanted in (m.name.casefold(), m.quant.casefold(), Path(m.name).name.casefold()):
                return m
        names = ", ".join(f"{m.quant or m.name}" for m in typed)
        raise SystemExit(f"gptdesk: no file or quant '{which}' in that repo. Available: {names}")
    for m in typed:
        if m.name == best:
            return m
    for m in typed:
        if m.quant == "Q4_K_M":
            return m
    return typed[0]


def _download(
    client: HubClient, models_dir: Path, repo: str, which: str | None, revision: str, n_ctx: int
) -> int:
    from gptdesk.core.models.downloads import DownloadManager, DownloadState, DownloadStatus

    if which:
        models = client.list_gguf(repo, None if revision == "main" else revision)
        best = None
    else:
        models, best, _fits = _fit_rows(client, repo, n_ctx, revision)
    model = _choose(models, which, best)
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(status: DownloadStatus) -> None:
        now = time.monotonic()
        if status.state is DownloadState.RUNNING and now - last[0] < (0.2 if tty else 2.0):
            return
        last[0] = now
        eta = f", {status.eta_s:.0f} s left" if status.eta_s is not None else ""
        line = (
            f"{status.name}: {status.state.value} {status.fraction * 100:5.1f}% "
            f"({_gib(status.done_bytes)} of {_gib(status.total_bytes)}, "
            f"{status.speed_bps / 2**20:.1f} MiB/s{eta})"
        )
        print(
            ("\r" + line + "   ") if tty else line,
            end="" if tty else "\n",
            file=sys.stderr,
            flush=True,
        )

    print(f"Downloading {repo}/{model.name} ({_gib(model.size)})", file=sys.stderr)
    manager = DownloadManager(models_dir, client.endpoint, client.token, listener=show)
    job = manager.enqueue(model, revision)
    interrupted = threading.Event()

    def on_signal(_sig: int, _frame: object) -> None:
        interrupted.set()
        manager.pause(job)

    previous = signal.signal(signal.SIGINT, on_signal)
    try:
        status = manager.wait(job)
    finally:
        signal.signal(signal.SIGINT, previous)
        manager.close()
    if tty:
        print(file=sys.stderr)
    if status.state is DownloadState.DONE:
        print(f"Verified and installed: {status.path}", file=sys.stderr)
        print(status.path)
        return 0
    if status.state is DownloadState.PAUSED:
        print("Paused; run the same command again to resume.", file=sys.stderr)
        return 130 if interrupted.is_set() else 1
    print(f"gptdesk: {status.message}", file=sys.stderr)
    return 1


def _import(models_dir: Path, path: Path, copy: bool) -> int:
    from gptdesk.core.models.library import Library

    entry = Library(models_dir).import_file(path, copy=copy)
    how = "copied to" if copy else "used in place at"
    print(f"Imported {entry.name}: {how} {entry.path}")
    return 0


def _remove(models_dir: Path, name: str) -> int:
    from gptdesk.core.models.library import Library

    entry = Library(models_dir).remove(name)
    print(f"Removed {entry.name} ({entry.path})")
    return 0


def _token(clear: bool) -> int:
    """Read the token without echoing it (or from stdin), keep it in the keyring, never print it."""
    import getpass

    from gptdesk.core.storage.secrets import set_token

    if clear:
        value = None
    elif sys.stdin.isatty():
        value = getpass.getpass("Hugging Face token (input hidden): ").strip()
    else:
        value = sys.stdin.readline().strip()
    if not clear and not value:
        print("gptdesk: no token given.", file=sys.stderr)
        return 2
    if not set_token(value):
        print(
            "gptdesk: this system has no keyring to keep the token in; set HF_TOKEN in the "
            "environment instead.",
            file=sys.stderr,
        )
        return 1
    print("Token removed." if clear else "Token saved in the system keyring.")
    return 0
