"""The Hub client (gptdesk.core.models.hub) over real HTTP against the loopback fake Hub."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.core.models.hub import (
    QUANT_ORDER,
    GatedModelError,
    HubClient,
    OfflineError,
    RemoteFile,
    RepoNotFoundError,
    quant_of,
    quant_rank,
    read_remote_header,
)
from tests.core.conftest import REPO_ROOT, sha256_of
from tests.fakehub import FakeHub
from tests.waits import HANG_TIMEOUT_S

OFFLINE_WITHIN_S = 5.0  # the issue's requirement: "says offline within 5 s"


def _cdn_ranges(hub: FakeHub) -> list[tuple[int, int]]:
    """``(first, last)`` byte of every ranged GET that reached the CDN."""
    ranges = []
    for method, path, headers in hub.requests:
        if method == "GET" and path.startswith("/cdn/"):
            match = re.fullmatch(r"bytes=(\d+)-(\d+)", headers.get("range", ""))
            assert match, f"an unranged or open-ended header read: {headers}"
            ranges.append((int(match[1]), int(match[2])))
    return ranges


def test_importing_the_hub_client_turns_telemetry_off() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    code = (
        "import gptdesk.core.models.hub\n"
        "from huggingface_hub import constants\n"
        "assert constants.HF_HUB_DISABLE_TELEMETRY is True\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=HANG_TIMEOUT_S,
    )

    assert result.returncode == 0, result.stderr


# --- search ------------------------------------------------------------------------------


def test_search_lists_gguf_repos_most_downloaded_first_up_to_the_limit(
    fake_hub: FakeHub,
) -> None:
    gguf = {"m-Q4_K_M.gguf": b"gguf bytes"}
    fake_hub.add_repo("org/little-llama-GGUF", gguf, downloads=10, likes=3)
    fake_hub.add_repo("org/popular-llama-GGUF", gguf, downloads=9000, likes=50)
    fake_hub.add_repo("org/gated-llama-GGUF", gguf, downloads=500, gated=True)
    fake_hub.add_repo("org/llama-safetensors", {"model.safetensors": b"st"}, downloads=10**6)
    fake_hub.add_repo("org/unrelated-GGUF", gguf, downloads=10**5)
    client = HubClient(endpoint=fake_hub.endpoint)

    found = client.search("llama")

    assert [m.repo_id for m in found] == [
        "org/popular-llama-GGUF",
        "org/gated-llama-GGUF",
        "org/little-llama-GGUF",
    ]
    assert (found[0].downloads, found[0].likes, found[0].gated) == (9000, 50, False)
    assert found[1].gated
    assert all("gguf" in m.tags for m in found)
    assert [m.repo_id for m in client.search("llama", limit=1)] == ["org/popular-llama-GGUF"]
    assert client.search("no-such-thing") == []


# --- files of a repo ---------------------------------------------------------------------


def test_list_gguf_gives_sizes_hashes_and_quants_best_first(fake_hub: FakeHub) -> None:
    files = {
        "m-Q4_K_M.gguf": b"q4" * 100,
        "m-Q8_0.gguf": b"q8" * 200,
        "m-IQ2_XXS.gguf": b"iq2" * 10,
        "m-BF16.gguf": b"bf" * 400,
        "m-f16.gguf": b"f16" * 300,
        "sub/m-Q2_K.gguf": b"q2" * 50,
        "m-experimental.gguf": b"?" * 7,
        "README.md": b"# readme\n",
        "config.json": b"{}",
    }
    fake_hub.add_repo("org/m-GGUF", files)

    models = HubClient(endpoint=fake_hub.endpoint).list_gguf("org/m-GGUF")

    assert [(m.name, m.quant) for m in models] == [
        ("m-BF16.gguf", "BF16"),
        ("m-f16.gguf", "F16"),
        ("m-Q8_0.gguf", "Q8_0"),
        ("m-Q4_K_M.gguf", "Q4_K_M"),
        ("sub/m-Q2_K.gguf", "Q2_K"),
        ("m-IQ2_XXS.gguf", "IQ2_XXS"),
        ("m-experimental.gguf", ""),  # no quant in the name: listed last
    ]
    for model in models:
        (part,) = model.parts
        assert model.repo_id == "org/m-GGUF"
        assert part.size == model.size == len(files[part.path])
        assert part.sha256 == sha256_of(files[part.path])


def test_list_gguf_joins_split_parts_and_drops_incomplete_sets(fake_hub: FakeHub) -> None:
    files = {
        "big-Q4_K_M-00002-of-00003.gguf": b"2" * 20,
        "big-Q4_K_M-00001-of-00003.gguf": b"1" * 10,
        "big-Q4_K_M-00003-of-00003.gguf": b"3" * 30,
        "big-Q6_K-00001-of-00002.gguf": b"only the first of two",
        "big-Q2_K.gguf": b"single",
    }
    fake_hub.add_repo("org/big-GGUF", files)

    models = HubClient(endpoint=fake_hub.endpoint).list_gguf("org/big-GGUF")

    assert [m.quant for m in models] == ["Q4_K_M", "Q2_K"]
    split = models[0]
    assert split.name == "big-Q4_K_M-00001-of-00003.gguf"
    assert [p.path for p in split.parts] == [
        "big-Q4_K_M-00001-of-00003.gguf",
        "big-Q4_K_M-00002-of-00003.gguf",
        "big-Q4_K_M-00003-of-00003.gguf",
    ]
    assert split.size == 60
    assert [p.sha256 for p in split.parts] == [sha256_of(files[p.path]) for p in split.parts]


@pytest.mark.parametrize(
    ("filename", "quant"),
    [
        ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M"),
        ("qwen2.5-0.5b-instruct-q8_0.gguf", "Q8_0"),
        ("model.Q2_K.gguf", "Q2_K"),
        ("model-Q3_K_XL.gguf", "Q3_K_XL"),
        ("model-Q5_K_S.gguf", "Q5_K_S"),
        ("model-Q6_K.gguf", "Q6_K"),
        ("model-Q4_0.gguf", "Q4_0"),
        ("model-F16.gguf", "F16"),
        ("model-fp16.gguf", "F16"),
        ("model-BF16.gguf", "BF16"),
        ("model-IQ4_XS.gguf", "IQ4_XS"),
        ("model-IQ2_XXS.gguf", "IQ2_XXS"),
        ("model-IQ1_M.gguf", "IQ1_M"),
        ("model-IQ4_NL.gguf", "IQ4_NL"),
        ("Q4_K_M/model-Q4_K_M-00001-of-00002.gguf", "Q4_K_M"),
        ("Q4_K_M/model-00001-of-00002.gguf", ""),  # only the file name counts
        ("model.gguf", ""),
        ("XQ4_K_M.gguf", ""),  # part of a longer word
        ("Qwen3-8B-UD-Q4_K_XL.gguf", "Q4_K_XL"),  # unsloth's dynamic quants
    ],
)
def test_quant_of(filename: str, quant: str) -> None:
    assert quant_of(filename) == quant


def test_quant_rank_orders_quality_and_puts_unknown_last() -> None:
    assert quant_rank("F16") < quant_rank("Q8_0") < quant_rank("Q4_K_M") < quant_rank("IQ1_S")
    # unsloth's dynamic quants rank above the plain quant of the same bits, not after IQ1_S
    assert quant_rank("Q8_0") < quant_rank("Q4_K_XL") < quant_rank("Q4_K_M")
    assert quant_rank("Q8_K_XL") < quant_rank("Q8_0")
    assert quant_rank("") == quant_rank("Q9_Z") == len(QUANT_ORDER)


# --- errors ------------------------------------------------------------------------------


def test_unknown_repo_is_repo_not_found(fake_hub: FakeHub) -> None:
    client = HubClient(endpoint=fake_hub.endpoint)

    with pytest.raises(RepoNotFoundError) as caught:
        client.list_gguf("nobody/no-such-model")

    assert "nobody/no-such-model" in str(caught.value)


def test_gated_repo_listing_needs_a_token(fake_hub: FakeHub) -> None:
    fake_hub.gated_api = True
    fake_hub.add_repo("meta/locked-GGUF", {"locked-Q4_0.gguf": b"weights"}, gated=True)

    with pytest.raises(GatedModelError) as caught:
        HubClient(endpoint=fake_hub.endpoint).list_gguf("meta/locked-GGUF")
    text = str(caught.value)
    assert "meta/locked-GGUF" in text and "license" in text and "token" in text

    unlocked = HubClient(endpoint=fake_hub.endpoint, token=fake_hub.token)
    assert [m.name for m in unlocked.list_gguf("meta/locked-GGUF")] == ["locked-Q4_0.gguf"]


def test_gated_file_header_needs_a_token(fake_hub: FakeHub, starter_path: Path) -> None:
    fake_hub.add_repo("meta/locked-GGUF", {"locked-Q4_1.gguf": starter_path}, gated=True)
    client = HubClient(endpoint=fake_hub.endpoint)
    (model,) = client.list_gguf("meta/locked-GGUF")  # the Hub lists gated files openly
    url = client.file_url("meta/locked-GGUF", model.name)

    with pytest.raises(GatedModelError) as caught:
        read_remote_header(url, model.size, client.auth_headers())
    assert "license" in str(caught.value) and "token" in str(caught.value)

    with_token = HubClient(endpoint=fake_hub.endpoint, token=fake_hub.token)
    info = read_remote_header(url, model.size, with_token.auth_headers())
    assert info.architecture == "llama"


def test_offline_mode_makes_no_request(fake_hub: FakeHub) -> None:
    fake_hub.add_repo("org/m-GGUF", {"m-Q4_0.gguf": b"x"})
    client = HubClient(endpoint=fake_hub.endpoint, offline=True)

    with pytest.raises(OfflineError) as searching:
        client.search("m")
    with pytest.raises(OfflineError):
        client.list_gguf("org/m-GGUF")

    assert fake_hub.requests == []
    assert "Offline mode is on" in str(searching.value)


def test_a_refused_connection_is_offline(closed_port: int) -> None:
    client = HubClient(endpoint=f"http://127.0.0.1:{closed_port}")

    with pytest.raises(OfflineError) as searching:
        client.search("llama")
    with pytest.raises(OfflineError):
        client.list_gguf("org/m-GGUF")

    assert "offline" in str(searching.value)


def test_a_network_that_drops_packets_is_offline_within_5_seconds(black_hole: str) -> None:
    client = HubClient(endpoint=black_hole)  # the default timeouts, as the app uses them

    with pytest.raises(OfflineError) as caught:
        client.search("llama")

    if sys.platform == "linux":  # where a full accept queue drops connection attempts
        cause = caught.value.__cause__
        assert isinstance(cause, httpx2.ConnectTimeout)
        # The request that made it "offline" gave up on its own connect timeout, which is
        # within the requirement. Timing the call would measure how busy this machine is too.
        assert cause.request.extensions["timeout"]["connect"] < OFFLINE_WITHIN_S


# --- remote metadata ---------------------------------------------------------------------


def test_read_remote_header_reads_only_the_start_of_the_file(
    fake_hub: FakeHub, starter_path: Path
) -> None:
    fake_hub.add_repo("org/smol-GGUF", {"smol-Q4_1.gguf": starter_path})
    client = HubClient(endpoint=fake_hub.endpoint)
    (model,) = client.list_gguf("org/smol-GGUF")
    fake_hub.requests.clear()

    remote = read_remote_header(client.file_url("org/smol-GGUF", model.name), model.size)

    local = read_gguf(starter_path)
    assert (remote.architecture, remote.n_layers, remote.context_length) == (
        local.architecture,
        local.n_layers,
        local.context_length,
    )
    assert (remote.n_head_kv, remote.vocab_size, remote.file_type) == (
        local.n_head_kv,
        local.vocab_size,
        local.file_type,
    )
    assert remote.file_size == local.file_size == model.size
    ranges = _cdn_ranges(fake_hub)
    assert ranges and all(first == 0 for first, _ in ranges)
    assert sum(last + 1 for _, last in ranges) < model.size // 10


def test_read_remote_header_widens_the_range_until_the_header_fits(
    fake_hub: FakeHub, starter_path: Path
) -> None:
    fake_hub.add_repo("org/smol-GGUF", {"smol-Q4_1.gguf": starter_path})
    client = HubClient(endpoint=fake_hub.endpoint)
    size = starter_path.stat().st_size

    info = read_remote_header(
        client.file_url("org/smol-GGUF", "smol-Q4_1.gguf"), size, first_bytes=64 * 1024
    )

    assert info.vocab_size == read_gguf(starter_path).vocab_size
    lasts = [last for _, last in _cdn_ranges(fake_hub)]
    assert len(lasts) >= 2  # the 49k-token vocabulary does not fit into 64 KiB
    assert lasts == sorted(lasts) and lasts[0] == 64 * 1024 - 1
    assert lasts[-1] < size // 10


def test_read_remote_header_of_a_missing_file_is_a_hub_error(fake_hub: FakeHub) -> None:
    fake_hub.add_repo("org/m-GGUF", {"m-Q4_0.gguf": b"x"})
    client = HubClient(endpoint=fake_hub.endpoint)

    with pytest.raises(RepoNotFoundError) as caught:
        read_remote_header(client.file_url("org/m-GGUF", "other.gguf"), 10)
    assert "other.gguf" in str(caught.value)


def test_remote_file_is_what_the_hub_advertises(
    fake_hub: FakeHub, tiny_gguf: Callable[..., bytes]
) -> None:
    data = tiny_gguf("t-Q8_0.gguf")
    fake_hub.add_repo("org/t-GGUF", {"t-Q8_0.gguf": data, "README.md": b"hi"})

    files = HubClient(endpoint=fake_hub.endpoint).list_files("org/t-GGUF")

    assert sorted(files, key=lambda f: f.path) == [
        RemoteFile("README.md", 2, sha256_of(b"hi")),
        RemoteFile("t-Q8_0.gguf", len(data), fake_hub.file_sha256("org/t-GGUF", "t-Q8_0.gguf")),
    ]
