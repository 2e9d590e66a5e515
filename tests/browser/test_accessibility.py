"""An accessibility audit with axe-core: every notebook after Run All in JupyterLab, every deck.

axe-core (pinned in slides/package-lock.json, installed by `make slides`) is injected into the
page and run with its default rules. Each violation is sorted by where its element lives:

- course: what the course itself puts on the page: a notebook's rendered markdown and its cells'
  outputs (widgets, readouts, messages, figures, quizzes); in a deck, everything except
  reveal.js's own controls. A serious or critical violation here fails the test.
- jupyterlab / reveal.js: the tools' own interface (menus, toolbars, the deck's arrows). Listed
  in the report, never counted: the course cannot change them.

Nothing in the course's output is excused: links in rendered markdown are underlined by
`helpers.setup()` (JupyterLab's theme does not), and the course's sliders are labelled
`<input type="range">`s (`helpers.widgets.controls.Slider`), not ipywidgets' noUiSlider
handles, which have no name.

Each deck is audited slide by slide, as an audience sees it. Every result (all impacts) goes to
build/accessibility-report.json, and a readable summary is printed at the end of the module.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import lab_driver as lab
import pytest
from test_slides import (  # noqa: F401 (decks: a fixture)
    NOTEBOOK_PATHS,
    VIEWPORT,
    deck_path,
    decks,
    open_deck,
)

AXE = lab.REPO / "slides" / "node_modules" / "axe-core" / "axe.min.js"
REPORT = lab.REPO / "build" / "accessibility-report.json"
COUNTED = ("serious", "critical")

# Runs axe on the whole document and says, for each failing element, whether it is the course's
# own output (inside `own`, and not inside `notOwn`) and which notebook cell holds it.
AUDIT = """async ([own, notOwn, panel]) => {
    const result = await axe.run(document, {elementRef: true});
    const cells = panel ? [...document.querySelectorAll(panel + ' .jp-Cell')] : [];
    const isOwn = (el) => !!el && !!el.closest && (own ? !!el.closest(own) : true)
                          && !(notOwn && el.closest(notOwn));
    // Elements with words or numbers of their own in the course's output (on a deck: the
    // present slide), and how many of them axe measured the colours of: axe skips what it
    // takes for hidden or off screen.
    const scope = own ? [...document.querySelectorAll(own)].flatMap(
                            c => [c, ...c.querySelectorAll('*')])
                      : [...document.querySelectorAll('.reveal .slides section.present *')];
    const texts = scope.filter(e => isOwn(e) && e.offsetParent !== null
        && getComputedStyle(e).visibility === 'visible' && !e.closest('mjx-container')
        && [...e.childNodes].some(n => n.nodeType === 3 && /[A-Za-z0-9]/.test(n.textContent))
    ).length;  // (axe leaves text of punctuation alone, such as a code cell's '([')
    const measured = ['passes', 'violations', 'incomplete'].flatMap(kind => result[kind])
        .filter(r => r.id === 'color-contrast').flatMap(r => r.nodes)
        .filter(n => isOwn(n.element)).length;
    const violations = result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
        nodes: v.nodes.map(n => {
            const el = n.element && n.element.closest ? n.element : null;
            const cell = el && panel ? el.closest('.jp-Cell') : null;
            return {target: n.target.map(String).join(' >> '), html: n.html.slice(0, 300),
                    impact: n.impact || v.impact, course: isOwn(el),
                    cell: cell ? cells.indexOf(cell) : null,
                    summary: (n.failureSummary || '').slice(0, 600)};
        }),
    }));
    return {violations, texts, measured};
}"""

NOTEBOOK_OWN = f"{lab.PANEL} .jp-RenderedMarkdown, {lab.PANEL} .jp-OutputArea-output"
DECK_NOT_OWN = ".reveal > .controls, .reveal > .progress, .reveal > .slide-number"
UNSCROLL = (
    ".reveal .slides section.course-scroll "
    "{ height: auto !important; overflow: visible !important; }"
)

# What to do about each rule the audit has found in the course's output (written to the report
# beside each violation). Add a line when a new rule shows up.
FIXES = {
    "aria-input-field-name": (
        "An ipywidgets slider (IntSlider, FloatSlider, FloatLogSlider): ipywidgets 8.1.9 gives its "
        "noUiSlider handle (role=slider) no name, and no widget option reaches it. Make the "
        "control with helpers.widgets.controls.slider(...), a labelled <input type=range>."
    ),
    "link-in-text-block": (
        "JupyterLab draws links in rendered markdown #0d47a1 without underline beside #212121 "
        "text (1.86:1). helpers.setup() underlines them (style.LINK_CSS): does the notebook's "
        "first cell call it, and does the rule still match JupyterLab's markdown?"
    ),
    "color-contrast": (
        "Darken the foreground (WCAG asks 4.5:1 for text). ipywidgets' button_style='success' is "
        "white on #388e3c (4.11:1): the course's buttons use the default style. Error tracebacks "
        "(ANSI colours on #ffdddd) mean a cell raised: fix the cell."
    ),
}

_results: dict[str, dict] = {}


def audit(page, own: str, not_own: str, panel: str) -> tuple[list[dict], int, int]:
    """Failing elements (rule, impact, whose, where), the number of elements with text in the
    course's output, and how many of those axe measured the colours of."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(AUDIT, [own, not_own, panel])
    rows = [
        {"rule": v["id"], "help": v["help"], "url": v["url"], **n}
        for v in found["violations"]
        for n in v["nodes"]
    ]
    return rows, found["texts"], found["measured"]


