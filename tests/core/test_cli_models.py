"""``gptdesk models ...`` run as a real process against the fake Hub on loopback."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import gguf
import pytest

from gptdesk.core.inference import cpu_kernels, crashes
from gptdesk.core.models.library import INCOMPLETE, Library
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.core.storage.settings import open_settings
from tests import hostile_gguf as hostile
from tests.core.conftest import REPO_ROOT, sha256_of, wait_until, write_tiny_gguf
from tests.fakehub import FakeHub, Fault
from tests.waits import HANG_TIMEOUT_S

Cli = Callable[..., subprocess.CompletedProcess[str]]
MiB = 2**20
VERDICT = r"(fits|tight|won't fit)"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def guarded_env(gptdesk_env: dict[str, str], closed_port: int) -> dict[str, str]:
    """Any Hub call that ignored ``--endpoint`` would hit a closed port, never the internet."""
    gptdesk_env["HF_ENDPOINT"] = f"http://127.0.0.1:{closed_port}"
    return gptdesk_env


@pytest.fixture
def models(gptdesk_cli: Cli, data_dir: Path, guarded_env: dict[str, str]) -> Cli:
    """``models(*args)``: ``gptdesk --data-dir DATA models *args``."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return gptdesk_cli("--data-dir", str(data_dir), "models", *args)

    return run


def last_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one ``gptdesk: ...`` line a failed command ends with; never a traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("gptdesk: "), result.stderr
    return last


def cdn_ranges(hub: FakeHub, name: str) -> list[str]:
    return [
        headers.get("range", "")
        for method, path, headers in hub.requests
        if method == "GET" and path.startswith("/cdn/") and f"file={name}" in path
    ]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if INCOMPLETE in p.name] if folder.exists() else []


# --- local commands ----------------------------------------------------------------------


def test_models_list_shows_the_starter_with_size_quant_and_fit(
    models: Cli, starter_path: Path
) -> None:
    result = models("list")

    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert re.fullmatch(
        rf"Starter\t94 MiB\tQ4_1\t{VERDICT}\tbuiltin\tllama\t0\.13B params\tctx 8192\t"
        rf"template\t{re.escape(str(starter_path))}",
        line,
    )


def test_import_list_and_remove(models: Cli, data_dir: Path, tmp_path: Path) -> None:
    copied_src = write_tiny_gguf(tmp_path / "mine-Q4_K_M.gguf")
    in_place = write_tiny_gguf(tmp_path / "theirs-Q8_0.gguf")
    broken = tmp_path / "broken.gguf"
    broken.write_text("not a model\n" * 100, "utf-8")
    copy = data_dir / "models" / "imported" / "mine-Q4_K_M.gguf"

    imported = models("import", str(copied_src))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == f"Imported mine-Q4_K_M: copied to {copy}"
    assert copy.read_bytes() == copied_src.read_bytes()

    linked = models("import", "--in-place", str(in_place))
    assert linked.returncode == 0, linked.stderr
    assert "used in place" in linked.stdout and str(in_place) in linked.stdout

    refused = models("import", str(broken))
    assert "broken.gguf is not a GGUF model" in last_error_line(refused)
    assert not (data_dir / "models" / "imported" / "broken.gguf").exists()

    listed = models("list").stdout
    assert re.search(
        rf"^mine-Q4_K_M\t\d+ MiB\tF32\t{VERDICT}\tmodels folder\tllama\t[\d.]+B params\t"
        r"ctx \d+\t(no )?template\t",
        listed,
        re.M,
    )
    assert re.search(rf"^theirs-Q8_0\t.*\t{VERDICT}\timported\t.*\t{in_place}$", listed, re.M)

    assert models("remove", "mine-Q4_K_M").returncode == 0
    assert not copy.exists()
    assert models("remove", "theirs-Q8_0").returncode == 0
    assert in_place.is_file()  # only forgotten
    assert "built in" in last_error_line(models("remove", "Starter"))
    listed = models("list").stdout
    assert "mine-Q4_K_M" not in listed and "theirs-Q8_0" not in listed and "Starter" in listed


# --- the Hub -----------------------------------------------------------------------------


