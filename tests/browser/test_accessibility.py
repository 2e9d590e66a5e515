"""An accessibility audit with axe-core: every notebook after Run All in JupyterLab, every deck.

axe-core (pinned in slides/package-lock.json, installed by `make slides`) is injected into the
page and run with its default rules. Each violation is sorted by where its element lives:

- course: what the course itself puts on the page: a notebook's rendered markdown and its cells'
  outputs (widgets, readouts, messages, figures, quizzes); in a deck, everything except
  reveal.js's own controls. A serious or critical violation here fails the test.
- jupyterlab / reveal.js: the tools' own interface (menus, toolbars, the deck's arrows). Listed
  in the report, never counted: the course cannot change them.

Each deck is audited slide by slide, as an audience sees it. Every result (all impacts) goes to
build/accessibility-report.json, and a readable summary is printed at the end of the module.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import lab_driver as lab
import pytest
from test_slides import NOTEBOOK_PATHS, deck_path, decks, open_deck  # noqa: F401 (fixture)

AXE = lab.REPO / "slides" / "node_modules" / "axe-core" / "axe.min.js"
REPORT = lab.REPO / "build" / "accessibility-report.json"
COUNTED = ("serious", "critical")

# Runs axe on the whole document and says, for each failing element, whether it is the course's
# own output (inside `own`, and not inside `notOwn`) and which notebook cell holds it.
AUDIT = """async ([own, notOwn, panel]) => {
    const result = await axe.run(document, {elementRef: true, resultTypes: ['violations']});
    const cells = panel ? [...document.querySelectorAll(panel + ' .jp-Cell')] : [];
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
        nodes: v.nodes.map(n => {
            const el = n.element && n.element.closest ? n.element : null;
            const mine = !!el && (own ? !!el.closest(own) : true)
                         && !(notOwn && el.closest(notOwn));
            const cell = el && panel ? el.closest('.jp-Cell') : null;
            return {target: n.target.map(String).join(' >> '), html: n.html.slice(0, 300),
                    impact: n.impact || v.impact, course: mine,
                    cell: cell ? cells.indexOf(cell) : null,
                    summary: (n.failureSummary || '').slice(0, 600)};
        }),
    }));
}"""

NOTEBOOK_OWN = f"{lab.PANEL} .jp-RenderedMarkdown, {lab.PANEL} .jp-OutputArea-output"
DECK_NOT_OWN = ".reveal > .controls, .reveal > .progress, .reveal > .slide-number"

_results: dict[str, dict] = {}


def audit(page, own: str, not_own: str, panel: str) -> list[dict]:
    """One flat list of failing elements: rule, impact, whose, where."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    rows = []
    for v in page.evaluate(AUDIT, [own, not_own, panel]):
        for n in v["nodes"]:
            rows.append({"rule": v["id"], "help": v["help"], "url": v["url"], **n})
    return rows


