"""Quantitative targets and rule limits (stub; being written)."""

from gazettekg.records import Document, Rule, SourceText, Target


def find_targets(source: SourceText, doc: Document) -> tuple[list[Target], list[Rule]]:
    return [], []
