"""The core's messages in the interface language: install_translators hands Qt's translator to
gptdesk.core.i18n, so errors raised by the Qt-free core (on any thread) come out in Chinese, and
remove_translators brings English back."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from gptdesk.core.errors import GenerationError, ModelFileMissingError
from gptdesk.core.inference.engine import Engine
from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.ui.i18n import install_translators, remove_translators
from tools import translations as tt


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .qm built now from the JSON files (the committed one may lag behind them)."""
    out = tmp_path_factory.mktemp("qm")
    tt.build("zh_CN", tt.extract(), out_dir=out)
    return out


def engine_error() -> str:
    try:
        _ = Engine("nowhere.gguf").status
    except GenerationError as exc:
        return str(exc)
    raise AssertionError("no error")


def test_core_errors_follow_the_interface_language(qapp, qm_dir: Path, tmp_path: Path) -> None:
    assert engine_error() == "No model is loaded. Load a model first."
    assert install_translators(qapp, "zh_CN", directory=qm_dir) == "zh_CN"
    try:
        assert engine_error() == "尚未加载模型。请先加载一个模型。"
        missing = tmp_path / "gone.gguf"
        with pytest.raises(ModelFileMissingError, match=f"^模型文件 {missing} 不存在。$"):
            read_gguf(missing)
        # Jobs and downloads raise on worker threads: the translator answers there too.
        seen: list[str] = []
        worker = threading.Thread(target=lambda: seen.append(engine_error()))
        worker.start()
        worker.join()
        assert seen == ["尚未加载模型。请先加载一个模型。"]
    finally:
        remove_translators(qapp)
    assert engine_error() == "No model is loaded. Load a model first."


def test_english_installs_no_core_translator(qapp, qm_dir: Path) -> None:
    assert install_translators(qapp, "en", directory=qm_dir) == "en"
    try:
        assert engine_error() == "No model is loaded. Load a model first."
    finally:
        remove_translators(qapp)