def record(key: str, kind: str, rows: list[dict], tool: str) -> list[dict]:
    """Store the rows in the report (merged with earlier runs' entries); return the counted."""
    for row in rows:
        row["whose"] = "course" if row.pop("course") else tool
    counted = [r for r in rows if r["whose"] == "course" and r["impact"] in COUNTED]
    _results[key] = {"kind": kind, "counted": len(counted), "violations": rows}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.is_file() else {}
    report.setdefault("audited", {})[key] = {
        **_results[key],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    report["axe_core"] = json.loads((AXE.parent / "package.json").read_text())["version"]
    report["counted_impacts"] = list(COUNTED)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return counted


def describe(row: dict) -> str:
    where = f"cell {row['cell']}" if row.get("cell") is not None else row.get("slide", "page")
    return (
        f"[{row['impact']}] {row['rule']} ({row['help']}) at {where}: {row['target']}\n"
        f"      {row['html'][:160]}\n      {row['summary'][:300]}"
    )


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    """After the module: a readable summary of every audit, whatever the outcome."""
    yield
    if not _results:
        return
    lines = ["", "accessibility (axe-core): violations per page, by whose they are"]
    for key, entry in _results.items():
        by_whose: dict[str, dict[str, int]] = {}
        for r in entry["violations"]:
            counts = by_whose.setdefault(r["whose"], {})
            rule = f"{r['rule']} ({r['impact']})"
            counts[rule] = counts.get(rule, 0) + 1
        lines.append(f"{key}: {entry['counted']} serious/critical in the course's output")
        for whose, counts in sorted(by_whose.items()):
            listed = ", ".join(f"{k} x{n}" for k, n in sorted(counts.items()))
            lines.append(f"    {whose}: {listed}")
    lines.append(f"details: {REPORT.relative_to(lab.REPO)}")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n".join(lines))


@pytest.fixture(scope="module")
def axe_installed(decks):  # noqa: F811 (pytest passes the fixture imported above)
    """`make slides` (the decks fixture) runs npm ci, which installs axe-core."""
    assert AXE.is_file(), f"{AXE} is missing: run `make slides` (npm ci --prefix slides)"
    return AXE


@pytest.mark.parametrize("notebook", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebook_after_run_all(notebook, axe_installed, jupyterlab, browser):
    """No serious or critical axe violation in the notebook's markdown and outputs after Run
    All (JupyterLab's own interface is listed in the report, not counted)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        lab.open_notebook(page, jupyterlab, f"notebooks/{notebook.name}")
        lab.run_all(page)
        lab.settle(page)
        # Everything in the viewport at once, as screenshot_notebook does, so that axe can
        # measure the colours of every output, not only the first screen.
        height = page.evaluate(
            """(panel) => { const n = document.querySelector(panel + ' .jp-WindowedPanel-outer')
                             || document.querySelector(panel + ' .jp-Notebook');
                             return n.scrollHeight; }""",
            lab.PANEL,
        )
        page.set_viewport_size({"width": 1400, "height": min(32000, height + 200)})
        lab.settle(page, quiet=0.3)
        rows = audit(page, NOTEBOOK_OWN, "", lab.PANEL)
    finally:
        context.close()
    counted = record(f"notebook {notebook.stem}", "notebook", rows, "jupyterlab")
    assert not counted, (
        f"{len(counted)} serious/critical violation(s) in the course's output:\n"
        + ("\n".join(describe(r) for r in counted))
    )


@pytest.mark.parametrize("notebook", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_deck(notebook, axe_installed, browser):
    """No serious or critical axe violation on any slide of the deck (reveal.js's arrows and
    progress bar are listed, not counted)."""
    visit = open_deck(browser, deck_path(notebook))
    page = visit.page
    rows: dict[tuple[str, str], dict] = {}
    try:
        assert visit.reveal_ready, "reveal.js did not start: see test_slides.py"
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        for where in page.evaluate("Reveal.getSlides().map(s => Reveal.getIndices(s))"):
            page.evaluate("(i) => Reveal.slide(i.h, i.v)", where)
            page.wait_for_timeout(150)
            for row in audit(page, "", DECK_NOT_OWN, ""):
                row["slide"] = f"slide {where['h'] + 1}"
                rows.setdefault((row["rule"], row["target"]), row)
    finally:
        page.context.close()
    counted = record(f"deck {notebook.stem}", "deck", list(rows.values()), "reveal.js")
    assert not counted, f"{len(counted)} serious/critical violation(s) on the slides:\n" + (
        "\n".join(describe(r) for r in counted)
    )


def test_the_audit_sees_a_violation(browser, axe_installed, tmp_path):
    """The audit must report what it is for: an image without alt text and a low-contrast
    readout inside the course's own output count; the same outside it is only listed."""
    page_file = Path(tmp_path) / "faulty.html"
    page_file.write_text(
        """<!DOCTYPE html><html lang="en"><head><title>faulty</title></head><body><main>
        <h1>A faulty page</h1>
        <div class="jp-OutputArea-output"><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEU
        gAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">
        <p style="color:#ccc;background:#fff">readout: 0.52</p></div>
        <div class="toolbar"><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB
        CAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="></div>
        </main></body></html>"""
    )
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(page_file.as_uri())
        rows = audit(page, ".jp-OutputArea-output", "", "")
    finally:
        context.close()
    mine = {(r["rule"], r["course"]) for r in rows}
    assert ("image-alt", True) in mine, rows
    assert ("color-contrast", True) in mine, rows
    assert ("image-alt", False) in mine, rows
