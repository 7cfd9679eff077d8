"""The command line over core: doctor, generate; with no command it opens the app."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from gptdesk import __version__, cli_models
from gptdesk.core.errors import GptdeskError
from gptdesk.core.paths import DataPaths, resolve_paths

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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("doctor", help="report version, backend, threads, memory, paths and models")
    cli_models.add_parser(sub)

    chats = sub.add_parser("chats", help="list, export and import conversations")
    csub = chats.add_subparsers(dest="chats_command", metavar="ACTION", required=True)
    csub.add_parser("list", help="one line per conversation: id and title")
    export = csub.add_parser("export", help="write a conversation to stdout")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("md", "json", "txt"), default="md")
    imp = csub.add_parser("import", help="import a conversation from a JSON file")
    imp.add_argument("file", type=Path)

    gen = sub.add_parser("generate", help="stream a reply from a local model to stdout")
    gen.add_argument("prompt", metavar="PROMPT", help="the prompt, or - to read it from stdin")
    gen.add_argument("--model", metavar="NAME|PATH", help="installed model name or .gguf path")
    gen.add_argument("--system", metavar="TEXT", help="system prompt (chat mode)")
    gen.add_argument("--max-tokens", type=_positive_int, default=512, metavar="N")
    gen.add_argument("--temperature", type=float, default=0.7, metavar="T")
    gen.add_argument("--top-p", type=float, default=0.95, metavar="P")
    gen.add_argument("--top-k", type=int, default=40, metavar="K")
    gen.add_argument("--min-p", type=float, default=0.05, metavar="P")
    gen.add_argument("--repeat-penalty", type=float, default=1.1, metavar="R")
    gen.add_argument("--seed", type=int, metavar="S", help="fixed seed for repeatable output")
    gen.add_argument("--ctx", type=_positive_int, default=4096, metavar="N", help="context size")
    gen.add_argument("--threads", type=_positive_int, metavar="N", help="CPU threads")
    gen.add_argument(
        "--gpu-layers",
        type=_gpu_layers,
        default=None,
        metavar="N|auto",
        help="layers to offload to the GPU (default auto)",
    )
    gen.add_argument("--raw", action="store_true", help="plain completion, no chat template")
    gen.add_argument("--stats", action="store_true", help="write final stats as JSON to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("gptdesk.llama_cpp").setLevel(logging.CRITICAL)  # llama.cpp chatter
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # its retry notices
    paths = resolve_paths(args.data_dir)
    try:
        if args.command == "doctor":
            return cmd_doctor(paths)
        if args.command == "generate":
            return cmd_generate(args, paths)
        if args.command == "models":
            return cli_models.run(args, paths)
        if args.command == "chats":
            return cmd_chats(args, paths)
        from gptdesk.app import run_app

        return run_app(paths)
    except GptdeskError as exc:
        print(f"gptdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def configured_models_dir(paths: DataPaths) -> Path:
    """The models folder the settings choose (default: the data dir's)."""
    from gptdesk.core.settings import load_settings, models_dir

    return models_dir(load_settings(paths), paths.models_dir)


def cmd_doctor(paths: DataPaths) -> int:
    import psutil

    from gptdesk.core.backend import default_threads, physical_cores, probe_backend
    from gptdesk.core.gguf_file import read_gguf
    from gptdesk.core.models import installed_models

    backend = probe_backend()
    mem = psutil.virtual_memory()
    gib = 2**30
    lines = [
        f"gptdesk {__version__}",
        f"backend: {backend.name}",
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
        try:
            info = read_gguf(entry.path)
            detail = (
                f"{info.architecture}, {info.n_params / 1e6:.0f}M params, {info.file_type}, "
                f"ctx {info.context_length}, {info.file_size / 2**20:.0f} MiB"
            )
        except GptdeskError as exc:
            detail = f"unusable: {exc}"
        lines.append(f"  {entry.name}: {entry.path} ({detail})")
    print("\n".join(lines))
    return 0


def cmd_chats(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.store import Store, export_conversation, import_conversation

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


def cmd_generate(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.core.engine import (
        ChatMessage,
        ContextTrimmed,
        Engine,
        Finished,
        LoadOptions,
        SamplingParams,
        TextDelta,
    )
    from gptdesk.core.models import resolve_model

    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        print("gptdesk: the prompt is empty.", file=sys.stderr)
        return 2
    entry = resolve_model(args.model, configured_models_dir(paths))
    engine = Engine(
        entry.path,
        LoadOptions(n_ctx=args.ctx, n_threads=args.threads, n_gpu_layers=args.gpu_layers),
    )
    status = engine.load()
    params = SamplingParams(
        temperature=args.temperature,
        top_p=args.top_p,
        top_k=args.top_k,
        min_p=args.min_p,
        repeat_penalty=args.repeat_penalty,
        max_tokens=args.max_tokens,
        seed=args.seed,
    )
    cancel = threading.Event()
    if args.raw:
        events = engine.stream_completion(prompt, params, cancel)
    else:
        messages = [ChatMessage("system", args.system)] if args.system else []
        messages.append(ChatMessage("user", prompt))
        events = engine.stream_chat(messages, params, cancel)
    out = sys.stdout
    finished: Finished | None = None
    try:
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
            "model": str(Path(entry.path).name),
        }
        print(json.dumps(record), file=sys.stderr)
    return 0