def test_models_search(models: Cli, fake_hub: FakeHub) -> None:
    gguf = {"m-Q4_0.gguf": b"x"}
    fake_hub.add_repo("org/small-llama-GGUF", gguf, downloads=10, likes=1)
    fake_hub.add_repo("org/big-llama-GGUF", gguf, downloads=5000, likes=70)
    fake_hub.add_repo("meta/locked-llama-GGUF", gguf, downloads=700, gated=True)
    fake_hub.add_repo("org/llama-safetensors", {"model.safetensors": b"x"}, downloads=10**6)

    result = models("search", "llama", "--endpoint", fake_hub.endpoint)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "org/big-llama-GGUF\t5000 downloads\t70 likes",
        "meta/locked-llama-GGUF\t700 downloads\t0 likes\tgated",
        "org/small-llama-GGUF\t10 downloads\t1 likes",
    ]
    limited = models("search", "llama", "--limit", "1", "--endpoint", fake_hub.endpoint)
    assert limited.stdout.splitlines() == ["org/big-llama-GGUF\t5000 downloads\t70 likes"]
    nothing = models("search", "mistral", "--endpoint", fake_hub.endpoint)
    assert (nothing.returncode, nothing.stdout) == (0, "")
    assert "No GGUF models match 'mistral'" in nothing.stderr


def test_the_hub_comes_from_settings_or_hf_endpoint_and_offline_mode_is_kept(
    models: Cli, fake_hub: FakeHub, data_dir: Path, guarded_env: dict[str, str]
) -> None:
    fake_hub.add_repo("org/llama-GGUF", {"m-Q4_0.gguf": b"x"}, downloads=3)
    paths = resolve_paths(data_dir)
    data_dir.mkdir()

    # a settings.json from an older gptdesk: imported into the database on first use
    paths.settings_file.write_text(json.dumps({"hub_endpoint": fake_hub.endpoint}), "utf-8")
    from_settings = models("search", "llama")
    assert not paths.settings_file.exists()
    with open_settings(paths) as store:
        store.update(offline=True)
    fake_hub.requests.clear()
    offline = models("search", "llama", "--endpoint", fake_hub.endpoint)
    assert fake_hub.requests == []  # offline mode sends nothing at all
    with open_settings(paths) as store:
        store.update(offline=False, hub_endpoint=None)
    guarded_env["HF_ENDPOINT"] = fake_hub.endpoint
    from_env = models("search", "llama")

    assert from_settings.stdout.startswith("org/llama-GGUF\t3 downloads")
    assert "Offline mode is on" in last_error_line(offline)
    assert from_env.stdout.startswith("org/llama-GGUF\t3 downloads")
    # only the search itself reached the Hub: no telemetry, no agent registry
    assert {path.split("?")[0] for _, path, _ in fake_hub.requests} == {"/api/models"}


def test_models_files_shows_quant_size_fit_and_the_best_fit(
    models: Cli, fake_hub: FakeHub, starter_path: Path, tmp_path: Path
) -> None:
    bigger = tmp_path / "bigger.gguf"  # never downloaded: only its size matters
    with bigger.open("wb") as fh:
        fh.truncate(130 * MiB)
    fake_hub.add_repo(
        "org/smol-GGUF",
        {"smol-Q4_1.gguf": starter_path, "smol-Q8_0.gguf": bigger, "README.md": b"# smol"},
    )

    result = models("files", "org/smol-GGUF", "--endpoint", fake_hub.endpoint)

    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[:3] for row in rows] == [
        ["smol-Q8_0.gguf", "Q8_0", "130 MiB"],
        ["smol-Q4_1.gguf", "Q4_1", "94 MiB"],
    ]
    for row in rows:
        assert re.fullmatch(rf"{VERDICT}: needs \d+\.\d GiB .* at 4096 tokens .*", row[3])
    verdicts = [row[3].split(":")[0] for row in rows]
    marked = [i for i, row in enumerate(rows) if row[-1] == "(best fit)"]
    expected = next(
        (verdicts.index(v) for v in ("fits", "tight") if v in verdicts), None
    )  # the best quant that fits, else the best that is tight
    assert marked == ([] if expected is None else [expected])
    # the fit came from the header of the smallest file, read with a Range request
    assert cdn_ranges(fake_hub, "smol-Q8_0.gguf") == []
    assert cdn_ranges(fake_hub, "smol-Q4_1.gguf") == ["bytes=0-2097151"]


@pytest.fixture
def tiny_repo(fake_hub: FakeHub, tmp_path: Path) -> dict[str, bytes]:
    files = {
        name: write_tiny_gguf(tmp_path / name, payload_bytes=size).read_bytes()
        for name, size in (("tiny-Q8_0.gguf", 256 * 1024), ("tiny-Q4_K_M.gguf", 128 * 1024))
    }
    fake_hub.add_repo("org/tiny-GGUF", files)
    return files


