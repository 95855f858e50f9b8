"""Which heading node holds a text offset, in O(log n).

Every fact reader asks it for every fact (``where`` a task, a deadline, a goal sits); walking the
heading tree each time made long documents (a 342-page table compilation has thousands of nodes)
quadratic. The index is built once per heading tree and kept for the few documents in flight.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict

from gazettekg.records import Document, Section

_KEEP = 64  # documents whose index is kept: an issue's documents, with room to spare


class SectionIndex:
    """The nodes of one heading tree by start offset, each with its parent."""

    def __init__(self, roots: list[Section]) -> None:
        flat: list[tuple[int, int, int, Section, int]] = []  # (start, -end, order, node, parent order)
        stack: list[tuple[Section, int]] = [(root, -1) for root in reversed(roots)]
        order = 0
        while stack:
            node, parent = stack.pop()
            flat.append((node.start, -node.end, order, node, parent))
            mine = order
            order += 1
            stack.extend((child, mine) for child in reversed(node.children))
        flat.sort(key=lambda item: (item[0], item[1], item[2]))
        self._starts = [item[0] for item in flat]
        self._nodes = [item[3] for item in flat]
        by_order = {item[2]: item[3] for item in flat}
        self._parent = {id(item[3]): by_order.get(item[4]) for item in flat}

    def deepest(self, offset: int) -> Section | None:
        """The innermost node whose span holds ``offset``: among nested spans, the one that starts
        last at or before it."""
        k = bisect.bisect_right(self._starts, offset) - 1
        while k >= 0:
            node = self._nodes[k]
            if node.start <= offset < node.end:
                return node
            k -= 1
        return None

    def enclosing(self, offset: int) -> list[Section]:
        """Every node holding ``offset``, innermost first."""
        out = []
        node = self.deepest(offset)
        while node is not None:
            out.append(node)
            node = self._parent[id(node)]
        return out


_INDEXES: OrderedDict[int, tuple[list[Section], SectionIndex]] = OrderedDict()


def section_index(doc: Document) -> SectionIndex:
    """The index of ``doc``'s current heading tree (rebuilt when the tree is replaced)."""
    key = id(doc.sections)
    held = _INDEXES.get(key)
    if held is None or held[0] is not doc.sections:
        # The list itself is held so that its id cannot be reused while the entry lives.
        held = (doc.sections, SectionIndex(doc.sections))
        _INDEXES[key] = held
        while len(_INDEXES) > _KEEP:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(key)
    return held[1]
