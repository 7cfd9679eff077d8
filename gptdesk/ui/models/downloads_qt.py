"""The GUI side of model downloads: one DownloadsController per session over core's manager.

The core ``DownloadManager`` runs jobs on its own thread and calls its listener there. The
controller turns those calls into queued signals on the GUI thread, gives every download a
stable id (also to partial downloads found on disk from an earlier session, which are listed
as paused until the user resumes them), and announces finished and failed downloads once.

The app keeps ONE controller alive for the whole session (not owned by the model manager
window), so downloads go on while that window is closed.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal, Slot

from gptdesk.core.models.downloads import (
    DownloadManager,
    DownloadState,
    DownloadStatus,
    PendingDownload,
    RetryPolicy,
    find_pending,
)
from gptdesk.core.models.hub import RemoteModel
from gptdesk.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)

RESUMABLE_MESSAGE = str(  # str(): PySide6 types QT_TRANSLATE_NOOP as returning object
    QT_TRANSLATE_NOOP(
        "downloads_qt",
        "Stopped when gptdesk last closed; the data so far is kept. Resume to go on.",
    )
)
"""The message of a partial download found on disk (English; shown translated)."""


@dataclass
class _Job:
    """The controller's record of one download (``manager_id`` is None until it is queued)."""

    job_id: int
    model: RemoteModel
    revision: str
    manager_id: int | None
    status: DownloadStatus
    final_announced: bool = False


