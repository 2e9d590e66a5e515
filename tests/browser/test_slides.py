"""The lecture decks (`make slides`) in Chromium, opened from disk with the network cut off.

An instructor copies build/slides/ to a laptop and presents in a room with no network. Each deck
is opened as a file:// page in which every http(s) request is aborted (and recorded), and must:
request nothing from the network, start reveal.js, page forward with the keyboard, show its
formulas typeset by MathJax, and log no error. `test_the_checks_see_a_deck_that_needs_the_network`
builds a deck with nbconvert's stock template (reveal.js and MathJax from CDNs) and checks that
the same checks report it. A screenshot of each deck's second slide goes to tests/screenshots/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import lab_driver as lab
import pytest

SLIDES = lab.REPO / "build" / "slides"
NOTEBOOK_PATHS = sorted(lab.NOTEBOOKS.glob("*.ipynb"))
VIEWPORT = {"width": 1280, "height": 800}
# TeX the decks show: $...$ or $$...$$ in a markdown cell that is on a slide (not skipped).
TEX = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


def deck_path(notebook: Path) -> Path:
    return SLIDES / f"{notebook.stem}.slides.html"


def build_decks() -> Path:
    """`make slides`: npm ci from slides/package-lock.json if needed, then every deck whose
    notebook or template changed. Returns build/slides/."""
    result = subprocess.run(
        ["make", "--no-print-directory", "slides"],
        cwd=lab.REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(f"`make slides` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return SLIDES


@pytest.fixture(scope="session")
def decks(chromium_path) -> Path:
    return build_decks()


@dataclass
class DeckVisit:
    """What one deck did when opened from disk with the network cut off."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reveal_ready: bool = False
    mathjax_ready: bool = False


def open_deck(browser, deck: Path, timeout: float = 20.0) -> DeckVisit:
    """Open `deck` as a file:// page in a new context in which every request that is not a
    file is aborted and recorded; wait for reveal.js and MathJax (when the deck loads it)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    visit = DeckVisit(page)

    def block(route):
        visit.blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file:"), block)
    page.on(
        "console",
        lambda m: visit.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            visit.errors.append(f"request failed: {r.url} ({r.failure})")
            if r.url.startswith("file:")
            else None
        ),
    )
    page.goto(deck.as_uri())
    try:
        page.wait_for_function(
            "() => !!(window.Reveal && Reveal.isReady && Reveal.isReady())",
            timeout=timeout * 1000,
        )
        visit.reveal_ready = True
    except Exception:
        pass
    try:  # MathJax 4: startup.promise resolves once the page is typeset
        page.wait_for_function(
            """() => window.MathJax && MathJax.startup && MathJax.startup.promise
                     ? MathJax.startup.promise.then(() => true) : false""",
            timeout=timeout * 1000,
        )
        visit.mathjax_ready = True
    except Exception:
        pass
    return visit


def shown_tex(notebook: Path) -> list[str]:
    """The TeX in the markdown cells a deck shows (cells not marked "skip")."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [
        match
        for cell in cells
        if cell["cell_type"] == "markdown"
        and cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != "skip"
        for match in TEX.findall("".join(cell["source"]))
    ]


# The text of the deck's markdown without its typeset formulas and code: what is left of TeX there
# was not typeset.
MARKDOWN_TEXT = """() => [...document.querySelectorAll('.reveal .jp-RenderedMarkdown')].map(m => {
    const copy = m.cloneNode(true);
    copy.querySelectorAll('mjx-container, code, pre').forEach(e => e.remove());
    return copy.textContent;
}).join('\\n')"""


# Per slide: how much taller its content is than the slide, and whether it scrolls.
SLIDE_FIT = """() => { const s = Reveal.getCurrentSlide();
    return {over: s.scrollHeight - Number(Reveal.getConfig().height),
            scrolls: ['auto', 'scroll'].includes(
            getComputedStyle(s).overflowY)}; }"""


