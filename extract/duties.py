"""Responsibilities stated in prose (stub; being written)."""

from gazettekg.extract.agencies import Resolver
from gazettekg.records import Document, Duty, SourceText


def find_duties(source: SourceText, doc: Document, resolver: Resolver) -> list[Duty]:
    return []
