"""Extraction quality floors on every set with hand-made gold, scored by the team's scorer.

The floors are the extraction issue's acceptance levels: the development set (real documents of
other issuers, as found) at assignments F1, lead accuracy and document fields ≥ 0.95, deadlines
F1 ≥ 0.85, no document below F1 0.8; the sample at 1.0; the real PDFs at F1 ≥ 0.80 and document
fields ≥ 0.90; the further real sets annotated for this project at the levels reached, less a
margin. `python benchmarks/eval_extraction.py` prints the tables these numbers come from.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("eval_extraction", ROOT / "benchmarks" / "eval_extraction.py")
evaluation = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = evaluation  # dataclasses look their module up there
_spec.loader.exec_module(evaluation)

# set: (assignments F1, lead accuracy, document fields, deadlines F1 or None, lowest document F1)
FLOORS = {
    "sample": (1.0, 1.0, 1.0, 0.95, 1.0),
    "dev": (0.95, 0.95, 0.95, 0.85, 0.8),
    "dev-pdf": (0.80, 0.80, 0.90, None, 0.6),
    "prov": (0.95, 0.95, 0.95, 0.85, 0.8),
    "tables": (0.95, 0.95, 0.95, None, 0.95),
    "central": (0.65, 0.5, 0.95, 0.8, 0.1),
}


@pytest.fixture(scope="module")
def sets():
    return evaluation.eval_sets()


_REPORTS: dict[str, tuple[dict, list[str]]] = {}


def evaluated(sets, name: str) -> tuple[dict, list[str]]:
    """Each set is extracted and scored once for all the floors on it."""
    if name not in _REPORTS:
        _REPORTS[name] = evaluation.evaluate(sets[name])
    return _REPORTS[name]


@pytest.mark.parametrize("name", list(FLOORS))
def test_extraction_scores_at_least_the_floors(sets, name):
    report, errors = evaluated(sets, name)
    assert errors == []
    f1, lead, fields, deadlines, lowest = FLOORS[name]
    total = evaluation.headline(report)
    assert total["pairs_f1"] >= f1
    assert total["lead_acc"] >= lead
    assert total["doc_fields"] >= fields
    if deadlines is not None:
        assert total["deadlines_f1"] >= deadlines
    per_document = [s["pairs_f1"] for s in report["by_doc"].values() if s.get("pairs_f1") is not None]
    assert min(per_document) >= lowest


# set: targets F1.  prov is held down by 宝山's 附件3, an indicator table flattened to one cell a line
# with two header rows and merged cells (137 of its 378 goals), which is not read.
TARGET_FLOORS = {"sample": 1.0, "dev": 0.95, "prov": 0.75, "central": 0.95, "targets2": 0.95}


@pytest.mark.parametrize("name", list(TARGET_FLOORS))
def test_targets_score_at_least_the_floors(sets, name):
    report, _ = evaluated(sets, name)
    assert report["targets"]["f1"] >= TARGET_FLOORS[name]
