"""A fake Hugging Face Hub (API, resolve redirects and a byte-serving CDN) for offline tests."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pytest

from tests.waits import HANG_TIMEOUT_S

__all__ = ["FakeHub", "Fault", "fake_hub", "isolated_hf_client"]

_CHUNK = 256 * 1024
_POLL_INTERVAL = 0.05
_LAST_MODIFIED = "2024-05-01T12:00:00.000Z"
_CREATED_AT = "2024-01-01T00:00:00.000Z"
_COMMIT_TITLE = "Upload folder using huggingface_hub"
_RANGE_RE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.IGNORECASE)
_HEX40_RE = re.compile(r"[0-9a-f]{40}")
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# sha256 of files served from disk, keyed by (resolved path, size, mtime_ns): computed once per
# process, however many hubs serve the same (large) file.
_DIGESTS: dict[tuple[str, int, int], str] = {}
_DIGESTS_LOCK = threading.Lock()


@dataclass
class Fault:
    """A misbehaviour injected into the requests for one file (see ``FakeHub.faults``).

    ``drop_after``/``stall_after`` count body bytes of the response being served (not file
    offsets). A fault with both stalls first and then closes, so ``stall_after == drop_after``
    means "hang, then close". ``status`` answers the first resolve GET or CDN GET (and HEAD when
    ``status_on_head``) with that status instead of the file. ``times`` uses (-1 = forever).
    """

    drop_after: int | None = None
    stall_after: int | None = None
    stall_seconds: float = 30.0
    status: int | None = None
    status_on_head: bool = False
    times: int = 1
    corrupt: bool = False


@dataclass
class _Entry:
    path: str
    size: int
    sha256: str
    data: bytes | None = None
    disk: Path | None = None

    @property
    def pointer(self) -> bytes:
        return (
            f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\n"
            f"size {self.size}\n"
        ).encode()

    @property
    def git_oid(self) -> str:
        """The git blob id of the file's LFS pointer (what the Hub calls ``oid``/``blobId``)."""
        pointer = self.pointer
        return hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()

    def open(self) -> BinaryIO:
        if self.disk is not None:
            return self.disk.open("rb")
        return io.BytesIO(self.data or b"")


@dataclass
class _Repo:
    repo_id: str
    files: dict[str, _Entry]
    gated: bool
    downloads: int
    likes: int
    tags: list[str]
    sha: str
    order: int

    @property
    def directories(self) -> set[str]:
        dirs: set[str] = set()
        for path in self.files:
            parts = path.split("/")
            for i in range(1, len(parts)):
                parent = "/".join(parts[:i])
                if parent:
                    dirs.add(parent)
        return dirs


def _digest_file(path: Path) -> tuple[int, str]:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _DIGESTS_LOCK:
        cached = _DIGESTS.get(key)
    if cached is None:
        sha = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                sha.update(chunk)
        cached = sha.hexdigest()
        with _DIGESTS_LOCK:
            _DIGESTS[key] = cached
    return stat.st_size, cached


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _header_value(text: str) -> str:
    """``text`` made safe for a latin-1 header line (no CR/LF, non-ASCII escaped)."""
    cleaned = text.replace("\r", " ").replace("\n", " ")
    return cleaned.encode("ascii", "backslashreplace").decode("ascii")


