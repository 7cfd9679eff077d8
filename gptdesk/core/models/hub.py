"""Finding GGUF models on the Hugging Face Hub (or a mirror): search, a repo's files, metadata.

All network access goes through ``huggingface_hub``'s ``HfApi`` with an explicit endpoint (the
library reads ``HF_ENDPOINT`` only once, at import), short timeouts, and its errors turned into
gptdesk's own with text a user can act on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

# gptdesk is private by design: no telemetry calls to huggingface.co (huggingface_hub reads this
# once, at import, and otherwise contacts the Hub on its own when it first builds headers).
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import httpx2
from huggingface_hub import HfApi, set_client_factory
from huggingface_hub import errors as hf_errors

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.gguf_file import GGUFInfo

DEFAULT_ENDPOINT = "https://huggingface.co"
SEARCH_TIMEOUT_S = 5.0
# The reachability probe before each call: short enough that a network which drops packets is
# reported as offline within 5 s (connect and read timeouts of SEARCH_TIMEOUT_S take longer).
PROBE_TIMEOUT_S = 3.0

_QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"IQ[1-4]_(?:XXS|XS|S|M|NL)|IQ4_NL|IQ4_XS"
    r"|Q[2-8]_K(?:_[SMLX]{1,2})?|Q[4-8]_[01]|Q2_K_S|TQ[12]_0"
    r"|F16|FP16|BF16|F32|MXFP4"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
# Quality order, best first: what "the best quant that fits" walks down.
QUANT_ORDER = (
    "F32", "BF16", "F16", "Q8_K_XL", "Q8_0", "Q6_K_XL", "Q6_K", "Q5_K_XL", "Q5_K_L", "Q5_K_M",
    "Q5_K_S", "Q5_1", "Q5_0", "Q4_K_XL", "Q4_K_L", "Q4_K_M", "Q4_K_S", "Q4_1", "Q4_0", "IQ4_NL",
    "IQ4_XS", "Q3_K_XL", "Q3_K_L", "Q3_K_M", "IQ3_M", "IQ3_S", "Q3_K_S", "IQ3_XS", "IQ3_XXS",
    "Q2_K_XL", "Q2_K_L", "Q2_K", "Q2_K_S", "IQ2_M", "IQ2_S", "IQ2_XS", "IQ2_XXS", "IQ1_M",
    "IQ1_S",
)  # fmt: skip


class HubError(GptdeskError):
    """The Hub answered with an error, or could not be reached."""


class OfflineError(HubError):
    """No connection to the Hub (or the app is in offline mode)."""


class GatedModelError(HubError):
    """The repo needs an accepted license and a token."""


class RepoNotFoundError(HubError):
    """No such repo, or no such file in it."""


def quant_of(filename: str) -> str:
    """The quantization named in a GGUF file name (``Q4_K_M``, ``F16``...), or ``""``."""
    base = filename.rsplit("/", 1)[-1]
    match = _QUANT_RE.search(base)
    if not match:
        return ""
    quant = match.group(1).upper()
    return "F16" if quant == "FP16" else quant


def quant_rank(quant: str) -> int:
    """Position in QUANT_ORDER (0 = best); unknown quants sort last."""
    try:
        return QUANT_ORDER.index(quant)
    except ValueError:
        return len(QUANT_ORDER)


@dataclass(frozen=True)
class RemoteFile:
    """One file in a repo, with what the Hub says about it."""

    path: str
    size: int
    sha256: str | None  # from LFS metadata; None for small non-LFS files


@dataclass(frozen=True)
class RemoteModel:
    """A downloadable model: one GGUF file, or all parts of a split one (load the first)."""

    repo_id: str
    parts: tuple[RemoteFile, ...]
    quant: str

    @property
    def name(self) -> str:
        """The first part's path, which is what llama.cpp loads."""
        return self.parts[0].path

    @property
    def size(self) -> int:
        return sum(p.size for p in self.parts)


@dataclass(frozen=True)
class HubModel:
    """A search result."""

    repo_id: str
    downloads: int
    likes: int
    gated: bool
    tags: tuple[str, ...]


def group_gguf_files(repo_id: str, files: list[RemoteFile]) -> list[RemoteModel]:
    """GGUF files of a repo as models: split parts joined, sorted by quality then name."""
    singles: list[RemoteModel] = []
    splits: dict[tuple[str, str], list[RemoteFile]] = {}
    for f in files:
        if not f.path.lower().endswith(".gguf"):
            continue
        m = _SPLIT_RE.match(f.path)
        if m:
            splits.setdefault((m["stem"], m["count"]), []).append(f)
        else:
            singles.append(RemoteModel(repo_id, (f,), quant_of(f.path)))
    for (stem, count), parts in splits.items():
        parts.sort(key=lambda p: p.path)
        if len(parts) == int(count):  # an incomplete set cannot be loaded
            singles.append(RemoteModel(repo_id, tuple(parts), quant_of(stem + ".gguf")))
    singles.sort(key=lambda m: (quant_rank(m.quant), m.name))
    return singles