class DownloadsController(QObject):
    """Queue, pause, resume and cancel downloads; every status arrives on the GUI thread.

    Job ids are the controller's own (they stay the same when a job found on disk is resumed).
    ``status_changed`` carries a ``DownloadStatus`` (one frozen dataclass type) whose
    ``job_id`` is the controller's id. Progress comes at most every ``progress_interval_s``
    (the core throttles; nothing here runs per byte).
    """

    status_changed = Signal(DownloadStatus)
    """A job's latest status (controller job id, state, bytes, speed, ETA, message)."""
    download_finished = Signal(Path)
    """A download was verified and installed: the path of its (first) GGUF file."""
    download_failed = Signal(str)
    """A download failed: the message to show (what happened and what to do)."""
    pending_found = Signal(int)
    """Partial downloads from an earlier session were listed as paused jobs: how many."""

    _manager_status = Signal(DownloadStatus)
    """Internal: a status from the manager's thread, delivered queued to the GUI thread."""

    def __init__(
        self,
        models_dir: Path,
        endpoint: str,
        token: str | None = None,
        *,
        tasks: BackgroundTasks | None = None,
        policy: RetryPolicy | None = None,
        progress_interval_s: float = 0.25,
        parent: QObject | None = None,
    ) -> None:
        """Start the download thread; with ``tasks``, look for partial downloads on disk in
        the background (starting once the event loop runs) and list them as paused jobs."""
        super().__init__(parent)
        self.models_dir = models_dir
        self._jobs: dict[int, _Job] = {}
        self._by_manager: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._closed = False
        # Always queued, also for statuses the manager emits on this thread inside enqueue():
        # the slot then runs after enqueue() returned and the id mapping exists.
        self._manager_status.connect(self.on_manager_status, Qt.ConnectionType.QueuedConnection)
        self._manager = DownloadManager(
            models_dir,
            endpoint,
            token,
            listener=self._forward_status,
            policy=policy,
            progress_interval_s=progress_interval_s,
        )
        # Deleted without close() (its owner went away): stop the transfers, which nobody can
        # show any more. The lambda holds the manager, not this object.
        manager = self._manager
        self.destroyed.connect(lambda *_args: manager.close())
        if tasks is not None:
            # On the next turn of the event loop, so signals connected after the constructor
            # see what is found (a fast scan's callback can come inside submit()).
            QTimer.singleShot(
                0,
                self,
                lambda: tasks.submit(
                    lambda: find_pending(models_dir), self.on_scan_done, self.on_scan_failed
                ),
            )

    # ------------------------------------------------------------------ public

    def enqueue(self, model: RemoteModel, revision: str = "main") -> int:
        """Download ``model``; returns the job id. A model already queued, running, paused or
        failed is not fetched twice: that job is resumed and its id returned."""
        for job in self._jobs.values():
            same = (job.model.repo_id, job.model.name) == (model.repo_id, model.name)
            if not same or job.status.state in (DownloadState.DONE, DownloadState.CANCELLED):
                continue
            if job.status.state in (DownloadState.PAUSED, DownloadState.FAILED):
                self.resume(job.job_id)
            return job.job_id
        job_id = next(self._ids)
        status = DownloadStatus(
            job_id, model.repo_id, model.name, DownloadState.QUEUED, 0, model.size
        )
        job = _Job(job_id, model, revision, None, status)
        self._start(job)  # raises (an unsafe name) before anything is recorded
        self._jobs[job_id] = job
        self._publish(job, status)
        return job_id

    def pause(self, job_id: int) -> None:
        """Stop transferring; the data so far is kept for ``resume``."""
        job = self._jobs[job_id]
        if job.manager_id is not None:
            self._manager.pause(job.manager_id)

    def resume(self, job_id: int) -> None:
        """Go on with a paused job, or retry a failed one from the data it kept."""
        job = self._jobs[job_id]
        job.final_announced = False
        if job.manager_id is None:
            self._start(job)
        else:
            self._manager.resume(job.manager_id)

    def cancel(self, job_id: int) -> None:
        """Stop and delete the partial data (including what a failed or pending job kept)."""
        job = self._jobs[job_id]
        if job.manager_id is None:
            if job.status.state is not DownloadState.PAUSED:
                return
            self._start(job)  # the manager deletes partials whether it is queued or running
        assert job.manager_id is not None
        self._manager.cancel(job.manager_id)

    def jobs(self) -> list[DownloadStatus]:
        """The latest status of every job, oldest first."""
        return [job.status for job in self._jobs.values()]

    def status(self, job_id: int) -> DownloadStatus:
        """The latest status of one job."""
        return self._jobs[job_id].status

    def clear_finished(self) -> None:
        """Forget done, failed and cancelled jobs (a failed job's kept data stays on disk and
        is offered again next session)."""
        for job_id in [j.job_id for j in self._jobs.values() if j.status.state.finished]:
            del self._jobs[job_id]

    def set_hub(self, endpoint: str, token: str | None) -> None:
        """Use another Hub endpoint or token for the jobs that start from now on."""
        self._manager.endpoint = endpoint.rstrip("/")
        self._manager.token = token

    def close(self) -> None:
        """Pause every download (partials stay for next session) and end the thread: call it
        when the app quits. Returns within a moment, also while a transfer hangs (the manager
        cuts it); no status arrives afterwards."""
        if self._closed:
            return
        self._closed = True
        self._manager.close()

    def _forward_status(self, status: DownloadStatus) -> None:
        """The manager's listener (its thread): hand ``status`` to the GUI thread."""
        if self._closed:
            return
        try:
            self._manager_status.emit(status)
        except RuntimeError:  # this object was deleted while the manager was reporting
            log.debug("a download status arrived after the controller was deleted")

    # ------------------------------------------------------------------ internals

    def _start(self, job: _Job) -> None:
        manager_id = self._manager.enqueue(job.model, job.revision)
        job.manager_id = manager_id
        self._by_manager[manager_id] = job.job_id

    def _publish(self, job: _Job, status: DownloadStatus) -> None:
        job.status = status
        self.status_changed.emit(status)
        if not status.state.finished or job.final_announced:
            return
        job.final_announced = True
        if status.state is DownloadState.DONE and status.path is not None:
            self.download_finished.emit(status.path)
        elif status.state is DownloadState.FAILED:
            self.download_failed.emit(status.message)

    @Slot(DownloadStatus)
    def on_manager_status(self, delivered: DownloadStatus) -> None:
        if self._closed:
            return
        job_id = self._by_manager.get(delivered.job_id)
        job = self._jobs.get(job_id) if job_id is not None else None
        if job is None:
            return
        # Snapshots from two threads can arrive out of order (a Pause click reports "running"
        # while the worker reports "paused"): show the job as it is now, with the speed of the
        # delivered snapshot while it is running.
        current = self._manager.status(delivered.job_id)
        running = current.state is DownloadState.RUNNING
        status = dataclasses.replace(
            current,
            job_id=job.job_id,
            speed_bps=delivered.speed_bps if running else 0.0,
            eta_s=delivered.eta_s if running else None,
        )
        if status != job.status:
            self._publish(job, status)

    def on_scan_done(self, pending: list[PendingDownload]) -> None:
        if self._closed:
            return
        known = {(j.model.repo_id, j.model.name) for j in self._jobs.values()}
        added = 0
        for item in pending:
            if (item.model.repo_id, item.model.name) in known:
                continue
            job_id = next(self._ids)
            status = DownloadStatus(
                job_id,
                item.model.repo_id,
                item.model.name,
                DownloadState.PAUSED,
                item.done_bytes,
                item.model.size,
                message=QCoreApplication.translate("downloads_qt", RESUMABLE_MESSAGE),
            )
            job = _Job(job_id, item.model, item.revision, None, status)
            self._jobs[job_id] = job
            self._publish(job, status)
            added += 1
        if added:
            self.pending_found.emit(added)

    def on_scan_failed(self, exc: Exception) -> None:
        log.warning("could not look for unfinished downloads: %s", exc)
