"""`gazettekg serve` as a user starts it: the explorer's pages and the SPARQL endpoint on one port."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"
pytest.importorskip("uvicorn")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    subprocess.run([sys.executable, "-m", "gazettekg.cli", "ingest", str(SAMPLE), "--store", str(store)],
                   check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "gazettekg.cli", "serve", "--store", str(store), "--port", "0",
                                "--quiet"], stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", line)
    assert found, line
    yield found[1], process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_the_explorer_and_the_endpoint_answer_on_one_port(served):
    base, _ = served
    with urllib.request.urlopen(base + "/agency?name=" + urllib.parse.quote("市应急局"), timeout=30) as page:
        html = page.read().decode("utf-8")
    assert page.status == 200 and "重庆市应急管理局" in html
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    request = urllib.request.Request(f"{base}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.loads(answer.read())["boolean"] is True
        assert answer.headers.get("Access-Control-Allow-Origin") is None


def test_ctrl_c_stops_the_server_cleanly(served):
    base, process = served
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    rest = process.stderr.read()
    assert "Traceback" not in rest
    time.sleep(0.2)
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/", timeout=2)
