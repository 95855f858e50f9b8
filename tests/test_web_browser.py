"""The web explorer in a real browser: headless Chromium (Debian's /usr/bin/chromium, installed by
scripts/setup) driven by Playwright, against the app served by uvicorn on 127.0.0.1 over the ingested
sample. Screenshots of the main pages (and the agency page printed to an A4 PDF) go to
tests/output/web/ (or $GAZETTEKG_TEST_OUTPUT); with GAZETTEKG_UPDATE_SCREENSHOTS=1 the agency and
task pages are also copied to docs/screenshots/ for the README.
"""

from __future__ import annotations

import gc
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from gazettekg.cli import main
from gazettekg.graph.ids import task_key
from gazettekg.graph.sparql import agency_keys, run, run_named
from gazettekg.graph.store import GraphStore

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (scripts/setup installs Debian's chromium as root)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra has it)")
uvicorn = pytest.importorskip("uvicorn")

from gazettekg.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"
OUTPUT = Path(os.environ.get("GAZETTEKG_TEST_OUTPUT") or ROOT / "tests" / "output") / "web"
SCREENSHOTS = ROOT / "docs" / "screenshots"
ISSUE = "重庆市人民政府公报2022年第1期"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("web-browser") / "store"
    result = CliRunner().invoke(main, ["ingest", str(SAMPLE), "--store", str(store)])
    assert result.exit_code == 0, result.output
    gc.collect()
    return store


@pytest.fixture(scope="module")
def graph(store_dir: Path):
    return GraphStore(store_dir, read_only=True).oxigraph


@pytest.fixture(scope="module")
def base_url(store_dir: Path):
    """The app under uvicorn on 127.0.0.1, on a port the OS picked, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store_dir), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        yield tab
    finally:
        context.close()


def shoot(page, name: str, *, readme: bool = False, full_page: bool = True) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if readme and os.environ.get("GAZETTEKG_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"web-{name}.png")
    return path


def test_agency_page_then_task_page(page, base_url: str, graph) -> None:
    [key] = agency_keys(graph, "市应急局")
    page.goto(f"{base_url}/agency?name={quote('市应急局')}")
    assert page.url == f"{base_url}/agency/{quote(key, safe='')}"
    assert page.locator("h1").inner_text() == "重庆市应急管理局"

    # the tasks listed are the graph's: one row per assignment of agency_tasks, and its lead rows = leads
    rows = page.locator("#tasks tbody tr")
    listed = sorted((rows.nth(i).get_attribute("data-task"), rows.nth(i).get_attribute("data-role"))
                    for i in range(rows.count()))  # fmt: skip
    _, expected = run_named(graph, "agency_tasks", {"agency": key})
    assert listed == sorted((task_key(doc, path), role) for role, _, doc, path, *_ in expected)
    _, leads = run_named(graph, "leads")
    assert sorted(t for t, role in listed if role == "lead") == sorted(
        task_key(doc, path) for agency, doc, path, *_ in leads if agency == "重庆市应急管理局"
    )
    assert page.locator("svg.timeline").count() == 1
    page.locator("svg.timeline").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "agency", readme=True)

    # phone width: the ledger turns into cards, still every row
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "agency-phone", full_page=False)
    assert page.locator("#tasks tbody tr").count() == len(listed)
    # print: filters and navigation are hidden, the list stays
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert page.locator("#tasks").is_visible()
    page.pdf(path=str(OUTPUT / "agency-print.pdf"), format="A4")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})

    # follow a task (a lead one when it has any): the highlighted clause is the assignment's quote
    leading = page.locator('#tasks tbody tr[data-role="lead"]')
    row = leading.first if leading.count() else page.locator("#tasks tbody tr").first
    task, role = row.get_attribute("data-task"), row.get_attribute("data-role")
    row.locator("a.task").click()
    page.wait_for_load_state()
    assert page.url.endswith("/task/" + quote(task, safe=""))
    fact = page.locator("#assignments tbody tr").filter(has=page.locator("a", has_text="重庆市应急管理局")).first
    ident = fact.get_attribute("id").removeprefix("fact-")
    marked = page.evaluate(
        "id => Array.from(document.querySelectorAll(`mark[data-facts~='${id}']`)).map(m => m.textContent).join('')",
        ident,
    )
    _, quotes = run(graph, """
        SELECT ?quote WHERE { ?a gkg:task/gkg:key $task ; gkg:agency/gkg:key $agency ; gkg:role $role ;
                                 prov:wasDerivedFrom/gkg:quote ?quote }""", {"task": task, "agency": key, "role": role})
    assert marked == quotes[0][0]
    assert page.locator(f"#m-{ident}").count() == 1  # the fact's anchor, where its quote begins
    page.locator(f"#m-{ident}").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "task", readme=True)


def test_query_page_runs_a_named_query(page, base_url: str, graph) -> None:
    page.goto(f"{base_url}/query")
    page.locator("#named-leads button").click()
    page.wait_for_load_state()
    _, rows = run_named(graph, "leads")
    assert page.locator("#row-count").inner_text() == str(len(rows))
    assert page.locator("#results tbody tr").count() == len(rows)
    shoot(page, "query", full_page=False)
    # and a typed query, from the textarea
    page.goto(f"{base_url}/query")
    page.locator("#sparql").fill("SELECT ?key WHERE { ?d a gkg:Document ; eli:title ?t ; gkg:key ?key } ORDER BY ?key")
    page.locator("#run").click()
    page.wait_for_load_state()
    assert page.locator("#results tbody tr").count() == 4


def test_issue_page_downloads_the_matrix(page, base_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page.goto(f"{base_url}/issue/{quote(ISSUE, safe='')}")
    assert page.locator("table#matrix tbody tr").count() > 0
    shoot(page, "issue", full_page=False)
    with page.expect_download() as download:
        page.locator("#xlsx-link").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    book = load_workbook(path)
    assert "责任矩阵" in book.sheetnames
    assert book["责任矩阵"].max_row == page.locator("table#matrix tbody tr").count() + 1


def test_search_document_and_index_pages(page, base_url: str) -> None:
    page.goto(base_url)
    shoot(page, "index", full_page=False)
    page.locator(".searchbox input").fill("应急局")
    page.locator(".searchbox button").click()
    page.wait_for_load_state()
    assert page.locator("#agency-results li").count() >= 1
    shoot(page, "search", full_page=False)
    page.goto(f"{base_url}/doc/{quote('渝府办发〔2021〕156号', safe='')}")
    assert page.locator("ul.tree").count() >= 1 and page.locator("table#matrix").count() == 1
    shoot(page, "doc", full_page=False)
