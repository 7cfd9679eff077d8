"""Writing one benchmark's section into docs/benchmarks.md, keeping the other sections."""

from __future__ import annotations

from pathlib import Path

TITLE = "# gptdesk benchmarks"


def markers(section: str) -> tuple[str, str]:
    return f"<!-- bench:{section}:start -->", f"<!-- bench:{section}:end -->"


def merge_section(existing: str, section: str, body: str) -> str:
    """``existing`` with this section's marked block replaced (or appended, or a new file)."""
    start, end = markers(section)
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    if not existing.strip():
        return f"{TITLE}\n\n{block}"
    i, j = existing.find(start), existing.find(end)
    if i >= 0 and j > i:
        rest = existing[j + len(end) :].lstrip("\n")
        return existing[:i] + block + ("\n" + rest if rest else "")
    return existing.rstrip("\n") + "\n\n" + block


def write_section(out: Path, section: str, body: str) -> None:
    existing = out.read_text(encoding="utf-8") if out.exists() else ""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(merge_section(existing, section, body), encoding="utf-8")