def record(key: str, kind: str, rows: list[dict], tool: str, **facts) -> list[dict]:
    """Store the rows in the report (merged with earlier runs' entries); return the counted."""
    for row in rows:
        row["whose"] = "course" if row.pop("course") else tool
        if row["whose"] == "course" and row["rule"] in FIXES:
            row["proposed_fix"] = FIXES[row["rule"]]
    counted = [r for r in rows if r["whose"] == "course" and r["impact"] in COUNTED]
    _results[key] = {"kind": kind, "counted": len(counted), **facts, "violations": rows}
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
        page.evaluate(
            """(panel) => { const n = document.querySelector(panel + ' .jp-WindowedPanel-outer');
                             if (n) n.scrollTop = 0; }""",
            lab.PANEL,
        )
        # JupyterLab's <body> is 0 pixels high with overflow hidden: axe then takes the whole
        # notebook for clipped, off screen, and measures no colour (seen: 1 of 160 elements).
        page.add_style_tag(content="html, body { height: 100%; }")
        lab.settle(page, quiet=0.3)
        rows, texts, measured = audit(page, NOTEBOOK_OWN, "", lab.PANEL)
    finally:
        context.close()
        jupyterlab.end_sessions()  # the next test to open this notebook gets a fresh kernel
    counted = record(
        f"notebook {notebook.stem}",
        "notebook",
        rows,
        "jupyterlab",
        text_elements=texts,
        colours_measured=measured,
    )
    assert measured >= 0.9 * texts, (
        f"axe measured the colours of {measured} of the {texts} elements with text in the "
        "course's output: it took the others for hidden or off screen"
    )
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
        # A slide taller than the screen scrolls (the template's course-scroll); for the audit
        # it is laid out whole and the window made tall enough to show it all, because axe
        # measures colours only on screen. Colours and text do not change.
        page.add_style_tag(content=UNSCROLL)
        for where in page.evaluate("Reveal.getSlides().map(s => Reveal.getIndices(s))"):
            page.evaluate("(i) => Reveal.slide(i.h, i.v)", where)
            tall = page.evaluate("Reveal.getCurrentSlide().scrollHeight * Reveal.getScale()")
            height = max(
                VIEWPORT["height"], int(2 * tall - 700 * page.evaluate("Reveal.getScale()")) + 50
            )
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.wait_for_timeout(200)
            found, texts, measured = audit(page, "", DECK_NOT_OWN, "")
            for row in found:
                row["slide"] = f"slide {where['h'] + 1}"
                rows.setdefault((row["rule"], row["target"]), row)
            assert measured >= 0.9 * texts, (
                f"slide {where['h'] + 1}: axe measured the colours of {measured} of the {texts} "
                "elements with text on it"
            )
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
        rows, _, _ = audit(page, ".jp-OutputArea-output", "", "")
    finally:
        context.close()
    mine = {(r["rule"], r["course"]) for r in rows}
    assert ("image-alt", True) in mine, rows
    assert ("color-contrast", True) in mine, rows
    assert ("image-alt", False) in mine, rows
