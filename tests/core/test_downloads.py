"""Downloads (gptdesk.core.models.downloads) over real HTTP against the fake Hub, with faults."""

from __future__ import annotations

import random
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gptdesk.core.models.downloads import (
    SIDECAR,
    DownloadManager,
    DownloadState,
    DownloadStatus,
    RetryPolicy,
    UnsafeNameError,
    find_pending,
    target_path,
)
from gptdesk.core.models.hub import HubClient, RemoteFile, RemoteModel
from gptdesk.core.models.library import INCOMPLETE, Library
from tests.core.conftest import FAST_POLICY, STALL_POLICY, sha256_of, wait_until
from tests.fakehub import FakeHub, Fault
from tests.waits import HANG_TIMEOUT_S

REPO = "org/tiny-GGUF"
FILE = "tiny-Q4_K_M.gguf"
MiB = 2**20
DATA = random.Random(1).randbytes(3 * MiB + 12345)  # several client chunks, odd length


class Recorder:
    """A listener that keeps every status it is given (called from the download thread)."""

    def __init__(self) -> None:
        self.statuses: list[DownloadStatus] = []
        self._lock = threading.Lock()

    def __call__(self, status: DownloadStatus) -> None:
        with self._lock:
            self.statuses.append(status)

    def of(self, job_id: int) -> list[DownloadStatus]:
        with self._lock:
            return [s for s in self.statuses if s.job_id == job_id]


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def manager_for(
    models_dir: Path, fake_hub: FakeHub, recorder: Recorder
) -> Iterator[Callable[..., DownloadManager]]:
    """``manager_for(token=None, policy=FAST_POLICY)``: a manager on the fake Hub, closed after."""
    made: list[DownloadManager] = []

    def make(token: str | None = None, policy: RetryPolicy = FAST_POLICY) -> DownloadManager:
        manager = DownloadManager(
            models_dir, fake_hub.endpoint, token, recorder, policy, progress_interval_s=0.0
        )
        made.append(manager)
        return manager

    yield make
    for manager in made:
        manager.close(timeout_s=HANG_TIMEOUT_S)


@pytest.fixture
def manager(manager_for: Callable[..., DownloadManager]) -> DownloadManager:
    return manager_for()


def remote(hub: FakeHub, repo: str = REPO, token: str | None = None) -> list[RemoteModel]:
    return HubClient(endpoint=hub.endpoint, token=token).list_gguf(repo)


def cdn_gets(hub: FakeHub, name: str = FILE) -> list[str]:
    """The Range header (or "") of every GET for ``name`` that reached the byte server."""
    return [
        headers.get("range", "")
        for method, path, headers in hub.requests
        if method == "GET" and path.startswith("/cdn/") and f"file={name}" in path
    ]


def range_start(header: str) -> int:
    match = re.fullmatch(r"bytes=(\d+)-", header)
    assert match, header
    return int(match[1])


def leftovers(models_dir: Path) -> list[str]:
    """Partial data and download records anywhere in the models folder."""
    if not models_dir.exists():
        return []
    return sorted(
        str(p.relative_to(models_dir))
        for p in models_dir.rglob("*")
        if p.name.endswith((INCOMPLETE, SIDECAR))
    )