def test_models_download_a_quant_prints_the_verified_path(
    models: Cli, fake_hub: FakeHub, tiny_repo: dict[str, bytes], data_dir: Path
) -> None:
    final = data_dir / "models" / "org" / "tiny-GGUF" / "tiny-Q4_K_M.gguf"

    result = models("download", "org/tiny-GGUF", "q4_k_m", "--endpoint", fake_hub.endpoint)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{final}\n"
    assert "Verified and installed" in result.stderr
    assert sha256_of(final) == sha256_of(tiny_repo["tiny-Q4_K_M.gguf"])
    assert leftovers(data_dir) == []
    listed = models("list").stdout
    assert re.search(rf"^tiny-Q4_K_M\t.*\t{VERDICT}\tmodels folder\t.*\t{final}$", listed, re.M)

    best = models("download", "org/tiny-GGUF", "--endpoint", fake_hub.endpoint)
    assert best.returncode == 0, best.stderr  # no quant named: the best one that fits
    assert best.stdout == f"{final.with_name('tiny-Q8_0.gguf')}\n"


def test_a_corrupted_download_exits_non_zero_and_leaves_no_model(
    models: Cli, fake_hub: FakeHub, tiny_repo: dict[str, bytes], data_dir: Path
) -> None:
    fake_hub.faults["tiny-Q8_0.gguf"] = [Fault(corrupt=True)]

    result = models("download", "org/tiny-GGUF", "Q8_0", "--endpoint", fake_hub.endpoint)

    assert "damaged" in last_error_line(result)
    assert result.stdout == ""
    assert not (data_dir / "models" / "org" / "tiny-GGUF" / "tiny-Q8_0.gguf").exists()
    assert leftovers(data_dir) == []
    assert all(e.builtin for e in Library(data_dir / "models", include_external=False).models())


def test_a_gated_download_explains_the_license_and_works_with_a_token(
    models: Cli,
    fake_hub: FakeHub,
    data_dir: Path,
    tmp_path: Path,
    guarded_env: dict[str, str],
) -> None:
    data = write_tiny_gguf(tmp_path / "locked-Q4_0.gguf").read_bytes()
    fake_hub.add_repo("meta/locked-GGUF", {"locked-Q4_0.gguf": data}, gated=True)
    final = data_dir / "models" / "meta" / "locked-GGUF" / "locked-Q4_0.gguf"

    refused = models("download", "meta/locked-GGUF", "Q4_0", "--endpoint", fake_hub.endpoint)

    line = last_error_line(refused)
    assert "accept its license" in line and "token" in line
    assert not final.exists()

    guarded_env["HF_TOKEN"] = fake_hub.token
    allowed = models("download", "meta/locked-GGUF", "Q4_0", "--endpoint", fake_hub.endpoint)
    assert allowed.returncode == 0, allowed.stderr
    assert sha256_of(final) == sha256_of(data)


def test_hub_problems_are_one_line_errors(
    models: Cli, fake_hub: FakeHub, tiny_repo: dict[str, bytes], closed_port: int
) -> None:
    offline = f"http://127.0.0.1:{closed_port}"

    assert "offline" in last_error_line(models("search", "llama", "--endpoint", offline))
    assert "offline" in last_error_line(
        models("download", "org/tiny-GGUF", "Q8_0", "--endpoint", offline)
    )
    assert "Offline mode is on" in last_error_line(
        models("files", "org/tiny-GGUF", "--offline", "--endpoint", fake_hub.endpoint)
    )
    unknown = models("files", "nobody/nothing-GGUF", "--endpoint", fake_hub.endpoint)
    assert "nobody/nothing-GGUF" in last_error_line(unknown)
    no_quant = models("download", "org/tiny-GGUF", "Q3_K_S", "--endpoint", fake_hub.endpoint)
    assert "no file or quant 'Q3_K_S'" in last_error_line(no_quant)
    assert "Q8_0, Q4_K_M" in no_quant.stderr


# --- a download killed with SIGKILL ------------------------------------------------------


