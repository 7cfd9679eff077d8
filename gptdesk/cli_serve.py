"""``gptdesk serve``: the loaded model as an OpenAI- and Ollama-compatible API, headless."""

from __future__ import annotations

import argparse
import os
import sys

from gptdesk.core.storage.paths import DataPaths

API_KEY_ENV = "GPTDESK_API_KEY"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve a model over an OpenAI- and Ollama-compatible HTTP API",
        description="Serve a model over an OpenAI-compatible API (/v1/chat/completions, "
        "/v1/completions, /v1/models) and Ollama's (/api/chat, /api/generate, /api/tags).",
    )
    serve.add_argument("--model", metavar="NAME|PATH", help="installed model name or .gguf path")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port", type=int, default=8080, help="port (default: %(default)s; 0: any free)"
    )
    serve.add_argument(
        "--api-key",
        metavar="KEY",
        help=f"require 'Authorization: Bearer KEY' (or ${API_KEY_ENV}); needed off 127.0.0.1",
    )
    serve.add_argument("--ctx", type=int, default=4096, metavar="N", help="context size")
    serve.add_argument("--threads", type=int, metavar="N", help="CPU threads")
    serve.add_argument("--gpu-layers", type=int, metavar="N", help="layers to offload to the GPU")
    serve.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let web pages at ORIGIN (e.g. http://localhost:3000) call the API; repeatable",
    )
    serve.add_argument(
        "--queue", type=int, default=16, metavar="N", help="requests that may wait (then 429)"
    )


def run(args: argparse.Namespace, paths: DataPaths) -> int:
    from gptdesk.cli import configured_models_dir
    from gptdesk.core.inference.backend import LoadOptions
    from gptdesk.core.inference.host import EngineHost
    from gptdesk.core.models.library import resolve_model
    from gptdesk.core.serve.listener import ApiServer, bind
    from gptdesk.core.serve.runner import ThreadRunner
    from gptdesk.core.serve.security import GuardOptions, is_loopback

    key = args.api_key or os.environ.get(API_KEY_ENV) or None
    if not is_loopback(args.host) and not key:
        print(
            f"gptdesk: listening on {args.host} lets other computers use the model: give an "
            f"--api-key KEY (or ${API_KEY_ENV}), or keep --host 127.0.0.1.",
            file=sys.stderr,
        )
        return 2
    if not 0 <= args.port <= 65535:
        print(f"gptdesk: --port must be 0 to 65535, not {args.port}.", file=sys.stderr)
        return 2
    if args.queue < 1 or args.ctx < 1:
        print("gptdesk: --queue and --ctx must be positive.", file=sys.stderr)
        return 2
    sock = bind(args.host, args.port)  # before loading: a busy port fails at once
    entry = resolve_model(args.model, configured_models_dir(paths))
    engine = EngineHost(
        entry.path,
        LoadOptions(n_ctx=args.ctx, n_threads=args.threads, n_gpu_layers=args.gpu_layers),
    )
    print(f"gptdesk: loading {entry.path.name}...", file=sys.stderr)
    try:
        status = engine.load()
    except BaseException:
        sock.close()
        engine.close()
        raise
    runner = ThreadRunner(engine, max_queued=args.queue)
    options = GuardOptions(bind_host=args.host, api_key=key, allow_origins=tuple(args.allow_origin))
    server = ApiServer(runner, sock, options)
    model = runner.model()
    assert model is not None

    def ready() -> None:
        print(
            f"gptdesk: serving {model.id} ({status.describe()}, context {status.n_ctx})",
            file=sys.stderr,
        )
        print(f"listening on {server.url}", flush=True)

    try:
        server.serve(on_ready=ready)
    finally:
        runner.close()
    return 0
