"""The one error a damaged store raises: which file, and what to do about it."""

from __future__ import annotations

from pathlib import Path


class StoreDamaged(Exception):
    """A file of the store cannot be read (truncated, garbled, corrupt)."""

    def __init__(self, path: Path | str, detail: str = "", hint: str = "run `gazettekg repair`") -> None:
        self.path, self.detail, self.hint = Path(path), detail, hint
        super().__init__(f"store damaged: {path} — {hint}" + (f" ({detail})" if detail else ""))
