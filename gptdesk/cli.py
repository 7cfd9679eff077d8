"""The command line over core: doctor, generate; with no command it opens the app."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gptdesk import __version__, cli_docs, cli_models, cli_serve
from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference import cpu_kernels
from gptdesk.core.inference.host_child import HOST_ARG
from gptdesk.core.storage.paths import DATA_DIR_ENV, DataPaths, resolve_paths

if TYPE_CHECKING:  # the engine (llama.cpp) is imported only by the commands that run it
    from gptdesk.core.inference.backend import Backend, SamplingParams

log = logging.getLogger("gptdesk")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def _gpu_layers(text: str) -> int | None:
    if text == "auto":
        return None
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 'auto' or a number of layers (0 = CPU only)")
    return value


def add_generation_options(gen: argparse.ArgumentParser) -> None:
    """The model and sampling options of ``generate`` (also ``docs ask``)."""
    gen.add_argument(
        "--model",
        metavar="NAME|PATH",
        help="installed model name or .gguf path; with --remote, the server's model id "
        "(default: the first it lists)",
    )
    gen.add_argument(
        "--remote",
        metavar="URL",
        help="use a model on an OpenAI-compatible server (llama-server, vLLM, Ollama, "
        "LM Studio, gptdesk serve), e.g. http://localhost:8080/v1",
    )
    gen.add_argument(
        "--remote-key",
        metavar="KEY",
        help="the server's API key (or $GPTDESK_REMOTE_KEY, which keeps it out of shell history)",
    )
    gen.add_argument("--max-tokens", type=_positive_int, default=512, metavar="N")
    gen.add_argument("--temperature", type=float, default=0.7, metavar="T")
    gen.add_argument("--top-p", type=float, default=0.95, metavar="P")
    gen.add_argument("--top-k", type=int, default=40, metavar="K")
    gen.add_argument("--min-p", type=float, default=0.05, metavar="P")
    gen.add_argument("--repeat-penalty", type=float, default=1.1, metavar="R")
    gen.add_argument("--seed", type=int, metavar="S", help="fixed seed for repeatable output")
    gen.add_argument(
        "--ctx",
        type=_positive_int,
        default=4096,
        metavar="N",
        help="context size (with --remote: used where the server does not say its own)",
    )
    gen.add_argument("--threads", type=_positive_int, metavar="N", help="CPU threads")
    gen.add_argument(
        "--gpu-layers",
        type=_gpu_layers,
        default=None,
        metavar="N|auto",
        help="layers to offload to the GPU (default auto)",
    )
    gen.add_argument("--stats", action="store_true", help="write final stats as JSON to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gptdesk",
        description="Local AI writing desk. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"gptdesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep settings, database and models in DIR (also $GPTDESK_DATA_DIR)",
    )
    once = parser.add_mutually_exclusive_group()
    once.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (window, starter model, database), print one line",
    )
    once.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add gptdesk to this user's app launcher (Linux)",
    )
    once.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("doctor", help="report version, backend, threads, memory, paths and models")
    cli_models.add_parser(sub)
    cli_docs.add_parser(sub)
    cli_serve.add_parser(sub)

    chats = sub.add_parser("chats", help="list, export and import conversations")
    csub = chats.add_subparsers(dest="chats_command", metavar="ACTION", required=True)
    csub.add_parser("list", help="one line per conversation: id and title")
    export = csub.add_parser("export", help="write a conversation to stdout")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("md", "json", "txt"), default="md")
    imp = csub.add_parser("import", help="import a conversation from a JSON file")
    imp.add_argument("file", type=Path)

    gen = sub.add_parser("generate", help="stream a reply from a local model to stdout")
    gen.add_argument(
        "prompt",
        metavar="PROMPT",
        nargs="?",
        help="the prompt, or - to read it from stdin (with --task: use --input instead)",
    )
    add_generation_options(gen)
    gen.add_argument("--system", metavar="TEXT", help="system prompt (chat mode)")
    gen.add_argument("--raw", action="store_true", help="plain completion, no chat template")
    task = gen.add_argument_group("writing tasks (--task)")
    task.add_argument("--task", choices=sorted(TASKS), help="run a writing task on --input")
    task.add_argument("--input", metavar="FILE", help="the task's input file, or - for stdin")
    task.add_argument(
        "--length",
        metavar="L",
        help="summary: sentence|paragraph|bullets|"
        "detailed; email: short|medium|long; story: words per continuation",
    )
    task.add_argument("--focus", default="", metavar="TEXT", help="summary: what to focus on")
    task.add_argument("--to", metavar="LANG", help="output language (translate: the target)")
    task.add_argument("--tone", metavar="TONE", help="email: formal, friendly, concise, ...")
    task.add_argument(
        "--n", type=_positive_int, default=1, metavar="N", help="email: drafts; story: alternatives"
    )
    task.add_argument("--memory", metavar="FILE", help="story: premise, characters, style")
    task.add_argument("--note", default="", metavar="TEXT", help="story: author's note")
    task.add_argument("--purpose", default="", metavar="TEXT", help="email: what it is for")
    task.add_argument(
        "--point",
        action="append",
        default=[],
        metavar="TEXT",
        help="email: a key point (repeat for more)",
    )
    task.add_argument(
        "--recipient", default="", metavar="TEXT", help="email: who it is for, or the relationship"
    )
    task.add_argument("--reply-to", metavar="FILE", help="email: the mail to answer")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if cpu_kernels.is_probe_call(raw):  # a child that tries llama.cpp's CPU kernels
        return cpu_kernels.probe_main(raw[1:])
    if raw[:1] == [HOST_ARG]:  # the engine host process of a frozen build (host.py)
        from gptdesk.core.inference import host_child

        return host_child.main()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("gptdesk.llama_cpp").setLevel(logging.CRITICAL)  # llama.cpp chatter
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # its retry notices
    paths = resolve_paths(args.data_dir)
    if args.data_dir is not None or os.environ.get(DATA_DIR_ENV):
        # A chosen data folder holds everything, the CPU probe's memory too (cpu_kernels.py).
        cpu_kernels.set_default_cache_dir(paths.data_dir / "cache")
    try:
        if args.self_test:
            from gptdesk.selftest import run_self_test

            return run_self_test()
        if args.install_desktop_entry or args.uninstall_desktop_entry:
            from gptdesk import desktop

            return desktop.run(install_entry=args.install_desktop_entry)
        if args.command == "doctor":
            return cmd_doctor(paths)
        if args.command == "generate" and args.task:
            return cmd_task(args, paths)
        if args.command == "generate":
            if args.prompt is None:
                print("gptdesk: generate needs a PROMPT (or - for stdin).", file=sys.stderr)
                return 2
            return cmd_generate(args, paths)
        if args.command == "models":
            return cli_models.run(args, paths)
        if args.command == "docs":
            return cli_docs.run(args, paths)
        if args.command == "serve":
            return cli_serve.run(args, paths)
        if args.command == "chats":
            return cmd_chats(args, paths)
        from gptdesk.app import run_app

        return run_app(paths)
    except GptdeskError as exc:
        print(f"gptdesk: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full or read-only disk is advice, not a traceback
        from gptdesk.core.storage.database import storage_error

        error = storage_error(exc, Path(exc.filename) if exc.filename else paths.data_dir)
        if error is None:
            raise
        print(f"gptdesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def configured_models_dir(paths: DataPaths) -> Path:
    """The models folder the settings choose (default: the data dir's)."""
    from gptdesk.core.storage.settings import load_settings, models_dir

    return models_dir(load_settings(paths), paths.models_dir)


def cmd_doctor(paths: DataPaths) -> int:
    import psutil

    from gptdesk.core.inference.devices import default_threads, physical_cores, probe_backend
    from gptdesk.core.inference.gguf_file import GGUFInfo
    from gptdesk.core.models.library import describe, installed_models

    backend = probe_backend()
    mem = psutil.virtual_memory()
    gib = 2**30
    lines = [
        f"gptdesk {__version__}",
        f"backend: {backend.name}",
        f"cpu kernels: {backend.cpu_kernels_detail}",
        f"gpu offload: {'supported' if backend.gpu_offload else 'not supported'}",
        f"threads: {default_threads()} (physical cores: {physical_cores()})",
        f"ram: {mem.available / gib:.1f} GiB free of {mem.total / gib:.1f} GiB",
    ]
    for dev in backend.devices:
        lines.append(
            f"vram: {dev.name} ({dev.description}) {dev.free_bytes / gib:.1f} GiB free of "
            f"{dev.total_bytes / gib:.1f} GiB"
        )
    lines += [
        f"config dir: {paths.config_dir}",
        f"data dir: {paths.data_dir}",
        f"models dir: {configured_models_dir(paths)}",
        f"log dir: {paths.log_dir}",
    ]
    models = installed_models(configured_models_dir(paths))
    lines.append(f"models: {len(models)}")
    for entry in models:
        info = describe(entry)  # never raises: one broken file does not hide the others
        if isinstance(info, GGUFInfo):
            detail = (
                f"{info.architecture}, {info.n_params / 1e6:.0f}M params, {info.file_type}, "
                f"ctx {info.context_length}, {info.file_size / 2**20:.0f} MiB"
            )
        else:
            detail = "unusable: " + " ".join(info.split())
        lines.append(f"  {entry.name}: {entry.path} ({detail})")
    print("\n".join(lines))
    return 0


def cmd_chats(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.storage.store import Store, export_conversation, import_conversation

    store = Store(paths.database_file)
    try:
        if args.chats_command == "list":
            for conv in store.conversations():
                print(f"{conv.id}\t{conv.title}")
        elif args.chats_command == "export":
            sys.stdout.write(export_conversation(store, args.id, args.format) + "\n")
        else:
            try:
                text = args.file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                print(f"gptdesk: cannot read {args.file}: {exc}", file=sys.stderr)
                return 1
            conv = import_conversation(store, text)
            print(f"{conv.id}\t{conv.title}")
    finally:
        store.close()
    return 0


# --task NAME: the core module that builds its job (``cli_job(options, prompts) -> Job``).
TASKS = {
    "summary": "gptdesk.core.writing.summarize",
    "story": "gptdesk.core.writing.story",
    "email": "gptdesk.core.writing.emails",
    "translate": "gptdesk.core.writing.translate",
}


def _read_input(spec: str) -> str:
    """The text of ``spec`` (a file of any supported kind, or - for stdin)."""
    if spec == "-":
        return sys.stdin.read()
    from gptdesk.core.writing.documents import read_document

    return read_document(Path(spec)).text


def _sampling(args: argparse.Namespace) -> SamplingParams:
    """The sampling options of ``generate`` (with or without --task)."""
    from gptdesk.core.inference.backend import SamplingParams

    return SamplingParams(
        temperature=args.temperature,
        top_p=args.top_p,
        top_k=args.top_k,
        min_p=args.min_p,
        repeat_penalty=args.repeat_penalty,
        max_tokens=args.max_tokens,
        seed=args.seed,
    )


def _backend(args: argparse.Namespace, paths: DataPaths) -> Backend:
    """The backend ``generate`` runs on: the model on the --remote server, else the local
    model (--model) in the engine host."""
    from gptdesk.core.inference.backend import LoadOptions

    options = LoadOptions(n_ctx=args.ctx, n_threads=args.threads, n_gpu_layers=args.gpu_layers)
    if args.remote:
        from urllib.parse import urlsplit

        from gptdesk.core.inference.remote import (
            KEY_ENV,
            RemoteBackend,
            RemoteServer,
            normalize_base_url,
        )

        url = normalize_base_url(args.remote)
        key = args.remote_key or os.environ.get(KEY_ENV) or None
        return RemoteBackend(RemoteServer(urlsplit(url).netloc, url, key), args.model, options)
    from gptdesk.core.inference.host import EngineHost
    from gptdesk.core.models.library import resolve_model

    return EngineHost(resolve_model(args.model, configured_models_dir(paths)).path, options)


def cmd_task(args: argparse.Namespace, paths: DataPaths) -> int:
    """``generate --task``: progress on stderr, the result on stdout."""
    import importlib

    from gptdesk.core.inference.backend import Finished, TextDelta
    from gptdesk.core.writing.jobs import Progress, TaskOptions
    from gptdesk.core.writing.prompts import PromptTemplates

    if args.prompt and not args.input:
        args.input = args.prompt
    # An email can be written from --purpose/--point/--reply-to alone; the others need text.
    email_brief = args.task == "email" and (args.purpose or args.point or args.reply_to)
    if not args.input and not email_brief:
        print(f"gptdesk: --task {args.task} needs --input FILE (or - for stdin).", file=sys.stderr)
        return 2
    text = _read_input(args.input) if args.input else ""
    if not text.strip() and not email_brief:
        print(f"gptdesk: {args.input} has no text.", file=sys.stderr)
        return 2
    options = TaskOptions(
        text=text,
        params=_sampling(args),
        length=args.length,
        focus=args.focus,
        language=args.to,
        tone=args.tone,
        n=args.n,
        memory=_read_input(args.memory) if args.memory else "",
        note=args.note,
        purpose=args.purpose,
        points=tuple(args.point),
        recipient=args.recipient,
        reply_to=_read_input(args.reply_to) if args.reply_to else "",
    )
    prompts = PromptTemplates(paths.database_file if paths.database_file.exists() else None)
    job = importlib.import_module(TASKS[args.task]).cli_job(options, prompts)
    engine = _backend(args, paths)
    cancel = threading.Event()
    finished: Finished | None = None
    try:
        engine.load()
        for event in job(engine, cancel):
            if isinstance(event, TextDelta):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, Progress):
                print(f"gptdesk: {event.label} ({event.done}/{event.total})", file=sys.stderr)
            elif isinstance(event, Finished):
                finished = event
    except KeyboardInterrupt:
        cancel.set()
        print("\ngptdesk: stopped.", file=sys.stderr)
        return 130
    finally:
        engine.close()
        prompts.close()
    sys.stdout.write("\n")
    if args.stats and finished is not None:
        print(
            json.dumps(
                {
                    "completion_tokens": finished.stats.completion_tokens,
                    "stop_reason": finished.stats.stop_reason,
                }
            ),
            file=sys.stderr,
        )
    return 0


def cmd_generate(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.inference.backend import ChatMessage, ContextTrimmed, Finished, TextDelta

    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        print("gptdesk: the prompt is empty.", file=sys.stderr)
        return 2
    engine = _backend(args, paths)
    params = _sampling(args)
    cancel = threading.Event()
    out = sys.stdout
    finished: Finished | None = None
    try:
        status = engine.load()
        if args.raw:
            events = engine.stream_completion(prompt, params, cancel)
        else:
            messages = [ChatMessage("system", args.system)] if args.system else []
            messages.append(ChatMessage("user", prompt))
            events = engine.stream_chat(messages, params, cancel)
        for event in events:
            if isinstance(event, TextDelta):
                out.write(event.text)
                out.flush()
            elif isinstance(event, ContextTrimmed):
                print(f"gptdesk: {len(event.dropped)} older messages left out", file=sys.stderr)
            else:
                finished = event
    except KeyboardInterrupt:
        cancel.set()
        print("\ngptdesk: stopped.", file=sys.stderr)
        return 130
    finally:
        engine.close()
    out.write("\n")
    out.flush()
    if args.stats and finished is not None:
        st = finished.stats
        record = {
            "prompt_tokens": st.prompt_tokens,
            "completion_tokens": st.completion_tokens,
            "ttft_s": round(st.ttft_s, 4),
            "tokens_per_s": round(st.tokens_per_s, 2),
            "prefill_tokens_per_s": round(st.prefill_tokens_per_s, 2),
            "stop_reason": st.stop_reason,
            "backend": status.describe(),
            "threads": status.n_threads,
            "gpu_layers": status.n_gpu_layers,
            "model": status.info.name if args.remote else status.path.name,
        }
        print(json.dumps(record), file=sys.stderr)
    return 0
