"""The ``python -m gptdesk`` command line, run as a subprocess against the starter model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gptdesk
from gptdesk.core.inference.devices import default_threads, probe_backend
from gptdesk.core.inference.engine import Engine, Finished, SamplingParams
from tests.waits import HANG_TIMEOUT_S

REPO_ROOT = Path(gptdesk.__file__).resolve().parent.parent
PROMPT = "The capital of France is"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli_env(home: Path) -> dict[str, str]:
    """The environment of a user whose home is an empty temporary folder."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != "GPTDESK_DATA_DIR"
    }
    env.update(PYTHONPATH=str(REPO_ROOT), HOME=str(home), PYTHONIOENCODING="utf-8")
    return env


def gptdesk_cli(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gptdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_TIMEOUT_S,
        cwd=REPO_ROOT,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gptdesk: ")
    assert result.stdout == ""
    return lines[0]


def greedy_completion(engine: Engine, prompt: str, max_tokens: int) -> str:
    params = SamplingParams(temperature=0.0, max_tokens=max_tokens)
    last = list(engine.stream_completion(prompt, params))[-1]
    assert isinstance(last, Finished)
    return last.text


def test_version(cli_env: dict[str, str]) -> None:
    result = gptdesk_cli(cli_env, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"gptdesk {gptdesk.__version__}"


def test_doctor_reports_the_machine_and_the_starter_model(
    cli_env: dict[str, str], data_dir: Path, starter_path: Path, home: Path
) -> None:
    result = gptdesk_cli(cli_env, "--data-dir", str(data_dir), "doctor")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"gptdesk {gptdesk.__version__}"
    for prefix in ("backend: ", "gpu offload: ", "ram: ", "log dir: "):
        assert any(line.startswith(prefix) for line in lines), prefix
    assert f"threads: {default_threads()} (physical cores: " in result.stdout
    assert f"data dir: {data_dir.resolve()}" in lines
    assert f"models dir: {data_dir.resolve() / 'models'}" in lines
    assert f"  Starter: {starter_path} (llama, 135M params, Q4_1, ctx 8192, " in result.stdout
    assert list(home.iterdir()) == []


@pytest.mark.model
def test_generate_streams_a_reply_and_writes_stats(
    cli_env: dict[str, str], data_dir: Path, home: Path
) -> None:
    args = ["generate", "--seed", "1", "--max-tokens", "8", "--stats", "Hello"]
    result = gptdesk_cli(cli_env, "--data-dir", str(data_dir), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    keys = "prompt_tokens completion_tokens ttft_s tokens_per_s stop_reason backend threads"
    assert set(keys.split()) <= stats.keys()
    assert stats["prompt_tokens"] > 0
    assert 0 < stats["completion_tokens"] <= 8
    assert stats["stop_reason"] in ("eos", "length")
    assert stats["threads"] == default_threads()
    if not probe_backend().gpu_offload:
        assert stats["backend"] == f"CPU · {default_threads()} threads"
    assert list(home.iterdir()) == []


@pytest.mark.model
def test_generate_raw_prints_exactly_what_the_engine_generates(
    cli_env: dict[str, str], data_dir: Path, engine: Engine
) -> None:
    expected = greedy_completion(engine, PROMPT, 12)
    args = ["--data-dir", str(data_dir), "generate", "--raw", "--temperature", "0"]
    args += ["--max-tokens", "12", "--ctx", str(engine.status.n_ctx)]

    from_argv = gptdesk_cli(cli_env, *args, PROMPT)
    assert from_argv.returncode == 0, from_argv.stderr
    assert from_argv.stdout == expected + "\n"

    from_stdin = gptdesk_cli(cli_env, *args, "-", stdin=PROMPT)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == expected + "\n"


@pytest.mark.model
def test_generate_output_arrives_in_pieces(cli_env: dict[str, str], data_dir: Path) -> None:
    args = ["--data-dir", str(data_dir), "generate", "--raw", "--temperature", "0"]
    args += ["--max-tokens", "48", "--ctx", "512", "Once upon a time"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "gptdesk", *args],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=REPO_ROOT,
    )
    assert proc.stdout is not None
    chunks = []
    try:
        while chunk := os.read(proc.stdout.fileno(), 1 << 16):
            chunks.append(chunk)
        assert proc.wait(timeout=HANG_TIMEOUT_S) == 0
    finally:
        proc.kill()
        proc.stdout.close()
    assert len(b"".join(chunks).split()) > 10
    assert len(chunks) > 1  # flushed per delta, not once at the end


def test_generate_rejects_an_empty_prompt(cli_env: dict[str, str], data_dir: Path) -> None:
    result = gptdesk_cli(cli_env, "--data-dir", str(data_dir), "generate", "-", stdin="  \n")
    assert result.returncode == 2
    assert assert_one_line_error(result) == "gptdesk: the prompt is empty."


def test_generate_with_a_missing_model_file(cli_env: dict[str, str], data_dir: Path) -> None:
    result = gptdesk_cli(
        cli_env, "--data-dir", str(data_dir), "generate", "--model", "/nonexistent.gguf", "Hi"
    )
    assert "/nonexistent.gguf" in assert_one_line_error(result)


def test_generate_with_a_text_file_as_model(
    cli_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("These are my notes, not a model.\n", encoding="utf-8")
    result = gptdesk_cli(
        cli_env, "--data-dir", str(data_dir), "generate", "--model", str(notes), "Hi"
    )
    line = assert_one_line_error(result)
    assert "notes.txt is not a GGUF model" in line


def test_data_dir_from_the_environment(cli_env: dict[str, str], data_dir: Path, home: Path) -> None:
    result = gptdesk_cli({**cli_env, "GPTDESK_DATA_DIR": str(data_dir)}, "doctor")
    assert result.returncode == 0, result.stderr
    assert f"config dir: {data_dir.resolve()}" in result.stdout.splitlines()
    assert f"data dir: {data_dir.resolve()}" in result.stdout.splitlines()
    assert list(home.iterdir()) == []


def test_chats_import_list_export(tmp_path: Path, data_dir: Path, cli_env: dict[str, str]) -> None:
    src = tmp_path / "chat.json"
    src.write_text(
        '{"title": "Tea", "messages": [{"role": "user", "content": "Hi 你好"}, '
        '{"role": "assistant", "content": "Hello!"}]}',
        encoding="utf-8",
    )

    def chats(*args: str) -> subprocess.CompletedProcess[str]:
        return gptdesk_cli(cli_env, "--data-dir", str(data_dir), "chats", *args)

    assert chats("import", str(src)).stdout.strip() == "1\tTea"
    assert chats("list").stdout.strip() == "1\tTea"
    md = chats("export", "1", "--format", "md").stdout
    assert "# Tea" in md and "Hi 你好" in md
    exported = tmp_path / "again.json"
    exported.write_text(chats("export", "1", "--format", "json").stdout, encoding="utf-8")
    assert chats("import", str(exported)).stdout.strip() == "2\tTea"
    missing = chats("export", "7")
    assert missing.returncode == 1 and "no conversation 7" in missing.stderr
    assert "Traceback" not in missing.stderr
