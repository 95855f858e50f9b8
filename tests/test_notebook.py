"""notebooks/explore.ipynb runs headless from top to bottom, so it never rots.

The notebook is executed in a fresh kernel (nbclient) against a temporary store; the
committed file must hold no outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def _cjk_font_installed() -> bool:
    import re

    from matplotlib import font_manager

    return any(re.search(r"wqy|noto.*cjk|sourcehan|droidsansfallback", Path(p).name, re.I)
               for p in font_manager.findSystemFonts())  # fmt: skip


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_notebook_executes_and_draws_three_plots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZETTEKG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("GAZETTEKG_FIGURES", str(tmp_path / "figures"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["network.png", "timeline.png", "workload.png"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "重庆市人民政府公报2022年第1期" in text
    assert "各区县（自治县）人民政府" in text  # the workload table, from SPARQL
    if "Cypher skipped" not in str(outputs):
        assert "Cypher and SPARQL agree on workload: True" in text
    if _cjk_font_installed():
        assert "missing from font" not in text  # no tofu: every Chinese glyph was found