def resolve_endpoint(setting: str | None = None) -> str:
    """The Hub endpoint: a setting, else ``$HF_ENDPOINT``, else huggingface.co."""
    chosen = setting or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    return chosen.rstrip("/")


_Action = Literal["search", "list", "header"]
"""What a Hub call was doing, for its error messages (each one a whole sentence to translate)."""


def _answered(action: _Action, status: object, subject: str) -> str:
    """The message for an HTTP error ``status`` while doing ``action`` on ``subject``."""
    if action == "search":
        text = translate("hub", "The Hub answered {status} while searching. Try again later.")
    elif action == "list":
        text = translate(
            "hub", "The Hub answered {status} while listing {subject}. Try again later."
        )
    else:
        text = translate(
            "hub",
            "The Hub answered {status} while reading the header of {subject}. Try again later.",
        )
    return text.format(status=status, subject=subject)


def _unreachable(action: _Action, subject: str) -> str:
    """The message for a Hub that could not be reached while doing ``action`` on ``subject``."""
    if action == "search":
        text = translate(
            "hub",
            "You're offline: the Hub could not be reached while searching. Installed models "
            "keep working; try again when connected.",
        )
    elif action == "list":
        text = translate(
            "hub",
            "You're offline: the Hub could not be reached while listing {subject}. Installed "
            "models keep working; try again when connected.",
        )
    else:
        text = translate(
            "hub",
            "You're offline: the Hub could not be reached while reading the header of "
            "{subject}. Installed models keep working; try again when connected.",
        )
    return text.format(subject=subject)


@contextmanager
def _hub_errors(action: _Action, subject: str = "", repo_id: str | None = None) -> Iterator[None]:
    """Turn huggingface_hub's and httpx's exceptions into gptdesk errors; ``subject``: the
    repo or file ``action`` concerns."""
    try:
        yield
    except hf_errors.GatedRepoError as exc:
        raise GatedModelError(
            translate(
                "hub",
                "{repo} needs you to accept its license on the Hub and add a token: open the "
                "model's page on huggingface.co, accept the terms, create a read token in your "
                "account settings and enter it in Settings.",
            ).format(repo=repo_id)
        ) from exc
    except (hf_errors.RepositoryNotFoundError, hf_errors.RevisionNotFoundError) as exc:
        raise RepoNotFoundError(
            translate(
                "hub", "The Hub has no model '{repo}' (or it is private). Check the name."
            ).format(repo=repo_id)
        ) from exc
    except hf_errors.EntryNotFoundError as exc:
        raise RepoNotFoundError(
            translate("hub", "{repo} has no such file.").format(repo=repo_id)
        ) from exc
    except hf_errors.HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        if status in (401, 403):
            raise GatedModelError(
                translate(
                    "hub",
                    "The Hub refused access to {repo} (HTTP {status}). If it is a gated model, "
                    "accept its license on the Hub and add a token in Settings.",
                ).format(repo=repo_id, status=status)
            ) from exc
        raise HubError(_answered(action, status, subject)) from exc
    except (httpx2.TransportError, hf_errors.OfflineModeIsEnabled) as exc:
        raise OfflineError(_unreachable(action, subject)) from exc


_timeouts_installed: float | None = None


def use_timeouts(seconds: float) -> None:
    """Give huggingface_hub's shared HTTP client timeouts (its default has none, so a search on
    a network that drops packets would hang). Connect and read are bounded, not whole downloads.

    Installing a factory closes the shared session, so it is done once per timeout value, not
    per client (a request in flight on another thread would break)."""
    global _timeouts_installed
    if _timeouts_installed == seconds:
        return
    _timeouts_installed = seconds
    from huggingface_hub.utils._http import default_client_factory

    def factory() -> httpx2.Client:
        client = default_client_factory()
        client.timeout = httpx2.Timeout(seconds, connect=seconds)
        return client

    set_client_factory(factory)


