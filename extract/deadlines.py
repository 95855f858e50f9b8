"""Deadlines: time limits and scheduled periods (stub; being written)."""

from gazettekg.records import Deadline, Document, SourceText


def find_deadlines(source: SourceText, doc: Document) -> list[Deadline]:
    return []