def files_below(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def assert_installed(models_dir: Path, status: DownloadStatus, data: bytes = DATA) -> None:
    assert status.state is DownloadState.DONE, status.message
    assert status.path == models_dir.resolve() / REPO / FILE
    assert sha256_of(status.path) == sha256_of(data)
    assert leftovers(models_dir) == []


# --- the happy path ----------------------------------------------------------------------


def test_a_download_lands_verified_in_the_models_folder(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path, recorder: Recorder
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    (model,) = remote(fake_hub)

    job = manager.enqueue(model)
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    assert (status.done_bytes, status.total_bytes, status.fraction) == (len(DATA), len(DATA), 1.0)
    assert status.message == "Downloaded and verified."
    assert cdn_gets(fake_hub) == [""]  # one plain request, nothing resumed
    states = [s.state for s in recorder.of(job)]
    assert states[0] is DownloadState.QUEUED and states[-1] is DownloadState.DONE
    assert DownloadState.VERIFYING in states


def test_progress_reports_bytes_speed_and_the_end(
    fake_hub: FakeHub, manager: DownloadManager, recorder: Recorder
) -> None:
    fake_hub.throttle_bytes_per_s = 8 * MiB  # about 0.4 s, so speed can be measured
    fake_hub.add_repo(REPO, {FILE: DATA})

    job = manager.enqueue(remote(fake_hub)[0])
    manager.wait(job, HANG_TIMEOUT_S)

    statuses = recorder.of(job)
    running = [s for s in statuses if s.state is DownloadState.RUNNING]
    done = [s.done_bytes for s in running]
    assert done == sorted(done) and 0 < done[-1] <= len(DATA)
    assert len(set(done)) >= 3
    assert {s.total_bytes for s in statuses} == {len(DATA)}
    assert any(s.speed_bps > 0 and s.eta_s is not None for s in running)
    final = statuses[-1]
    assert final.state is DownloadState.DONE and final.done_bytes == len(DATA)


def test_already_downloaded_files_are_not_fetched_again(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    (model,) = remote(fake_hub)
    manager.wait(manager.enqueue(model), HANG_TIMEOUT_S)
    fake_hub.requests.clear()

    status = manager.wait(manager.enqueue(model), HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    assert cdn_gets(fake_hub) == []


# --- faults: retried and resumed ---------------------------------------------------------


def test_a_dropped_connection_resumes_from_where_it_stopped(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(drop_after=MiB + 4321)]

    status = manager.wait(manager.enqueue(remote(fake_hub)[0]), HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    first, second = cdn_gets(fake_hub)
    assert first == ""
    # what reached the disk before the drop (whole client chunks), never more than was sent
    assert 0 < range_start(second) <= MiB + 4321


def test_a_server_error_is_retried(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(status=503)]

    status = manager.wait(manager.enqueue(remote(fake_hub)[0]), HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    resolves = [p for m, p, _ in fake_hub.requests if m == "GET" and "/resolve/" in p]
    assert len(resolves) == 2  # the 503, then the file


def test_a_stalled_transfer_reconnects_and_resumes(
    fake_hub: FakeHub, manager_for: Callable[..., DownloadManager], models_dir: Path
) -> None:
    manager = manager_for(policy=STALL_POLICY)
    fake_hub.add_repo(REPO, {FILE: DATA})
    # silent for longer than any wait of a test, so only the client's 1 s stall limit ends it;
    # the hub's stop ends it after the test
    fake_hub.faults[FILE] = [Fault(stall_after=2 * MiB, stall_seconds=2 * HANG_TIMEOUT_S)]

    status = manager.wait(manager.enqueue(remote(fake_hub)[0]), HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    first, second = cdn_gets(fake_hub)
    assert first == "" and 0 < range_start(second) <= 2 * MiB


def test_a_corrupted_transfer_is_deleted_and_never_installed(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(corrupt=True)]

    status = manager.wait(manager.enqueue(remote(fake_hub)[0]), HANG_TIMEOUT_S)

    assert status.state is DownloadState.FAILED
    assert "damaged" in status.message and "deleted" in status.message
    assert status.path is None
    assert not (models_dir / REPO / FILE).exists()
    assert leftovers(models_dir) == []
    assert all(e.builtin for e in Library(models_dir, include_external=False).models())


def test_when_retries_run_out_the_data_is_kept_and_resume_finishes(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(drop_after=2 * MiB), Fault(status=503, times=-1)]
    job = manager.enqueue(remote(fake_hub)[0])

    failed = manager.wait(job, HANG_TIMEOUT_S)

    assert failed.state is DownloadState.FAILED
    assert "resume" in failed.message and "kept" in failed.message
    partial = models_dir / REPO / (FILE + INCOMPLETE)
    kept = partial.stat().st_size
    assert 0 < kept <= 2 * MiB
    assert not (models_dir / REPO / FILE).exists()

    fake_hub.faults.clear()
    fake_hub.requests.clear()
    manager.resume(job)
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    assert cdn_gets(fake_hub) == [f"bytes={kept}-"]


def test_a_failed_download_can_be_cancelled_to_delete_its_data(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(drop_after=MiB), Fault(status=503, times=-1)]
    job = manager.enqueue(remote(fake_hub)[0])
    assert manager.wait(job, HANG_TIMEOUT_S).state is DownloadState.FAILED
    assert leftovers(models_dir) != []

    manager.cancel(job)

    assert manager.status(job).state is DownloadState.CANCELLED
    assert leftovers(models_dir) == []


# --- pause, resume, cancel, queue ----------------------------------------------------------


def _started(manager: DownloadManager, job: int, at_least: int = 1) -> Callable[[], bool]:
    return lambda: manager.status(job).done_bytes >= at_least


def test_pause_keeps_the_partial_and_resume_continues_it(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.throttle_bytes_per_s = 2 * MiB
    fake_hub.add_repo(REPO, {FILE: DATA})
    job = manager.enqueue(remote(fake_hub)[0])
    wait_until(_started(manager, job, MiB))

    manager.pause(job)
    paused = manager.wait(job, HANG_TIMEOUT_S)

    assert paused.state is DownloadState.PAUSED
    partial = models_dir / REPO / (FILE + INCOMPLETE)
    kept = partial.stat().st_size
    assert 0 < kept < len(DATA)
    assert (models_dir / REPO / (FILE + SIDECAR)).is_file()
    assert not (models_dir / REPO / FILE).exists()

    fake_hub.throttle_bytes_per_s = None
    manager.resume(job)
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    assert cdn_gets(fake_hub)[-1] == f"bytes={kept}-"


def test_resume_right_after_pause_is_never_lost(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    # Resume may arrive before the transfer has noticed the pause, or after it stopped:
    # either way the download must finish rather than stay paused.
    fake_hub.throttle_bytes_per_s = 2 * MiB
    fake_hub.add_repo(REPO, {FILE: DATA})
    job = manager.enqueue(remote(fake_hub)[0])
    wait_until(_started(manager, job, MiB))

    manager.pause(job)
    manager.resume(job)
    fake_hub.throttle_bytes_per_s = None
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert_installed(models_dir, status)


# A stall that outlasts every wait of a test: neither the client nor the server ends it by
# itself, so a close() or pause that ends the transfer within a wait has cut it (no speed is
# measured).
STALL_S = 2 * HANG_TIMEOUT_S
# The client waits that long for bytes before it calls a transfer stalled: a hang stays a hang.
PATIENT = RetryPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, stall_s=STALL_S)


def _hanging(fake_hub: FakeHub) -> None:
    """The first request for FILE sends 1 MiB and then nothing for STALL_S."""
    fake_hub.add_repo(REPO, {FILE: DATA})
    fake_hub.faults[FILE] = [Fault(stall_after=MiB, stall_seconds=STALL_S)]


def test_close_cuts_a_hanging_transfer_at_once_and_keeps_its_data(
    fake_hub: FakeHub,
    manager_for: Callable[..., DownloadManager],
    models_dir: Path,
    recorder: Recorder,
) -> None:
    _hanging(fake_hub)
    manager = manager_for(policy=PATIENT)
    (model,) = remote(fake_hub)
    job = manager.enqueue(model)
    wait_until(_started(manager, job, MiB))  # all that was sent has arrived: the read hangs

    ended = manager.close(timeout_s=HANG_TIMEOUT_S)

    assert ended  # the thread ended within a wait shorter than the stall: the read was cut
    assert manager.status(job).state is DownloadState.PAUSED
    # the listener is not called once close() began: it never heard of the pause
    assert DownloadState.PAUSED not in [s.state for s in recorder.of(job)]
    partial = models_dir / REPO / (FILE + INCOMPLETE)
    assert partial.stat().st_size == MiB
    assert (models_dir / REPO / (FILE + SIDECAR)).is_file()
    (pending,) = find_pending(models_dir)
    assert pending.model == model and pending.done_bytes == MiB


def test_pause_cuts_a_hanging_transfer_at_once_and_resume_finishes_it(
    fake_hub: FakeHub, manager_for: Callable[..., DownloadManager], models_dir: Path
) -> None:
    _hanging(fake_hub)
    manager = manager_for(policy=PATIENT)
    job = manager.enqueue(remote(fake_hub)[0])
    wait_until(_started(manager, job, MiB))

    manager.pause(job)
    paused = manager.wait(job, HANG_TIMEOUT_S)

    # paused within a wait shorter than the stall: the read was cut
    assert paused.state is DownloadState.PAUSED
    assert paused.attempt == 0 and paused.message == ""  # a pause, not a connection problem
    assert (models_dir / REPO / (FILE + INCOMPLETE)).stat().st_size == MiB

    manager.resume(job)
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert_installed(models_dir, status)
    assert cdn_gets(fake_hub) == ["", f"bytes={MiB}-"]


def test_cancel_while_running_deletes_the_partial(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.throttle_bytes_per_s = 2 * MiB
    fake_hub.add_repo(REPO, {FILE: DATA})
    job = manager.enqueue(remote(fake_hub)[0])
    wait_until(_started(manager, job, MiB))
    assert leftovers(models_dir) != []

    manager.cancel(job)
    status = manager.wait(job, HANG_TIMEOUT_S)

    assert status.state is DownloadState.CANCELLED
    assert leftovers(models_dir) == []
    assert not (models_dir / REPO / FILE).exists()


def test_jobs_run_one_after_another_in_order(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path, recorder: Recorder
) -> None:
    other = random.Random(2).randbytes(MiB)
    fake_hub.add_repo(REPO, {FILE: DATA, "tiny-Q8_0.gguf": other})
    q8, q4 = remote(fake_hub)

    first = manager.enqueue(q4)
    second = manager.enqueue(q8)
    assert manager.status(second).state is DownloadState.QUEUED
    manager.wait(first, HANG_TIMEOUT_S)
    status = manager.wait(second, HANG_TIMEOUT_S)

    assert status.state is DownloadState.DONE
    assert sha256_of(models_dir / REPO / "tiny-Q8_0.gguf") == sha256_of(other)
    events = [(s.job_id, s.state) for s in recorder.statuses]
    assert events.index((first, DownloadState.DONE)) < events.index((second, DownloadState.RUNNING))
    cdn = [p for m, p, _ in fake_hub.requests if m == "GET" and p.startswith("/cdn/")]
    assert [FILE in p for p in cdn] == [True, False]


def test_a_queued_job_can_be_cancelled_or_paused_before_it_starts(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.throttle_bytes_per_s = 4 * MiB
    fake_hub.add_repo(
        REPO, {FILE: DATA, "tiny-Q8_0.gguf": b"8" * 1000, "tiny-Q2_K.gguf": b"2" * 1000}
    )
    q8, q4, q2 = remote(fake_hub)
    running = manager.enqueue(q4)
    cancelled = manager.enqueue(q8)
    paused = manager.enqueue(q2)

    manager.cancel(cancelled)
    manager.pause(paused)

    assert manager.status(cancelled).state is DownloadState.CANCELLED
    assert manager.status(paused).state is DownloadState.PAUSED
    assert manager.wait(running, HANG_TIMEOUT_S).state is DownloadState.DONE
    assert manager.status(paused).state is DownloadState.PAUSED  # stays until resumed
    manager.resume(paused)
    assert manager.wait(paused, HANG_TIMEOUT_S).state is DownloadState.DONE
    assert (models_dir / REPO / "tiny-Q2_K.gguf").read_bytes() == b"2" * 1000
    assert not (models_dir / REPO / "tiny-Q8_0.gguf").exists()
    assert cdn_gets(fake_hub, "tiny-Q8_0.gguf") == []


# --- gated repos, disk space, hostile names ----------------------------------------------


def test_a_gated_file_needs_a_token(
    fake_hub: FakeHub, manager_for: Callable[..., DownloadManager], models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA}, gated=True)
    (model,) = remote(fake_hub)

    without = manager_for()
    refused = without.wait(without.enqueue(model), HANG_TIMEOUT_S)

    assert refused.state is DownloadState.FAILED
    assert "license" in refused.message and "token" in refused.message
    assert not (models_dir / REPO / FILE).exists()

    with_token = manager_for(token=fake_hub.token)
    assert_installed(models_dir, with_token.wait(with_token.enqueue(model), HANG_TIMEOUT_S))


def test_not_enough_disk_space_fails_before_any_byte_is_fetched(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, {FILE: DATA})
    models_dir.mkdir()
    free = shutil.disk_usage(models_dir).free
    too_big = RemoteModel(REPO, (RemoteFile(FILE, free + 1, sha256_of(DATA)),), "Q4_K_M")

    status = manager.wait(manager.enqueue(too_big), HANG_TIMEOUT_S)

    assert status.state is DownloadState.FAILED
    assert "disk space" in status.message and str(models_dir) in status.message
    assert fake_hub.requests == []
    assert list(models_dir.rglob("*")) == []


HOSTILE_FILES = ["../evil.gguf", "/abs.gguf", "sub/../../x.gguf", "a\\b.gguf", "./x.gguf", ""]


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_file_names_from_the_hub_are_refused(
    fake_hub: FakeHub, manager: DownloadManager, tmp_path: Path, name: str
) -> None:
    fake_hub.add_repo(REPO, {name or "x.gguf": b"evil"})
    listed = remote(fake_hub)
    model = listed[0] if name else RemoteModel(REPO, (RemoteFile(name, 4, sha256_of(b"evil")),), "")
    before = files_below(tmp_path)

    with pytest.raises(UnsafeNameError):
        manager.enqueue(model)

    assert files_below(tmp_path) == before
    assert cdn_gets(fake_hub, name) == []


@pytest.mark.parametrize("repo_id", ["../x", "a/b/c", "x", "a/..", "/a/b", "a\\b/c"])
def test_hostile_repo_ids_are_refused(
    fake_hub: FakeHub, manager: DownloadManager, tmp_path: Path, repo_id: str
) -> None:
    model = RemoteModel(repo_id, (RemoteFile(FILE, 4, sha256_of(b"evil")),), "Q4_K_M")
    before = files_below(tmp_path)

    with pytest.raises(UnsafeNameError):
        manager.enqueue(model)

    assert files_below(tmp_path) == before
    assert fake_hub.requests == []


def test_target_path_stays_inside_the_models_folder(tmp_path: Path) -> None:
    assert target_path(tmp_path, "owner/repo", "sub/m.gguf") == (
        tmp_path.resolve() / "owner" / "repo" / "sub" / "m.gguf"
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "owner").symlink_to(outside)

    with pytest.raises(UnsafeNameError):
        target_path(tmp_path / "models", "owner/repo", "m.gguf")


# --- split models and left-over partials -------------------------------------------------

SPLIT = {
    f"big-Q4_K_M-0000{i}-of-00003.gguf": random.Random(i).randbytes(MiB + i) for i in (1, 2, 3)
}
SPLIT_FIRST = "big-Q4_K_M-00001-of-00003.gguf"


def test_a_split_model_downloads_every_part(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, SPLIT)
    (model,) = remote(fake_hub)

    status = manager.wait(manager.enqueue(model), HANG_TIMEOUT_S)

    assert status.state is DownloadState.DONE, status.message
    assert status.path == models_dir.resolve() / REPO / SPLIT_FIRST
    assert status.done_bytes == status.total_bytes == sum(len(d) for d in SPLIT.values())
    for name, data in SPLIT.items():
        assert sha256_of(models_dir / REPO / name) == sha256_of(data)
    assert leftovers(models_dir) == []
    library = Library(models_dir, include_external=False)
    assert [e.path for e in library.models() if e.owned] == [models_dir / REPO / SPLIT_FIRST]


def test_an_interrupted_split_model_is_not_listed_and_resumes_as_a_whole(
    fake_hub: FakeHub, manager_for: Callable[..., DownloadManager], models_dir: Path
) -> None:
    fake_hub.add_repo(REPO, SPLIT)
    second = "big-Q4_K_M-00002-of-00003.gguf"
    fake_hub.faults[second] = [Fault(drop_after=MiB + 1), Fault(status=503, times=-1)]
    (model,) = remote(fake_hub)
    first_manager = manager_for()
    assert (
        first_manager.wait(first_manager.enqueue(model), HANG_TIMEOUT_S).state
        is DownloadState.FAILED
    )
    first_manager.close()
    assert (models_dir / REPO / SPLIT_FIRST).is_file()  # part 1 was verified and kept

    library = Library(models_dir, include_external=False)
    assert [e for e in library.models() if e.owned] == []

    (pending,) = find_pending(models_dir)
    assert pending.model == model
    assert pending.revision == "main"
    kept = (models_dir / REPO / (second + INCOMPLETE)).stat().st_size
    assert kept > 0
    assert pending.done_bytes == len(SPLIT[SPLIT_FIRST]) + kept

    fake_hub.faults.clear()
    fake_hub.requests.clear()
    again = manager_for()
    status = again.wait(again.enqueue(pending.model, pending.revision), HANG_TIMEOUT_S)

    assert status.state is DownloadState.DONE, status.message
    assert cdn_gets(fake_hub, SPLIT_FIRST) == []
    assert cdn_gets(fake_hub, second) == [f"bytes={kept}-"]
    assert cdn_gets(fake_hub, "big-Q4_K_M-00003-of-00003.gguf") == [""]
    for name, data in SPLIT.items():
        assert sha256_of(models_dir / REPO / name) == sha256_of(data)
    assert [e.path for e in library.models() if e.owned] == [models_dir / REPO / SPLIT_FIRST]


def test_find_pending_lists_a_partial_left_behind(
    fake_hub: FakeHub, manager: DownloadManager, models_dir: Path
) -> None:
    fake_hub.throttle_bytes_per_s = 2 * MiB
    fake_hub.add_repo(REPO, {FILE: DATA})
    (model,) = remote(fake_hub)
    job = manager.enqueue(model)
    wait_until(_started(manager, job, MiB))
    assert manager.close(timeout_s=HANG_TIMEOUT_S)  # as when the app quits mid-download
    assert manager.status(job).state is DownloadState.PAUSED

    (pending,) = find_pending(models_dir)

    assert pending.model == model
    assert pending.done_bytes == (models_dir / REPO / (FILE + INCOMPLETE)).stat().st_size > 0
    assert find_pending(models_dir / "nowhere") == []


def test_find_pending_skips_unreadable_records(models_dir: Path) -> None:
    (models_dir / REPO).mkdir(parents=True)
    (models_dir / REPO / ("a.gguf" + SIDECAR)).write_text("{not json", "utf-8")
    (models_dir / REPO / ("b.gguf" + SIDECAR)).write_text('{"repo_id": "x"}', "utf-8")

    assert find_pending(models_dir) == []
