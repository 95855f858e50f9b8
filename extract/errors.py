"""Errors for inputs the pipeline cannot read, worded for the person who supplied the file."""

from __future__ import annotations


class InputError(Exception):
    """An input file that cannot be turned into text: corrupt, encrypted, scanned, wrongly encoded, empty.

    ``str(error)`` is one line naming the file and what to do about it, so a command line can print
    it as is, e.g. ``scan.pdf: the PDF has no text layer (a scanned document?) — run OCR first``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        # One line whatever the reason says: wrapped library messages sometimes carry newlines.
        return f"{self.path}: {' '.join(self.reason.split())}"