def overflow_problems(page) -> list[str]:
    """Every slide fits the screen, or scrolls: content below the slide's end is never seen."""
    problems = []
    page.evaluate("Reveal.configure({transition: 'none'})")
    for i in range(page.evaluate("Reveal.getTotalSlides()")):
        page.evaluate("(i) => Reveal.slide(i)", i)
        fit = page.evaluate(SLIDE_FIT)
        if fit["over"] > 2 and not fit["scrolls"]:
            problems.append(
                f"slide {i + 1}: its content runs {fit['over']} px past the slide's end and "
                "cannot be scrolled, so the audience never sees the end of it"
            )
    return problems


def deck_problems(visit: DeckVisit, tex: list[str], shot: Path | None = None) -> list[str]:
    """Everything wrong with an opened deck, in plain words."""
    page = visit.page
    problems = [f"the deck asked the network for {url}" for url in visit.blocked]
    if not visit.reveal_ready:
        return [*problems, "reveal.js did not start (Reveal.isReady() never became true)"]
    total = page.evaluate("Reveal.getTotalSlides()")
    if total < 2:
        problems.append(f"the deck has {total} slide(s)")
    before = page.evaluate("Reveal.getIndices()")
    page.locator(".reveal").focus()
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function("(h) => Reveal.getIndices().h !== h", arg=before["h"], timeout=3000)
    except Exception:
        problems.append(f"ArrowRight did not change the slide (still at {before})")
    page.wait_for_timeout(900)  # the slide transition
    if shot is not None:
        page.screenshot(path=str(shot))
    problems += overflow_problems(page)
    if tex:
        typeset = page.locator("mjx-container").count()
        if not visit.mathjax_ready:
            problems.append("MathJax did not finish typesetting")
        if not typeset:
            problems.append(f"no formula typeset, but the deck's markdown holds {len(tex)} of them")
        raw = [m for m in TEX.findall(page.evaluate(MARKDOWN_TEXT)) if m.strip("$").strip()]
        problems += [f"a formula shows as raw TeX: {m[:80]!r}" for m in raw]
        errors = page.locator("mjx-merror").all_text_contents()
        problems += [f"MathJax could not read a formula: {e[:100]!r}" for e in errors]
    return problems + visit.errors


@pytest.mark.parametrize("notebook", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_deck_works_offline(notebook, decks, browser, screenshots):
    """Opened from disk with the network cut off, the deck starts, pages forward with the
    keyboard, typesets its formulas and logs no error."""
    deck = deck_path(notebook)
    assert deck.is_file(), f"`make slides` did not write {deck}"
    visit = open_deck(browser, deck)
    try:
        problems = deck_problems(
            visit, shown_tex(notebook), shot=screenshots / f"slides_{notebook.stem}.png"
        )
        print(
            f"{notebook.stem}: {visit.page.evaluate('Reveal.getTotalSlides()')} slides, "
            f"{visit.page.locator('mjx-container').count()} formulas"
        )
    finally:
        visit.page.context.close()
    assert not problems, "\n".join(problems)


def test_the_checks_see_a_deck_that_needs_the_network(browser, tmp_path, chromium_path):
    """nbconvert's stock slides (reveal.js, require.js and MathJax from CDNs) must fail."""
    notebook = lab.NOTEBOOKS / "03_the_formal_neuron.ipynb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "slides",
            "--output-dir",
            str(tmp_path),
            str(notebook),
        ],
        check=True,
        capture_output=True,
    )
    visit = open_deck(browser, tmp_path / f"{notebook.stem}.slides.html", timeout=5.0)
    try:
        problems = deck_problems(visit, shown_tex(notebook))
    finally:
        visit.page.context.close()
    assert any("asked the network" in p for p in problems), problems
    assert any("reveal.js did not start" in p for p in problems), problems


@pytest.mark.parametrize("notebook", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_every_figure_on_a_slide_has_its_description(notebook, decks):
    """A figure's alt text on the slide is the description stored with the committed output
    (nbconvert's own template would write "No description has been provided")."""
    import re

    import nbformat

    stored = [
        output.metadata["image/png"]["alt"]
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "code"
        and cell.metadata.get("slideshow", {}).get("slide_type") != "skip"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    page = deck_path(notebook).read_text()
    shown = re.findall(r'<img\b[^>]*\balt="([^"]*)"', page)
    assert "No description has been provided" not in page
    assert len(shown) == len(stored)
    assert all(text and text != "A figure" for text in shown)
