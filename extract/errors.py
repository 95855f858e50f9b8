"""Errors for inputs the pipeline cannot read, worded for the person who supplied the file."""

from __future__ import annotations

import re

# Control characters in a file name would drive the terminal it is printed on.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(name: str) -> str:
    """A file name safe to print: control characters as escapes (``\x1b``), the rest as is."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


class InputError(Exception):
    """An input file that cannot be turned into text: corrupt, encrypted, scanned, wrongly encoded, empty.

    ``str(error)`` is one line naming the file and what to do about it, so a command line can print
    it as is, e.g. ``scan.pdf: the PDF has no text layer (a scanned document?) — run with --ocr auto``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        # One line whatever the reason says: wrapped library messages sometimes carry newlines.
        return f"{printable(self.path)}: {' '.join(self.reason.split())}"


class InputWarning(UserWarning):
    """Something in an input that was repaired or may be incomplete, worth telling its owner about
    (control characters dropped, a PDF that needed repair). Issued with ``warnings.warn``; the
    command line prints each as ``warning: FILE: what``."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{printable(self.path)}: {' '.join(self.reason.split())}"
