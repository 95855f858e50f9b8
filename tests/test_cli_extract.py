"""`gazettekg extract` as a user runs it: batches with bad inputs, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gazettekg.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.txt"


def test_a_bad_input_is_named_and_the_rest_of_the_batch_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("façade \xff\xfe".encode("latin-1") + b"\x81\x30")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(empty), str(SAMPLE), str(broken), str(latin),
                                       "--out", str(out), "--show", "none"])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "broken.pdf:" in result.output and "latin1.txt:" in result.output
    assert "3 of 4 input(s) failed" in result.output
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 4  # the sample was still extracted


def test_output_is_replaced_whole_and_no_staging_is_left(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "assignments.jsonl").write_text("stale\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(SAMPLE), "--out", str(out), "--show", "leads"])
    assert result.exit_code == 0, result.output
    assert "市经济信息委" in result.output and "加强公众宣传教育" in result.output
    assert "stale" not in (out / "assignments.jsonl").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{k}.jsonl" for k in ("documents", "sections", "agencies", "assignments", "duties", "deadlines",
                               "targets", "rules"))


def test_only_bad_inputs_write_nothing(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(empty), "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


def test_progress_bar_on_a_terminal_only(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "gazettekg.cli", "extract", str(SAMPLE), str(SAMPLE), "--out",
               str(tmp_path / "tty"), "--show", "none"]
    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "extracting" not in piped.stderr  # quiet in pipes and CI logs

    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the command exits
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait() == 0
    os.close(leader)
    assert b"extracting" in seen


def test_a_folder_is_walked_and_missing_or_special_paths_are_reported_by_name(tmp_path):
    import os

    folder = tmp_path / "issues"
    (folder / "2022").mkdir(parents=True)
    (folder / "2022" / "gazette.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "notes.jsonl").write_text("{}\n", encoding="utf-8")  # not an input format: skipped
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    odd = tmp_path / "bad\x1b[31mname.txt"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(folder), str(tmp_path / "missing.txt"), str(fifo), str(odd),
                                       "/dev/null", "--out", str(out), "--show", "none"])
    assert result.exit_code == 1
    assert "missing.txt: no such file or folder" in result.output
    assert "pipe: not a regular file (a FIFO)" in result.output
    assert "/dev/null: not a regular file (a device)" in result.output
    assert "bad\\x1b[31mname.txt" in result.output and "\x1b" not in result.output  # printed escaped
    assert "4 of 5 input(s) failed" in result.output
    docs = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(docs) == 4  # the sample inside the folder was extracted


def test_an_input_over_the_text_limit_is_refused_by_name_and_quickly(tmp_path):
    big = tmp_path / "dump.txt"
    big.write_text(SAMPLE.read_text(encoding="utf-8") * 3, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(big), str(SAMPLE), "--out", str(out), "--show", "none",
                                       "--max-chars", "100000"])
    assert result.exit_code == 1
    assert "dump.txt: too large for one issue" in result.output and "--max-chars" in result.output
    assert len((out / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 4