def test_a_killed_download_is_never_usable_and_resumes_into_a_working_model(
    gptdesk_cli: Cli,
    guarded_env: dict[str, str],
    fake_hub: FakeHub,
    starter_path: Path,
    data_dir: Path,
) -> None:
    fake_hub.add_repo("org/smol-GGUF", {"smol-Q4_1.gguf": starter_path})
    size = starter_path.stat().st_size
    folder = data_dir / "models" / "org" / "smol-GGUF"
    final, partial = folder / "smol-Q4_1.gguf", folder / ("smol-Q4_1.gguf" + INCOMPLETE)
    download = [
        "--data-dir", str(data_dir), "models", "download", "org/smol-GGUF", "smol-Q4_1.gguf",
        "--endpoint", fake_hub.endpoint,
    ]  # fmt: skip
    fake_hub.throttle_bytes_per_s = 10 * MiB  # about ten seconds for the whole file

    process = subprocess.Popen(
        [sys.executable, "-m", "gptdesk", *download],
        env=guarded_env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: partial.exists() and partial.stat().st_size >= 3 * MiB)
    finally:
        process.kill()
        process.wait(HANG_TIMEOUT_S)

    assert process.returncode == -signal.SIGKILL
    kept = partial.stat().st_size
    assert 0 < kept < size
    assert not final.exists()  # an interrupted download never gets the model's name
    assert all(e.builtin for e in Library(data_dir / "models", include_external=False).models())

    fake_hub.throttle_bytes_per_s = None
    fake_hub.requests.clear()
    resumed = gptdesk_cli(*download)

    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == f"{final}\n"
    assert cdn_ranges(fake_hub, "smol-Q4_1.gguf") == [f"bytes={kept}-"]
    assert sha256_of(final) == fake_hub.file_sha256("org/smol-GGUF", "smol-Q4_1.gguf")
    assert leftovers(data_dir) == []

    generated = gptdesk_cli(
        "--data-dir", str(data_dir), "generate", "--model", "smol-Q4_1",
        "--max-tokens", "5", "--seed", "1", "--ctx", "512", "--stats", "Hi",
        "--threads", "1",  # one thread is quick even on a machine busy with other work
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout.strip()
    stats = json.loads(generated.stderr.strip().splitlines()[-1])
    assert stats["model"] == "smol-Q4_1.gguf" and stats["completion_tokens"] >= 1


def test_token_needs_a_keyring_and_is_never_printed(
    data_dir: Path, gptdesk_env: dict[str, str]
) -> None:
    # keyring's own "no backend" keyring, as on a headless Linux without a secret service.
    env = {**gptdesk_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run(
        [sys.executable, "-m", "gptdesk", "--data-dir", str(data_dir), "models", "token"],
        input="hf_secret_value\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_TIMEOUT_S,
    )
    assert result.returncode == 1
    assert "HF_TOKEN" in last_error_line(result)
    assert "hf_secret_value" not in result.stdout + result.stderr


# --- broken and hostile files (tests/hostile_gguf.py) ----------------------------------------


@pytest.mark.parametrize("case", sorted(hostile.REFUSED), ids=str)
def test_import_of_a_file_llama_cpp_would_refuse_is_one_line_and_copies_nothing(
    models: Cli, data_dir: Path, tmp_path: Path, starter_gguf: gguf.GGUFReader, case: str
) -> None:
    refused = hostile.REFUSED[case]
    source = refused.make(tmp_path / f"{case}.gguf", source=starter_gguf)

    result = models("import", str(source))

    line = last_error_line(result)
    assert result.stderr.strip() == line and result.stdout == ""
    assert refused.mention in line and f"{case}.gguf" in line
    assert not (data_dir / "models" / "imported").exists()


def test_list_and_doctor_show_every_model_and_why_the_broken_ones_cannot_run(
    models: Cli,
    gptdesk_cli: Cli,
    guarded_env: dict[str, str],
    data_dir: Path,
    tmp_path: Path,
    starter_gguf: gguf.GGUFReader,
    starter_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"  # where the CLI and this test keep the crash record
    guarded_env[cpu_kernels.CACHE_ENV] = str(cache)
    monkeypatch.setenv(cpu_kernels.CACHE_ENV, str(cache))
    folder = data_dir / "models"
    reasons = hostile.fill_broken_folder(folder / "broken", source=starter_gguf)
    crashed = hostile.crashes_at_load(folder / "crashed.gguf", source=starter_gguf)
    crashes.record(crashed, "llama.cpp stopped with SIGABRT\n(GGML_ASSERT failed).")
    reasons["crashed.gguf"] = (
        "This model crashed llama.cpp when it was last loaded: llama.cpp stopped with SIGABRT "
        "(GGML_ASSERT failed)."
    )

    listed = models("list")
    doctor = gptdesk_cli("--data-dir", str(data_dir), "doctor")

    assert listed.returncode == 0, listed.stderr
    assert doctor.returncode == 0, doctor.stderr
    for result in (listed, doctor):
        assert "Traceback" not in result.stderr + result.stdout
    lines = listed.stdout.splitlines()
    assert len(lines) == 1 + len(reasons)
    assert re.fullmatch(rf"Starter\t94 MiB\tQ4_1\t{VERDICT}\tbuiltin\t.*", lines[0])
    for name, reason in reasons.items():
        (line,) = [line for line in lines if line.endswith(f"/{name}")]
        assert line.startswith(f"{Path(name).stem}\t-\t-\tunusable: "), line
        assert reason in line and "\tmodels folder\t" in line
        (doctor_line,) = [x for x in doctor.stdout.splitlines() if f"/{name} (" in x]
        assert "(unusable: " in doctor_line and reason in doctor_line
    assert f"models: {1 + len(reasons)}" in doctor.stdout.splitlines()
    assert f"  Starter: {starter_path} (llama, 135M params" in doctor.stdout