class HubClient:
    """Search the Hub and describe repos' GGUF files; every call raises HubError subclasses."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        offline: bool = False,
        timeout_s: float = SEARCH_TIMEOUT_S,
    ) -> None:
        self.endpoint = resolve_endpoint(endpoint)
        self.offline = offline
        self.timeout_s = timeout_s
        self._api = HfApi(endpoint=self.endpoint, token=token or False)
        self.token = token
        use_timeouts(timeout_s)

    def _check_online(self, action: Literal["search", "list"]) -> None:
        """Fail fast when offline: huggingface_hub retries a refused connection 5 times with
        backoff (about 25 s), so one request without retries goes first."""
        if self.offline:
            raise OfflineError(
                translate(
                    "hub", "Offline mode is on, so nothing was searched. Turn it off in Settings."
                )
                if action == "search"
                else translate(
                    "hub", "Offline mode is on, so nothing was listed. Turn it off in Settings."
                )
            )
        try:
            timeout = httpx2.Timeout(min(self.timeout_s, PROBE_TIMEOUT_S))
            with httpx2.Client(timeout=timeout) as probe:
                probe.head(f"{self.endpoint}/api/models", params={"limit": 1})
        except httpx2.TransportError as exc:
            text = (
                translate(
                    "hub",
                    "You're offline: {endpoint} could not be reached, so nothing was searched. "
                    "Installed models keep working; try again when connected.",
                )
                if action == "search"
                else translate(
                    "hub",
                    "You're offline: {endpoint} could not be reached, so nothing was listed. "
                    "Installed models keep working; try again when connected.",
                )
            )
            raise OfflineError(text.format(endpoint=self.endpoint)) from exc

    def search(self, query: str, limit: int = 20) -> list[HubModel]:
        """GGUF repos matching ``query``, most downloaded first."""
        self._check_online("search")
        with _hub_errors("search"):
            results = self._api.list_models(
                search=query or None, filter="gguf", sort="downloads", limit=limit
            )
            return [
                HubModel(
                    repo_id=m.id,
                    downloads=int(m.downloads or 0),
                    likes=int(m.likes or 0),
                    gated=bool(m.gated),
                    tags=tuple(m.tags or ()),
                )
                for m in results
            ]

    def list_files(self, repo_id: str, revision: str | None = None) -> list[RemoteFile]:
        """Every file of ``repo_id`` with size and SHA-256 (for LFS files)."""
        self._check_online("list")
        with _hub_errors("list", repo_id, repo_id):
            info = self._api.model_info(repo_id, revision=revision, files_metadata=True)
        files = []
        for sib in info.siblings or ():
            lfs = sib.lfs
            files.append(
                RemoteFile(
                    path=sib.rfilename,
                    size=int(lfs.size if lfs is not None else sib.size or 0),
                    sha256=lfs.sha256 if lfs is not None else None,
                )
            )
        return files

    def list_gguf(self, repo_id: str, revision: str | None = None) -> list[RemoteModel]:
        """The repo's GGUF models (split files grouped), best quant first."""
        return group_gguf_files(repo_id, self.list_files(repo_id, revision))

    def file_url(self, repo_id: str, path: str, revision: str = "main") -> str:
        from huggingface_hub import hf_hub_url

        return hf_hub_url(repo_id, path, revision=revision, endpoint=self.endpoint)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def read_remote_header(
    url: str,
    size: int,
    headers: dict[str, str] | None = None,
    timeout_s: float = SEARCH_TIMEOUT_S,
    first_bytes: int = 2 * 2**20,
    max_bytes: int = 128 * 2**20,
) -> GGUFInfo:
    """Metadata of a remote GGUF from its first bytes (HTTP Range), without downloading it.

    Vocabularies make headers 1-10 MB; the range doubles until the header parses.
    """
    from pathlib import Path

    from gptdesk.core.inference.gguf_file import HeaderIncompleteError, parse_header

    name = Path(url.split("?", 1)[0]).name
    want = min(first_bytes, size)
    with httpx2.Client(
        follow_redirects=True, timeout=httpx2.Timeout(timeout_s, connect=timeout_s)
    ) as client:
        while True:
            with _hub_errors("header", name):
                response = client.get(
                    url, headers={**(headers or {}), "Range": f"bytes=0-{want - 1}"}
                )
            if response.status_code in (401, 403):
                raise GatedModelError(
                    translate(
                        "hub", "{name} needs you to accept its license on the Hub and add a token."
                    ).format(name=name)
                )
            if response.status_code == 404:
                raise RepoNotFoundError(
                    translate("hub", "The Hub has no file {name} there. Check the name.").format(
                        name=name
                    )
                )
            if response.status_code not in (200, 206):
                raise HubError(
                    translate("hub", "The Hub answered HTTP {status} for {name}.").format(
                        status=response.status_code, name=name
                    )
                )
            try:
                return parse_header(response.content, Path(name), size)
            except HeaderIncompleteError:
                if want >= min(size, max_bytes) or response.status_code == 200:
                    raise
                want = min(want * 2, size, max_bytes)
