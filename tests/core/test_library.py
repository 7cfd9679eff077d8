"""The model library (gptdesk.core.models.library.Library) over real folders and GGUF files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import gguf
import pytest

from gptdesk.core.errors import (
    GptdeskError,
    InvalidModelError,
    ModelFileMissingError,
    ModelNotFoundError,
    NotAGGUFError,
    TruncatedModelError,
)
from gptdesk.core.inference import cpu_kernels, crashes
from gptdesk.core.inference.gguf_file import GGUFInfo
from gptdesk.core.models.library import (
    REGISTRY,
    STARTER_NAME,
    Library,
    ModelEntry,
    describe,
    external_folders,
)
from tests import hostile_gguf as hostile
from tests.core.conftest import sha256_of, write_tiny_gguf
from tests.waits import HANG_TIMEOUT_S


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home with no other apps' models: HOME and the HF/XDG variables point into it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in ("HF_HUB_CACHE", "HF_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def models_dir(tmp_path: Path, home: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture
def library(models_dir: Path) -> Library:
    return Library(models_dir)


def downloaded(models_dir: Path, name: str, repo: str = "org/repo-GGUF") -> Path:
    folder = models_dir / repo
    folder.mkdir(parents=True, exist_ok=True)
    return write_tiny_gguf(folder / name)


def listing(library: Library) -> list[tuple[str, str]]:
    return [(e.name, e.source) for e in library.models()]


# --- listing -----------------------------------------------------------------------------


def test_the_models_folder_lists_complete_files_and_split_models_once(
    library: Library, models_dir: Path, starter_path: Path
) -> None:
    downloaded(models_dir, "b-Q4_K_M.gguf")
    downloaded(models_dir, "x-Q8_0-00001-of-00002.gguf")
    downloaded(models_dir, "x-Q8_0-00002-of-00002.gguf")
    downloaded(models_dir, "y-Q2_K-00001-of-00002.gguf")  # its second part never arrived
    partial = models_dir / "org" / "repo-GGUF" / "c-Q4_0.gguf.incomplete"
    partial.write_bytes(b"GGUF half")
    partial.with_name("c-Q4_0.gguf.incomplete.json").write_text("{}", "utf-8")
    (models_dir / "org" / "repo-GGUF" / "README.md").write_text("# hi", "utf-8")

    entries = library.models()

    assert [(e.name, e.source, e.builtin) for e in entries] == [
        (STARTER_NAME, "builtin", True),
        ("b-Q4_K_M", "models folder", False),
        ("x-Q8_0-00001-of-00002", "models folder", False),
    ]
    assert entries[0].path == starter_path
    assert not entries[0].owned and entries[1].owned
    assert entries[2].path == models_dir / "org" / "repo-GGUF" / "x-Q8_0-00001-of-00002.gguf"


def test_an_empty_or_missing_models_folder_lists_only_the_starter(
    tmp_path: Path, home: Path
) -> None:
    assert listing(Library(tmp_path / "never-created")) == [(STARTER_NAME, "builtin")]


def test_other_apps_models_are_listed_in_place_with_their_source(
    tmp_path: Path, home: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Hugging Face cache: snapshot files are links to content-addressed blobs.
    hf_cache = tmp_path / "hf-cache"
    repo = hf_cache / "models--org--cached-GGUF"
    blob = write_tiny_gguf(tmp_path / "blob.gguf")
    (repo / "blobs").mkdir(parents=True)
    stored = repo / "blobs" / sha256_of(blob)
    blob.rename(stored)
    snapshot = repo / "snapshots" / ("a" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "cached-Q4_K_M.gguf").symlink_to(stored)
    monkeypatch.setenv("HF_HUB_CACHE", str(hf_cache))
    # LM Studio (both of its folders) and GPT4All (under XDG_DATA_HOME on Linux).
    lms = home / ".lmstudio" / "models" / "pub" / "repo"
    lms.mkdir(parents=True)
    write_tiny_gguf(lms / "studio-Q5_K_M.gguf")
    old_lms = home / ".cache" / "lm-studio" / "models" / "pub" / "repo"
    old_lms.mkdir(parents=True)
    write_tiny_gguf(old_lms / "old-studio-Q6_K.gguf")
    xdg = tmp_path / "xdg-data"
    gpt4all = xdg / "nomic.ai" / "GPT4All"
    gpt4all.mkdir(parents=True)
    write_tiny_gguf(gpt4all / "gpt4all-Q4_0.gguf")
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))

    entries = Library(models_dir).models()

    assert [(e.name, e.source) for e in entries[1:]] == [
        ("cached-Q4_K_M", "huggingface cache"),
        ("studio-Q5_K_M", "lm studio"),
        ("old-studio-Q6_K", "lm studio"),
        ("gpt4all-Q4_0", "gpt4all"),
    ]
    assert entries[1].path == snapshot / "cached-Q4_K_M.gguf"
    assert not any(e.owned for e in entries)
    assert list(models_dir.iterdir()) == []  # nothing was copied
    assert Library(models_dir, include_external=False).models() == entries[:1]


def test_the_hf_cache_follows_hf_home(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hf_home = tmp_path / "hf-home"
    monkeypatch.setenv("HF_HOME", str(hf_home))
    (hf_home / "hub").mkdir(parents=True)
    write_tiny_gguf(hf_home / "hub" / "m-Q4_0.gguf")

    assert ("huggingface cache", hf_home / "hub") in external_folders()
    assert ("m-Q4_0", "huggingface cache") in listing(Library(tmp_path / "models"))


def test_a_file_reachable_two_ways_is_listed_once(
    tmp_path: Path, home: Path, models_dir: Path
) -> None:
    lms = home / ".lmstudio" / "models"
    lms.mkdir(parents=True)
    source = write_tiny_gguf(lms / "shared-Q4_0.gguf")
    Library(models_dir).import_file(source, copy=False)

    assert listing(Library(models_dir)).count(("shared-Q4_0", "imported")) == 1
    assert [name for name, _ in listing(Library(models_dir))].count("shared-Q4_0") == 1


# --- import ------------------------------------------------------------------------------


def test_import_copies_a_file_into_the_models_folder(
    library: Library, models_dir: Path, tmp_path: Path
) -> None:
    source = write_tiny_gguf(tmp_path / "mine-Q4_K_M.gguf")

    entry = library.import_file(source)

    assert entry.path == models_dir / "imported" / "mine-Q4_K_M.gguf"
    assert entry.owned and entry.source == "models folder"
    assert entry.path.read_bytes() == source.read_bytes()
    assert source.is_file()  # the original stays
    assert ("mine-Q4_K_M", "models folder") in listing(library)
    assert sorted(p.name for p in (models_dir / "imported").iterdir()) == ["mine-Q4_K_M.gguf"]
    with pytest.raises(GptdeskError) as again:
        library.import_file(source)
    assert "already in the models folder" in str(again.value)


def test_import_copies_every_part_of_a_split_model(
    library: Library, models_dir: Path, tmp_path: Path
) -> None:
    first = write_tiny_gguf(tmp_path / "s-00001-of-00002.gguf")
    write_tiny_gguf(tmp_path / "s-00002-of-00002.gguf")

    entry = library.import_file(first)

    assert entry.path == models_dir / "imported" / "s-00001-of-00002.gguf"
    assert sorted(p.name for p in (models_dir / "imported").iterdir()) == [
        "s-00001-of-00002.gguf",
        "s-00002-of-00002.gguf",
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"these are my notes, not a model " * 64, NotAGGUFError), (None, TruncatedModelError)],
    ids=["not-gguf", "truncated"],
)
def test_import_refuses_a_broken_file_before_copying(
    library: Library,
    models_dir: Path,
    tmp_path: Path,
    content: bytes | None,
    error: type[GptdeskError],
) -> None:
    source = tmp_path / "broken.gguf"
    if content is None:  # a real GGUF cut short, as by an interrupted copy
        whole = write_tiny_gguf(tmp_path / "whole.gguf", payload_bytes=64 * 1024).read_bytes()
        content = whole[: len(whole) // 2]
    source.write_bytes(content)

    with pytest.raises(error) as caught:
        library.import_file(source)

    assert "broken.gguf" in str(caught.value)
    assert list(models_dir.rglob("*")) == []
    with pytest.raises(error):
        library.import_file(source, copy=False)
    assert not (models_dir / REGISTRY).exists()


def test_import_in_place_is_remembered_without_copying(
    library: Library, models_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = write_tiny_gguf(elsewhere / "big-Q8_0.gguf")

    entry = library.import_file(source, copy=False)
    library.import_file(source, copy=False)  # twice is once

    assert (entry.path, entry.source, entry.owned) == (source.resolve(), "imported", False)
    assert json.loads((models_dir / REGISTRY).read_text("utf-8")) == {
        "in_place": [str(source.resolve())]
    }
    fresh = Library(models_dir)  # as after a restart
    assert ("big-Q8_0", "imported") in listing(fresh)
    assert fresh.find("big-Q8_0").path == source.resolve()
    assert list(models_dir.rglob("*.gguf")) == []


def test_a_corrupt_registry_is_ignored(library: Library, models_dir: Path) -> None:
    (models_dir / REGISTRY).write_text("[1, 2", "utf-8")

    assert listing(library) == [(STARTER_NAME, "builtin")]


# --- find --------------------------------------------------------------------------------


def test_find_by_name_file_name_or_path(
    library: Library, models_dir: Path, starter_path: Path
) -> None:
    path = downloaded(models_dir, "Tiny-Q4_K_M.gguf")

    assert library.find("tiny-q4_k_m").path == path
    assert library.find("Tiny-Q4_K_M.gguf").path == path
    by_path = library.find(str(path))
    assert (by_path.path, by_path.source) == (path, "models folder")
    assert library.find(str(starter_path)).builtin
    assert library.find(None).name == STARTER_NAME
    assert library.find("starter").path == starter_path


def test_find_an_unknown_name_lists_what_is_installed(library: Library, models_dir: Path) -> None:
    downloaded(models_dir, "Tiny-Q4_K_M.gguf")

    with pytest.raises(ModelNotFoundError) as caught:
        library.find("llama-70b")

    assert "llama-70b" in str(caught.value)
    assert STARTER_NAME in str(caught.value) and "Tiny-Q4_K_M" in str(caught.value)


def test_find_a_path_outside_the_library_uses_it_as_is(library: Library, tmp_path: Path) -> None:
    loose = write_tiny_gguf(tmp_path / "loose.gguf")

    entry = library.find(str(loose))

    assert entry.path == loose and not entry.owned
    missing = library.find(str(tmp_path / "absent.gguf"))  # the engine says it is missing
    assert missing.path == tmp_path / "absent.gguf"


# --- remove ------------------------------------------------------------------------------


def test_remove_deletes_a_downloaded_model_with_all_its_parts(
    library: Library, models_dir: Path
) -> None:
    first = downloaded(models_dir, "x-00001-of-00002.gguf")
    second = downloaded(models_dir, "x-00002-of-00002.gguf")
    other = downloaded(models_dir, "keep-Q4_0.gguf")

    removed = library.remove("x-00001-of-00002")

    assert removed.path == first
    assert not first.exists() and not second.exists() and other.exists()
    assert "x-00001-of-00002" not in [name for name, _ in listing(library)]


def test_remove_by_path_deletes_an_owned_file(library: Library, models_dir: Path) -> None:
    path = downloaded(models_dir, "Tiny-Q4_K_M.gguf")

    library.remove(str(path))

    assert not path.exists()


def test_remove_only_forgets_a_model_imported_in_place(
    library: Library, models_dir: Path, tmp_path: Path
) -> None:
    source = write_tiny_gguf(tmp_path / "mine-Q4_0.gguf")
    library.import_file(source, copy=False)

    library.remove("mine-Q4_0")

    assert source.is_file()
    assert ("mine-Q4_0", "imported") not in listing(Library(models_dir))


def test_remove_refuses_the_starter_and_other_apps_models(
    library: Library, home: Path, tmp_path: Path
) -> None:
    lms = home / ".lmstudio" / "models"
    lms.mkdir(parents=True)
    theirs = write_tiny_gguf(lms / "theirs-Q4_0.gguf")
    loose = write_tiny_gguf(tmp_path / "loose.gguf")

    with pytest.raises(GptdeskError) as starter:
        library.remove(STARTER_NAME)
    with pytest.raises(GptdeskError) as external:
        library.remove("theirs-Q4_0")
    with pytest.raises(GptdeskError) as outside:
        library.remove(str(loose))

    assert "built in" in str(starter.value)
    assert "lm studio" in str(external.value) and "remove it there" in str(external.value)
    assert "loose.gguf" in str(outside.value) and "imported" not in str(outside.value)
    assert theirs.is_file() and loose.is_file()
    with pytest.raises(ModelNotFoundError):
        library.remove("no-such-model")


# --- metadata ----------------------------------------------------------------------------


def test_describe_gives_metadata_or_the_reason_a_file_is_unusable(
    library: Library, models_dir: Path, starter_path: Path
) -> None:
    junk = models_dir / "org" / "junk.gguf"
    junk.parent.mkdir(parents=True)
    junk.write_bytes(b"not a model at all")

    starter = describe(library.find(STARTER_NAME))
    broken = describe(library.find("junk"))

    assert isinstance(starter, GGUFInfo)
    assert (starter.architecture, starter.n_layers, starter.file_type) == ("llama", 30, "Q4_1")
    assert isinstance(broken, str) and "junk.gguf" in broken and "not a GGUF" in broken
    assert describe(ModelEntry("gone", models_dir / "gone.gguf")) == (
        f"The model file {models_dir / 'gone.gguf'} does not exist."
    )


# --- hostile files (tests/hostile_gguf.py) ---------------------------------------------------


@pytest.mark.parametrize("case", sorted(hostile.REFUSED), ids=str)
def test_import_refuses_what_the_engine_would_refuse_and_copies_nothing(
    library: Library, models_dir: Path, tmp_path: Path, starter_gguf: gguf.GGUFReader, case: str
) -> None:
    refused = hostile.REFUSED[case]
    source = refused.make(tmp_path / f"{case}.gguf", source=starter_gguf)

    with pytest.raises(InvalidModelError) as copied:
        library.import_file(source)
    with pytest.raises(InvalidModelError) as in_place:
        library.import_file(source, copy=False)

    assert refused.mention in str(copied.value) and f"{case}.gguf" in str(copied.value)
    assert str(in_place.value) == str(copied.value)
    assert list(models_dir.rglob("*")) == []
    assert listing(library) == [(STARTER_NAME, "builtin")]


def test_a_models_folder_with_broken_files_still_lists_every_model(
    library: Library, models_dir: Path, starter_gguf: gguf.GGUFReader
) -> None:
    reasons = hostile.fill_broken_folder(models_dir / "broken", source=starter_gguf)
    good = hostile.chat_template(models_dir / "good.gguf", "{{ messages }}", source=starter_gguf)
    (models_dir / "folder.gguf").mkdir()  # a folder is not a model, nor listed

    entries = library.models()

    listed = {e.path.name: e for e in entries[1:]}
    assert entries[0].name == STARTER_NAME
    assert sorted(listed) == sorted([*reasons, "good.gguf"])
    assert isinstance(describe(entries[0]), GGUFInfo)
    assert isinstance(describe(listed.pop("good.gguf")), GGUFInfo)
    for name, entry in listed.items():
        reason = describe(entry)
        assert isinstance(reason, str), name
        assert reasons[name] in reason and name in reason, reason
    assert library.find("good").path == good
    assert library.find(str(models_dir / "broken" / "loop-a.gguf")).name == "loop-a"


def test_describe_says_a_model_crashed_llama_cpp(
    library: Library,
    models_dir: Path,
    tmp_path: Path,
    starter_gguf: gguf.GGUFReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cpu_kernels.CACHE_ENV, str(tmp_path / "cache"))
    path = hostile.crashes_at_load(models_dir / "dup-token.gguf", source=starter_gguf)
    entry = library.find("dup-token")
    assert isinstance(describe(entry), GGUFInfo)  # the checks pass it

    crashes.record(path, "llama.cpp stopped: GGML_ASSERT(id_to_token.size()) failed.")

    assert describe(entry) == (
        "This model crashed llama.cpp when it was last loaded: llama.cpp stopped: "
        "GGML_ASSERT(id_to_token.size()) failed."
    )
    assert [e.name for e in library.models()] == [STARTER_NAME, "dup-token"]
    crashes.clear(path)
    assert isinstance(describe(entry), GGUFInfo)


def test_import_of_a_link_loop_is_a_clean_error(library: Library, tmp_path: Path) -> None:
    (tmp_path / "a.gguf").symlink_to("b.gguf")
    (tmp_path / "b.gguf").symlink_to("a.gguf")

    with pytest.raises(ModelFileMissingError) as caught:
        library.import_file(tmp_path / "a.gguf")

    assert "a.gguf" in str(caught.value) and "cannot be read" in str(caught.value)


def test_import_names_the_copy_after_the_link_not_its_target(
    library: Library, models_dir: Path, tmp_path: Path
) -> None:
    blob = write_tiny_gguf(tmp_path / "0123abcd")  # as in the Hugging Face cache
    link = tmp_path / "model-Q4_0.gguf"
    link.symlink_to(blob)

    entry = library.import_file(link)

    assert entry.path == models_dir / "imported" / "model-Q4_0.gguf"
    assert entry.path.read_bytes() == blob.read_bytes() and not entry.path.is_symlink()


# Root reads every file whatever its mode: the check then runs in a child process that has
# lost the capabilities that let root do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
AS_PLAIN_ROOT = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
DESCRIBE_LOCKED = """
import sys
from pathlib import Path
from gptdesk.core.models.library import Library, describe
(entry,) = [e for e in Library(Path(sys.argv[1])).models() if e.path == Path(sys.argv[2])]
print(describe(entry))
"""


def test_an_unreadable_file_is_listed_with_its_reason(library: Library, models_dir: Path) -> None:
    locked = downloaded(models_dir, "locked-Q4_0.gguf")
    locked.chmod(0)
    try:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            child = [sys.executable, "-c", DESCRIBE_LOCKED, str(models_dir), str(locked)]
            done = subprocess.run(
                [*AS_PLAIN_ROOT, *child],
                capture_output=True,
                text=True,
                timeout=HANG_TIMEOUT_S,
                check=True,
            )
            reason: object = done.stdout
        else:
            (entry,) = [e for e in library.models() if e.path == locked]
            reason = describe(entry)
    finally:
        locked.chmod(0o644)

    assert isinstance(reason, str) and "cannot be read" in reason


@pytest.mark.parametrize(
    "registry", ['{"in_place": 5}', '{"in_place": [1, null, ""]}', "[]", '"text"'], ids=str
)
def test_a_registry_of_the_wrong_shape_is_ignored(
    library: Library, models_dir: Path, registry: str
) -> None:
    (models_dir / REGISTRY).write_text(registry, "utf-8")

    assert listing(library) == [(STARTER_NAME, "builtin")]