def _parse_range(header: str | None, total: int) -> tuple[int, int] | None:
    """``(start, end)`` inclusive for a satisfiable single range, None to serve it all.

    Raises ``_UnsatisfiableRangeError`` for a range beyond the end. Malformed, multi-part or
    inverted ranges are ignored (full 200), as RFC 9110 allows.
    """
    if not header:
        return None
    match = _RANGE_RE.fullmatch(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or total == 0:
            raise _UnsatisfiableRangeError
        return max(0, total - suffix), total - 1
    start = int(first)
    if start >= total:
        raise _UnsatisfiableRangeError
    if last:
        end = int(last)
        if end < start:
            return None
        return start, min(end, total - 1)
    return start, total - 1


class _UnsatisfiableRangeError(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, hub: FakeHub, *, is_cdn: bool) -> None:
        self.hub = hub
        self.is_cdn = is_cdn
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError) or self.hub._stopping.is_set():
            return  # client went away (broken pipe, reset) or we are shutting down
        self.hub.server_errors.append(traceback.format_exc())
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    # --- plumbing -------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.server.hub._track(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.hub._untrack(self.connection)

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    @property
    def hub(self) -> FakeHub:
        return self.server.hub

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status, _STATUS_TEXT.get(status))
        for key, value in (headers or {}).items():
            self.send_header(key, _header_value(value))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _json(self, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self._send(
            200, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, body
        )

    def _error(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        extra = {"Content-Type": "application/json; charset=utf-8", "X-Error-Message": message}
        if code is not None:
            extra["X-Error-Code"] = code
        extra.update(headers or {})
        self._send(status, extra, json.dumps({"error": message}).encode())

    def _abort(self) -> None:
        """Close the connection in the middle of a response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # --- routing --------------------------------------------------------------------------

    def _dispatch(self) -> None:
        headers = {key.lower(): value for key, value in self.headers.items()}
        self.hub._record(self.command, self.path, headers)
        body = self._read_body() if self.command in ("POST", "PUT") else b""
        split = urlsplit(self.path)
        raw_path, query = split.path, parse_qs(split.query, keep_blank_values=True)
        method = self.command

        if raw_path.startswith("/cdn/"):
            if method not in ("GET", "HEAD"):
                return self._send(405)
            return self._cdn(raw_path[len("/cdn/") :], query)
        if self.server.is_cdn:
            return self._send(404, {"Content-Type": "text/plain"}, b"NoSuchKey")
        if raw_path == "/api/models" and method == "GET":
            return self._list_models(query)
        if raw_path.startswith("/api/models/"):
            return self._repo_api(raw_path[len("/api/models/") :], query, body)
        if raw_path == "/api/whoami-v2" and method == "GET":
            return self._whoami()
        segments = raw_path.lstrip("/").split("/")
        if method in ("GET", "HEAD") and "resolve" in segments[1:3]:
            return self._resolve(segments)
        return self._error(404, "Sorry, we can't find the page you are looking for.")

    def _find_repo(self, segments: list[str]) -> tuple[_Repo | None, str, list[str]]:
        """The repo named by the first one or two (unquoted) segments, its id, the rest."""
        repos = self.hub._repos
        with self.hub._lock:
            for count in (2, 1):
                if len(segments) >= count:
                    repo_id = "/".join(unquote(s) for s in segments[:count])
                    if repo_id in repos:
                        return repos[repo_id], repo_id, segments[count:]
        count = 2 if len(segments) >= 2 else 1
        return None, "/".join(unquote(s) for s in segments[:count]), segments[count:]

    def _repo_not_found(self, repo_id: str) -> None:
        self._error(404, f"Repository not found: {repo_id}", "RepoNotFound")

    def _auth_error(self, repo: _Repo) -> bool:
        """Answer 401/403 (GatedRepo) and return True when a gated repo's token is missing/wrong."""
        if not repo.gated:
            return False
        auth = self.headers.get("Authorization")
        if auth == f"Bearer {self.hub.token}":
            return False
        if not auth:
            message = (
                f"Access to model {repo.repo_id} is restricted. You must have access to it and be "
                "authenticated to access it. Please log in."
            )
            self._error(401, message, "GatedRepo")
        else:
            message = (
                f"Access to model {repo.repo_id} is restricted and you are not in the authorized "
                f"list. Visit https://huggingface.co/{repo.repo_id} to ask for access."
            )
            self._error(403, message, "GatedRepo")
        return True

    def _check_revision(self, repo: _Repo, revision: str) -> bool:
        if revision in ("main", repo.sha):
            return True
        self._error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return False

    # --- API ------------------------------------------------------------------------------

    def _list_models(self, query: dict[str, list[str]]) -> None:
        hub = self.hub
        with hub._lock:
            repos = sorted(hub._repos.values(), key=lambda r: r.order)
        search = (query.get("search") or [""])[-1].lower()
        filters = [f.lower() for f in query.get("filter", []) if f]
        author = (query.get("author") or [""])[-1]
        gated = (query.get("gated") or [""])[-1].lower()
        selected = []
        for repo in repos:
            tags = {t.lower() for t in repo.tags}
            if search and search not in repo.repo_id.lower():
                continue
            if any(f not in tags for f in filters):
                continue
            if author and not repo.repo_id.startswith(author + "/"):
                continue
            if gated in ("true", "false") and repo.gated != (gated == "true"):
                continue
            selected.append(repo)
        sort = (query.get("sort") or [""])[-1]
        keys = {
            "downloads": lambda r: r.downloads,
            "likes": lambda r: r.likes,
            "trendingScore": lambda r: r.downloads,
            "lastModified": lambda r: r.order,
            "createdAt": lambda r: r.order,
        }
        if sort in keys:
            ascending = (query.get("direction") or ["-1"])[-1] == "1"
            selected.sort(key=keys[sort], reverse=not ascending)
        limit_text = (query.get("limit") or [""])[-1]
        if limit_text.isdigit():
            selected = selected[: int(limit_text)]
        expand = query.get("expand", [])
        names = (query.get("full") or [""])[-1].lower() == "true" or "siblings" in expand
        items = [self._model_dict(repo, siblings="names" if names else None) for repo in selected]
        self._paginated(items, query)

    def _paginated(self, items: list[Any], query: dict[str, list[str]]) -> None:
        page_size = self.hub.page_size
        cursor_text = (query.get("cursor") or ["0"])[-1]
        cursor = int(cursor_text) if cursor_text.isdigit() else 0
        if not page_size:
            return self._json(items[cursor:])
        page = items[cursor : cursor + page_size]
        headers = {}
        if cursor + page_size < len(items):
            next_query = {k: v for k, v in query.items() if k != "cursor"}
            next_query["cursor"] = [str(cursor + page_size)]
            path = urlsplit(self.path).path
            url = f"{self.server.base_url}{path}?{urlencode(next_query, doseq=True)}"
            headers["Link"] = f'<{url}>; rel="next"'
        return self._json(page, headers)

    def _model_dict(self, repo: _Repo, *, siblings: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "_id": repo.sha[:24],
            "id": repo.repo_id,
            "modelId": repo.repo_id,
            "author": repo.repo_id.split("/")[0] if "/" in repo.repo_id else None,
            "sha": repo.sha,
            "lastModified": _LAST_MODIFIED,
            "createdAt": _CREATED_AT,
            "private": False,
            "gated": "auto" if repo.gated else False,
            "disabled": False,
            "downloads": repo.downloads,
            "likes": repo.likes,
            "tags": list(repo.tags),
            "trendingScore": 0,
        }
        if "gguf" in repo.tags:
            data["library_name"] = "gguf"
        if siblings == "names":
            data["siblings"] = [{"rfilename": path} for path in repo.files]
        elif siblings == "blobs":
            data["siblings"] = [
                {
                    "rfilename": e.path,
                    "size": e.size,
                    "blobId": e.git_oid,
                    "lfs": {"sha256": e.sha256, "size": e.size, "pointerSize": len(e.pointer)},
                }
                for e in repo.files.values()
            ]
            data["usedStorage"] = sum(e.size for e in repo.files.values())
        return data

    def _repo_api(self, rest: str, query: dict[str, list[str]], body: bytes) -> None:
        repo, repo_id, remainder = self._find_repo(rest.split("/"))
        if repo is None:
            return self._repo_not_found(repo_id)
        if self.hub.gated_api and self._auth_error(repo):
            return None
        method = self.command
        kind = remainder[0] if remainder else ""
        if method == "GET" and kind in ("", "revision"):
            revision = unquote("/".join(remainder[1:])) if kind == "revision" else "main"
            if not self._check_revision(repo, revision):
                return None
            blobs = (query.get("blobs") or [""])[-1].lower() == "true"
            return self._json(self._model_dict(repo, siblings="blobs" if blobs else "names"))
        if method == "GET" and kind == "tree" and len(remainder) >= 2:
            if not self._check_revision(repo, unquote(remainder[1])):
                return None
            return self._tree(repo, unquote("/".join(remainder[2:])), query)
        if method == "POST" and kind == "paths-info" and len(remainder) >= 2:
            if not self._check_revision(repo, unquote("/".join(remainder[1:]))):
                return None
            return self._paths_info(repo, body)
        return self._error(404, "Sorry, we can't find the page you are looking for.")

    def _file_item(self, repo: _Repo, entry: _Entry, expand: bool) -> dict[str, Any]:
        item: dict[str, Any] = {
            "type": "file",
            "oid": entry.git_oid,
            "size": entry.size,
            "path": entry.path,
            "lfs": {"oid": entry.sha256, "size": entry.size, "pointerSize": len(entry.pointer)},
        }
        if expand:
            item["lastCommit"] = {"id": repo.sha, "title": _COMMIT_TITLE, "date": _LAST_MODIFIED}
            item["securityFileStatus"] = {
                "status": "safe",
                "avScan": {"virusFound": False, "virusNames": None},
                "pickleImportScan": None,
            }
        return item

    def _dir_item(self, repo: _Repo, path: str, expand: bool) -> dict[str, Any]:
        oid = hashlib.sha1(f"tree {repo.sha} {path}".encode()).hexdigest()
        item: dict[str, Any] = {"type": "directory", "oid": oid, "size": 0, "path": path}
        if expand:
            item["lastCommit"] = {"id": repo.sha, "title": _COMMIT_TITLE, "date": _LAST_MODIFIED}
        return item

    def _tree(self, repo: _Repo, path: str, query: dict[str, list[str]]) -> None:
        recursive = (query.get("recursive") or [""])[-1].lower() == "true"
        expand = (query.get("expand") or [""])[-1].lower() == "true"
        path = path.strip("/") if path not in repo.files else path
        dirs = repo.directories
        if path and path not in dirs:
            return self._error(404, f"Path {path} not found", "EntryNotFound")

        def inside(candidate: str) -> bool:
            if recursive:
                return not path or candidate.startswith(path + "/")
            return _parent(candidate) == path

        items = [self._dir_item(repo, d, expand) for d in sorted(dirs) if inside(d)]
        items += [
            self._file_item(repo, e, expand) for p, e in sorted(repo.files.items()) if inside(p)
        ]
        return self._paginated(items, query)

    def _paths_info(self, repo: _Repo, body: bytes) -> None:
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        expand = (form.get("expand") or [""])[-1].lower() == "true"
        dirs = repo.directories
        items: list[dict[str, Any]] = []
        for path in form.get("paths", []):
            if path in repo.files:
                items.append(self._file_item(repo, repo.files[path], expand))
            elif path.strip("/") in dirs:
                items.append(self._dir_item(repo, path.strip("/"), expand))
        return self._json(items)

    def _whoami(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.hub.token}":
            return self._error(401, "Invalid credentials in Authorization header")
        return self._json(
            {
                "type": "user",
                "id": "0" * 24,
                "name": "fake-user",
                "fullname": "Fake User",
                "orgs": [],
                "auth": {
                    "type": "access_token",
                    "accessToken": {"displayName": "test", "role": "read"},
                },
            }
        )

    # --- files ----------------------------------------------------------------------------

    def _resolve(self, segments: list[str]) -> None:
        hub = self.hub
        index = 2 if len(segments) > 2 and segments[2] == "resolve" else 1
        repo_id = "/".join(unquote(s) for s in segments[:index])
        with hub._lock:
            repo = hub._repos.get(repo_id)
        if repo is None:
            return self._repo_not_found(repo_id)
        if self._auth_error(repo):
            return None
        if len(segments) < index + 3:
            return self._error(404, "Entry not found", "EntryNotFound")
        revision = unquote(segments[index + 1])
        if not self._check_revision(repo, revision):
            return None
        path = unquote("/".join(segments[index + 2 :]))
        entry = repo.files.get(path)
        if entry is None:
            return self._error(404, "Entry not found", "EntryNotFound", {"X-Repo-Commit": repo.sha})
        fault = hub._take_fault(path, "head" if self.command == "HEAD" else "status")
        if fault is not None and fault.status is not None:
            return self._error(fault.status, f"Fake hub fault: HTTP {fault.status}")
        location = hub._cdn_location(repo, entry)
        body = f"Found. Redirecting to {location}".encode()
        self._send(
            302,
            {
                "Location": location,
                "Content-Type": "text/plain; charset=utf-8",
                "X-Repo-Commit": repo.sha,
                "ETag": f'"{entry.sha256}"',
                "X-Linked-Etag": f'"{entry.sha256}"',
                "X-Linked-Size": str(entry.size),
                "Accept-Ranges": "bytes",
                "Vary": "Origin, Accept",
            },
            body,
        )
        return None

    def _cdn(self, sha256: str, query: dict[str, list[str]]) -> None:
        hub = self.hub
        repo_ids, paths = query.get("repo"), query.get("file")
        found = hub._lookup_blob(
            sha256, repo_ids[-1] if repo_ids else None, paths[-1] if paths else None
        )
        if found is None:
            return self._send(404, {"Content-Type": "text/plain"}, b"NoSuchKey")
        repo, entry = found
        try:
            byte_range = _parse_range(self.headers.get("Range"), entry.size)
        except _UnsatisfiableRangeError:
            return self._send(
                416,
                {"Content-Range": f"bytes */{entry.size}", "Content-Type": "text/plain"},
                b"Requested Range Not Satisfiable",
            )
        fault = hub._take_fault(entry.path, "head" if self.command == "HEAD" else "body")
        if fault is not None and fault.status is not None:
            return self._error(fault.status, f"Fake hub fault: HTTP {fault.status}")
        start, end = byte_range if byte_range is not None else (0, entry.size - 1)
        length = max(0, end - start + 1)
        name = entry.path.rsplit("/", 1)[-1]
        plain = "".join(c for c in name if c.isascii() and c.isprintable() and c not in '"\\')
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(length),
            "Accept-Ranges": "bytes",
            "ETag": f'"{entry.sha256}"',
            "Last-Modified": "Wed, 01 May 2024 12:00:00 GMT",
            "Content-Disposition": (
                f"attachment; filename*=UTF-8''{quote(name, safe='')}; filename=\"{plain}\""
            ),
        }
        if byte_range is not None:
            headers["Content-Range"] = f"bytes {start}-{end}/{entry.size}"
        if hub.cdn_same_host:  # metadata is read from the CDN answer when the redirect is followed
            headers["X-Repo-Commit"] = repo.sha
            headers["X-Linked-Etag"] = f'"{entry.sha256}"'
            headers["X-Linked-Size"] = str(entry.size)
        self.send_response(206 if byte_range is not None else 200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command == "GET":
            self._stream(entry, start, length, fault)
        return None

    def _stream(self, entry: _Entry, start: int, length: int, fault: Fault | None) -> None:
        hub = self.hub
        drop = fault.drop_after if fault else None
        stall = fault.stall_after if fault else None
        stall_seconds = fault.stall_seconds if fault else 0.0
        corrupt_at = length // 2 if fault is not None and fault.corrupt and length else None
        sent = 0
        with entry.open() as source:
            source.seek(start)
            while True:
                if stall is not None and sent >= stall:
                    stall = None
                    if hub._stopping.wait(stall_seconds):
                        return self._abort()
                if drop is not None and sent >= drop:
                    return self._abort()
                if sent >= length:
                    return None
                size = min(_CHUNK, length - sent)
                if stall is not None:
                    size = min(size, stall - sent)
                if drop is not None:
                    size = min(size, drop - sent)
                rate = hub.throttle_bytes_per_s
                if rate:
                    size = min(size, max(1, int(rate / 20)))
                chunk = source.read(size)
                if not chunk:
                    return self._abort()  # the file shrank under us
                if corrupt_at is not None and sent <= corrupt_at < sent + len(chunk):
                    flipped = bytearray(chunk)
                    flipped[corrupt_at - sent] ^= 0xFF
                    chunk = bytes(flipped)
                if not hub._throttle(len(chunk)):
                    return self._abort()
                self.wfile.write(chunk)
                sent += len(chunk)
                if hub._stopping.is_set():
                    return self._abort()


class FakeHub:
    """An in-process Hub: ``/api/models``, model info, tree, paths-info, resolve and a CDN.

    ``resolve`` answers 302 to ``{cdn_endpoint}/cdn/{sha256}?repo=..&file=..``; the CDN is a
    second listener on another port, so it is a *different origin* like the real CDN: the
    metadata of ``get_hf_file_metadata`` comes from the 302 itself and huggingface_hub drops
    the Authorization header for the CDN. Set ``cdn_same_host = True`` to redirect to a
    relative ``/cdn/..`` on the Hub port instead (then the CDN answer carries the metadata).
    """

    def __init__(self) -> None:
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.token: str = "hf_test_token"
        self.throttle_bytes_per_s: float | None = None
        self.page_size: int | None = None  # paginate list endpoints with Link headers when set
        self.gated_api: bool = False  # gate the /api/models/{repo} endpoints too, not just files
        self.cdn_same_host: bool = False
        self.server_errors: list[str] = []
        self.blocked_requests: list[str] = []  # non-loopback URLs refused by isolated_hf_client
        self._repos: dict[str, _Repo] = {}
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._connections: set[socket.socket] = set()
        self._fault_uses: dict[int, int] = {}
        self._throttle_lock = threading.Lock()
        self._throttle_next = 0.0

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeHub:
        if self._servers:
            return self
        self._stopping.clear()
        self._servers = [_Server(self, is_cdn=False), _Server(self, is_cdn=True)]
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL},
                name=f"fakehub-{server.server_address[1]}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if not self._servers:
            return
        self._stopping.set()  # cuts stalls and throttling short
        for server in self._servers:
            server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=HANG_TIMEOUT_S)
        self._servers = []
        self._threads = []

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT`` of the Hub (API and resolve)."""
        if not self._servers:
            raise RuntimeError("FakeHub is not started")
        return self._servers[0].base_url

    @property
    def cdn_endpoint(self) -> str:
        """``http://127.0.0.1:PORT2`` of the CDN that resolve redirects to."""
        if not self._servers:
            raise RuntimeError("FakeHub is not started")
        return self._servers[0 if self.cdn_same_host else 1].base_url

    # --- content --------------------------------------------------------------------------

    def add_repo(
        self,
        repo_id: str,
        files: Mapping[str, bytes | Path],
        *,
        gated: bool = False,
        downloads: int = 0,
        likes: int = 0,
        tags: list[str] | None = None,
        revision_sha: str | None = None,
    ) -> None:
        """Add (or replace) a model repo; every file is served as an LFS file."""
        entries: dict[str, _Entry] = {}
        for path, content in files.items():
            if isinstance(content, (bytes, bytearray, memoryview)):
                data = bytes(content)
                digest = hashlib.sha256(data).hexdigest()
                entries[path] = _Entry(path, len(data), digest, data=data)
            else:
                disk = Path(content)
                size, digest = _digest_file(disk)
                entries[path] = _Entry(path, size, digest, disk=disk)
        all_tags = list(tags or [])
        if any(p.lower().endswith(".gguf") for p in entries) and "gguf" not in all_tags:
            all_tags.append("gguf")
        sha = revision_sha or hashlib.sha1(f"fakehub:{repo_id}".encode()).hexdigest()
        if not _HEX40_RE.fullmatch(sha):
            raise ValueError(f"revision_sha must be 40 lowercase hex characters: {sha!r}")
        with self._lock:
            order = len(self._repos)
            self._repos[repo_id] = _Repo(
                repo_id, entries, gated, downloads, likes, all_tags, sha, order
            )

    def revision_sha(self, repo_id: str) -> str:
        """The commit sha that ``main`` resolves to (``X-Repo-Commit``)."""
        return self._repos[repo_id].sha

    def file_sha256(self, repo_id: str, path: str) -> str:
        """The sha256 the Hub advertises for a file (LFS oid, ETag, X-Linked-Etag)."""
        return self._repos[repo_id].files[path].sha256

    def resolve_url(self, repo_id: str, path: str, revision: str = "main") -> str:
        """The resolve URL of a file, every character of the path quoted (hostile names too)."""
        quoted = quote(path, safe="")
        return f"{self.endpoint}/{repo_id}/resolve/{quote(revision, safe='')}/{quoted}"

    # --- internals shared with the handler ------------------------------------------------

    def _record(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((method, path, headers))

    def _track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _take_fault(self, path: str, kind: str) -> Fault | None:
        """Consume one use of the first fault queued for ``path`` if it applies to ``kind``.

        ``head``: only status faults with ``status_on_head``; ``status``: only status faults (a
        resolve GET); ``body``: any fault (the byte-serving CDN GET).
        """
        with self._lock:
            queue = self.faults.get(path)
            if not queue:
                return None
            fault = queue[0]
            if kind == "head":
                applies = fault.status is not None and fault.status_on_head
            elif kind == "status":
                applies = fault.status is not None
            else:
                applies = True
            if not applies:
                return None
            if fault.times >= 0:
                used = self._fault_uses.get(id(fault), 0) + 1
                if used >= fault.times:
                    queue.pop(0)
                    self._fault_uses.pop(id(fault), None)
                else:
                    self._fault_uses[id(fault)] = used
            return fault

    def _throttle(self, size: int) -> bool:
        """Wait for ``size`` bytes' turn under the global rate limit; False when stopping."""
        rate = self.throttle_bytes_per_s
        if not rate or rate <= 0:
            return not self._stopping.is_set()
        with self._throttle_lock:
            now = time.monotonic()
            begin = max(now, self._throttle_next)
            self._throttle_next = begin + size / rate
            wake = self._throttle_next
        delay = wake - time.monotonic()
        if delay > 0:
            return not self._stopping.wait(delay)
        return not self._stopping.is_set()

    def _cdn_location(self, repo: _Repo, entry: _Entry) -> str:
        query = urlencode({"repo": repo.repo_id, "file": entry.path})
        path = f"/cdn/{entry.sha256}?{query}"
        return path if self.cdn_same_host else f"{self._servers[1].base_url}{path}"

    def _lookup_blob(
        self, sha256: str, repo_id: str | None, path: str | None
    ) -> tuple[_Repo, _Entry] | None:
        with self._lock:
            if repo_id is not None and path is not None:
                repo = self._repos.get(repo_id)
                entry = repo.files.get(path) if repo is not None else None
                if repo is not None and entry is not None and entry.sha256 == sha256:
                    return repo, entry
                return None
            for repo in self._repos.values():
                for entry in repo.files.values():
                    if entry.sha256 == sha256:
                        return repo, entry
        return None


# --- isolating huggingface_hub -----------------------------------------------------------


@contextlib.contextmanager
def isolated_hf_client(hub: FakeHub) -> Iterator[None]:
    """Point huggingface_hub at ``hub`` and make it unable to reach anything but loopback.

    Patches ``constants.ENDPOINT`` (so calls without ``endpoint=`` hit the fake hub), turns
    telemetry, the agent-registry fetch, Xet, offline mode and any saved token off, sends the
    default cache to a temporary folder, and installs an httpx2 client factory whose transport
    refuses non-loopback hosts (recorded in ``hub.blocked_requests``). Restored on exit.
    """
    import httpx2
    from huggingface_hub import constants
    from huggingface_hub.utils import _detect_agent, _http

    class _LoopbackOnly(httpx2.HTTPTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.url.host not in _LOOPBACK_HOSTS:
                hub.blocked_requests.append(str(request.url))
                raise httpx2.ConnectError(
                    f"fakehub: refusing a non-loopback request to {request.url}", request=request
                )
            return super().handle_request(request)

    def factory() -> httpx2.Client:
        return httpx2.Client(
            transport=_LoopbackOnly(trust_env=False),
            event_hooks={"request": [_http.hf_request_event_hook]},
            follow_redirects=True,
            timeout=None,
            trust_env=False,
        )

    endpoint = hub.endpoint
    home = tempfile.mkdtemp(prefix="fakehub-hf-home-")
    previous_factory = _http._GLOBAL_CLIENT_FACTORY
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(constants, "ENDPOINT", endpoint)
        mp.setattr(
            constants,
            "HUGGINGFACE_CO_URL_TEMPLATE",
            endpoint + "/{repo_id}/resolve/{revision}/{filename}",
        )
        mp.setattr(constants, "HF_HUB_OFFLINE", False)
        mp.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)
        mp.setattr(constants, "HF_HUB_DISABLE_XET", True)
        mp.setattr(constants, "HF_HUB_CACHE", os.path.join(home, "hub"))
        mp.setattr(constants, "HF_TOKEN_PATH", os.path.join(home, "token"))
        mp.setattr(constants, "HF_STORED_TOKENS_PATH", os.path.join(home, "stored_tokens"))
        mp.setattr(constants, "AGENT_HARNESSES_PATH", os.path.join(home, "agents.json"))
        mp.setattr(_detect_agent, "_registry", _detect_agent._EMPTY_REGISTRY)
        for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "HF_HUB_OFFLINE"):
            mp.delenv(name, raising=False)
        mp.setenv("HF_ENDPOINT", endpoint)  # for subprocesses
        mp.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        mp.setenv("HF_HOME", home)
        _http.set_client_factory(factory)
        try:
            yield
        finally:
            _http.set_client_factory(previous_factory)
            shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(name="fake_hub")
def fake_hub() -> Iterator[FakeHub]:
    """A started FakeHub with huggingface_hub pointed at it (see ``isolated_hf_client``)."""
    with FakeHub() as hub, isolated_hf_client(hub):
        yield hub
    assert not hub.server_errors, "the fake hub crashed:\n" + "\n".join(hub.server_errors)
