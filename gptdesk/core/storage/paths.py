"""Where gptdesk keeps settings, database, models and logs (platformdirs or a chosen data dir)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "gptdesk"
DATA_DIR_ENV = "GPTDESK_DATA_DIR"


@dataclass(frozen=True)
class DataPaths:
    """The folders and files of one gptdesk installation."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "gptdesk.sqlite3"

    @property
    def documents_file(self) -> Path:
        """The document index (collections, passages, full-text index): rebuilt from the
        user's files if lost, so apart from the conversations."""
        return self.data_dir / "documents.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    def ensure(self) -> DataPaths:
        """Create the folders if they are missing; returns self. A folder that cannot be made
        (a read-only or full disk) is logged and left: what needs it reports that itself, and
        everything that only reads goes on working."""
        for folder in (self.config_dir, self.data_dir, self.log_dir, self.models_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.warning("cannot create %s: %s", folder, exc)
        return self


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
    """Paths for an explicit data dir, else ``$GPTDESK_DATA_DIR``, else the platform's own folders.

    With a data dir everything (settings, database, models, logs) lives below it, so a
    portable or test installation touches nothing else.
    """
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return DataPaths(config_dir=root, data_dir=root, log_dir=root / "logs")
    return DataPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
