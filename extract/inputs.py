"""The files a batch names, as users give them: files, folders to walk, mistakes reported by name.

A batch runs unattended over whatever lies in a folder, so nothing here may stop it: a missing
path, a FIFO or a device, an unreadable file each become an ``InputError`` for that path and the
others go on. Folders are walked for the formats the readers know; hidden files are skipped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from gazettekg.extract.errors import InputError

# What a folder is walked for: every format extract.pages reads. A file named on the command line
# is always tried, whatever its name (the format is read from the content).
INPUT_SUFFIXES = frozenset({".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml",
                            ".docx", ".doc", ".wps", ".ofd"})


def expand_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """The regular files to read, in the order given (folders walked in name order), and one error
    per path that cannot be one: missing, special (FIFO, device, socket) or unreadable."""
    files: list[Path] = []
    problems: list[InputError] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        path = Path(path)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            problems.append(InputError(str(path), "no such file or folder"))
            continue
        except OSError as error:
            problems.append(InputError(str(path), f"cannot read it ({error.strerror or error})"))
            continue
        if stat.S_ISDIR(mode):
            found, trouble = _walk(path)
            for f in found:
                add(f)
            problems.extend(trouble)
            if not found and not trouble:
                problems.append(InputError(str(path), "no input file in this folder (looked for "
                                                      + " ".join(sorted(INPUT_SUFFIXES)) + ")"))
        elif stat.S_ISREG(mode):
            if not os.access(path, os.R_OK):
                problems.append(InputError(str(path), "cannot read it (permission denied)"))
            else:
                add(path)
        else:
            problems.append(InputError(str(path), f"not a regular file ({_kind(mode)}); give a file or a folder"))
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[InputError]]:
    found: list[Path] = []
    trouble: list[InputError] = []

    def on_error(error: OSError) -> None:
        trouble.append(InputError(str(error.filename or folder), f"cannot read it ({error.strerror or error})"))

    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in INPUT_SUFFIXES:
                continue
            try:
                if stat.S_ISREG(path.lstat().st_mode):
                    found.append(path)
            except OSError as error:
                on_error(error)
    return found, trouble


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
