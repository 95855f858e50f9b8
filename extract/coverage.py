"""How much of a document's responsibility language became tasks: a warning instead of an empty ledger.

A document that says 牵头, 责任单位, 负责 or 配合 again and again but yields no task (or very few) was
most likely written in a style the extractors do not read yet. The user should hear of it rather
than trust an empty or thin ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.records import IssueExtraction

RESPONSIBILITY_WORDS = re.compile(r"牵头|责任单位|责任部门|负责部门|配合|负责")


@dataclass(frozen=True, slots=True)
class DocumentCoverage:
    doc_id: str
    title: str
    words: int  # responsibility words in the document's body
    tasks: int  # tasks with at least one responsible unit
    assignments: int

    @property
    def thin(self) -> bool:
        """No task for a text that names responsibilities, or far fewer tasks than it names them."""
        return (self.tasks == 0 and self.words >= 3) or (self.words >= 12 and self.tasks * 6 < self.words)


def coverage(extraction: IssueExtraction) -> list[DocumentCoverage]:
    """Responsibility words and tasks found, per document of an extraction."""
    text = extraction.source.text
    out = []
    for doc in extraction.documents:
        rows = [a for a in extraction.assignments if a.doc_id == doc.doc_id]
        tasks = {(a.task_path, a.task_title) for a in rows}
        words = len(RESPONSIBILITY_WORDS.findall(text, doc.body_start, doc.end))
        out.append(DocumentCoverage(doc.doc_id, doc.title, words, len(tasks), len(rows)))
    return out


def warning(item: DocumentCoverage, source: str) -> str:
    """The one-line warning for a thin document."""
    found = "no task" if item.tasks == 0 else f"only {item.tasks} task(s)"
    return (f"warning: {source}: {item.doc_id}: {found} found, though the text names responsibilities "
            f"{item.words} times (牵头/责任单位/负责/配合) — check its clause style")
