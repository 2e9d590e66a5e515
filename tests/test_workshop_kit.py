"""The workshop kit: slide metadata and slide decks, navigation between notebooks, projector mode,
and an instructor guide whose plan adds up and names only exercises that exist."""

import re
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import nbformat
import pytest

from helpers import style
from helpers.exercises import EXERCISES, load_all

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
LINK = re.compile(r"\]\(([^)\s]+\.(?:ipynb|md))\)")


def read(path: Path):
    return nbformat.read(path, as_version=4)


def slide_type(cell) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


# ---- slides ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_every_cell_carries_slide_metadata_by_the_convention(path):
    cells = read(path).cells
    for i, cell in enumerate(cells):
        kind = slide_type(cell)
        assert kind in SLIDE_TYPES, f"cell {i} has no valid slideshow.slide_type: {kind!r}"
        first_line = cell.source.splitlines()[0] if cell.source else ""
        if cell.cell_type == "markdown" and (i == 0 or first_line.startswith("## ")):
            assert kind == "slide", f"cell {i} ({first_line!r}) should start a slide"
        if cell.cell_type == "code" and re.search(r"^(check|solution|quiz)\(", cell.source, re.M):
            assert kind == "skip", f"cell {i} (an exercise, solution or quiz) should be skipped"


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    """Every notebook converted to a reveal.js deck, as `make slides` does (one run)."""
    out = tmp_path_factory.mktemp("slides")
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "slides", "--output-dir", str(out)]
        + [str(p) for p in NOTEBOOKS],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_slide_deck_builds_with_one_slide_per_section_and_no_exercises(decks, path):
    html = (decks / f"{path.stem}.slides.html").read_text()
    cells = read(path).cells
    slides = sum(slide_type(c) == "slide" for c in cells)
    shown_code = sum(c.cell_type == "code" and slide_type(c) != "skip" for c in cells)
    assert "reveal" in html
    assert html.count("<section") == 2 * slides  # reveal.js: a section per slide, one inside
    assert (
        html.count("jp-Cell jp-CodeCell") == shown_code
    )  # exercise, solution, quiz cells left out


def test_the_decks_folder_is_never_committed():
    """`make slides` writes into build/slides/ (tests/browser/test_slides.py runs it); git
    ignores that folder, so a deck built for a workshop never lands in a commit."""
    deck = "build/slides/00_start_here.slides.html"
    ignored = subprocess.run(["git", "check-ignore", "-q", deck], cwd=ROOT, check=False)
    assert ignored.returncode == 0, f"git would commit {deck}"


# ---- navigation -----------------------------------------------------------------------------
def markdown_links(path: Path) -> list[str]:
    return [
        link
        for c in read(path).cells
        if c.cell_type == "markdown"
        for link in LINK.findall(c.source)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_every_link_to_a_notebook_or_guide_points_at_a_file(path):
    for link in markdown_links(path):
        if "://" in link:
            continue
        assert (path.parent / link).resolve().exists(), f"{path.name} links to missing {link}"


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=NAMES[1:])  # 00 is the welcome, no lesson
def test_every_lesson_has_the_sections_of_the_template(path):
    cells = read(path).cells
    headings = [c.source.split("\n", 1)[0] for c in cells if c.cell_type == "markdown"]
    for section in ("## Objectives", "## Exercises", "## Quiz", "## Key takeaways"):
        found = any(h == section or h.startswith(section + ":") for h in headings)
        assert found, f"{path.name} has no {section!r} section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_outputs_hold_no_error_and_nothing_on_stderr(path):
    for i, cell in enumerate(read(path).cells):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{path.name} cell {i}: an error"
            assert output.get("name") != "stderr", f"{path.name} cell {i}: stderr output"


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=NAMES)
def test_title_links_to_the_previous_and_next_notebook(index):
    title = read(NOTEBOOKS[index]).cells[0].source
    nav = [line for line in title.splitlines() if "→" in line or "←" in line]
    assert nav, f"{NAMES[index]}: no navigation line (← [previous](...) · [next](...) →)"
    links = LINK.findall(nav[-1])
    names = [n + ".ipynb" for n in NAMES]
    expected_next = names[index + 1] if index + 1 < len(names) else names[0]  # last: back to 00
    assert expected_next in links and nav[-1].rstrip().endswith("→"), (NAMES[index], nav[-1])
    if index > 0:
        assert names[index - 1] in links and nav[-1].lstrip().startswith("←"), nav[-1]
    for link in links:
        assert (NOTEBOOK_DIR / link).exists(), f"{NAMES[index]} links to missing {link}"


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=NAMES)
def test_last_cell_says_where_to_go_next(index):
    last = read(NOTEBOOKS[index]).cells[-1].source
    assert "**Next:**" in last
    target = LINK.findall(last.split("**Next:**", 1)[1])[0]
    expected = NOTEBOOKS[index + 1] if index + 1 < len(NOTEBOOKS) else NOTEBOOKS[0]
    assert target == expected.name, (NAMES[index], target)


def test_course_map_in_notebook_00_lists_every_notebook():
    cells = read(NOTEBOOK_DIR / "00_start_here.ipynb").cells
    course_map = next(c.source for c in cells if c.source.startswith("## Course map"))
    assert set(LINK.findall(course_map)) == {p.name for p in NOTEBOOKS}


# ---- projector mode -------------------------------------------------------------------------
def test_projector_mode_enlarges_figures_and_widgets_and_restores_them(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # as if in a notebook
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append(obj["text/html"]))
    base = mpl.rcParams["font.size"]
    try:
        style.projector_mode(True)
        assert mpl.rcParams["font.size"] == pytest.approx(base * style.PROJECTOR_SCALE)
        assert mpl.rcParams["lines.linewidth"] > style.BASE_STYLE["lines.linewidth"]
        from helpers.widgets.network_builder import network_builder

        big = network_builder().titles[0].get_fontsize()
    finally:
        style.projector_mode(False)
    assert mpl.rcParams["font.size"] == base
    assert network_builder().titles[0].get_fontsize() == pytest.approx(big / style.PROJECTOR_SCALE)
    assert len(shown) == 2 and "--jp-widgets-font-size: 20px" in shown[0]
    assert "--jp-widgets-font-size: var(--jp-ui-font-size1)" in shown[1]


def reaches_past_the_edges(figure) -> bool:
    """Whether anything drawn in the figure (a title, a label, a legend) reaches past its
    edges by more than a pixel, where the picture cuts it off."""
    drawn = figure.get_tightbbox(figure.canvas.get_renderer())  # in inches
    page = figure.bbox_inches.padded(1 / figure.dpi)
    return not (page.contains(drawn.x0, drawn.y0) and page.contains(drawn.x1, drawn.y1))


@pytest.mark.parametrize("projector", [False, True])
def test_every_widget_figure_keeps_its_text_inside(projector):
    """Projector mode enlarges fonts; a widget's figure grows with them (one rule for every
    widget), so it keeps the layout it was designed with: no title or label cut off at an edge.
    Seen failing before that rule: the dead-ReLU lab's and the network builder's titles."""
    from helpers.widgets import registry

    try:
        style.use_course_style(projector)
        for name, build in registry().items():
            assert not reaches_past_the_edges(build().figure), name
    finally:
        style.use_course_style(False)


def test_projector_mode_outside_a_notebook_changes_only_the_figures(capsys):
    style.projector_mode(True)
    style.projector_mode(False)
    assert capsys.readouterr().out == ""


# ---- the instructor guide -------------------------------------------------------------------
GUIDE = (ROOT / "INSTRUCTOR_GUIDE.md").read_text()


def plan_rows(heading: str) -> list[tuple[str, str, int]]:
    """(start, what, total minutes) for each row of the table under `heading`."""
    section = GUIDE.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 5 and re.fullmatch(r"\d:\d\d", cols[0]):
            teaching, exercises = (0 if c == "–" else int(c) for c in cols[2:4])
            assert cols[1] == "Break" or teaching + exercises == int(cols[4]), line
            rows.append((cols[0], cols[1], int(cols[4])))
    return rows


def minutes(start: str) -> int:
    hours, mins = start.split(":")
    return 60 * int(hours) + int(mins)


@pytest.mark.parametrize(
    "heading, budget", [("## The 3-hour plan", 180), ("## The 90-minute cut", 90)]
)
def test_guide_plan_adds_up_and_its_start_times_follow(heading, budget):
    rows = plan_rows(heading)
    assert rows, f"no plan table under {heading}"
    assert sum(total for _, _, total in rows) <= budget
    clock = 0
    for start, what, total in rows:
        assert minutes(start) == clock, f"{what} starts at {start}, expected {clock} min"
        clock += total


def test_three_hour_plan_covers_every_notebook_and_fills_the_time():
    """Every notebook is in the 3-hour plan or, once, in the optional extension after it."""
    rows = plan_rows("## The 3-hour plan")
    linked = {LINK.findall(what)[0] for _, what, _ in rows if LINK.findall(what)}
    extension = GUIDE.split("## Optional extension", 1)[1].split("\n## ", 1)[0]
    extra = set(LINK.findall(extension))
    assert linked | extra == {f"notebooks/{p.name}" for p in NOTEBOOKS}
    assert not linked & extra, "a notebook both in the plan and in the extension"
    assert sum(total for _, _, total in rows) == 180


def test_guide_names_only_real_exercises_and_every_exercise():
    load_all()
    named = set(re.findall(r"`(\d\d\.[a-z_]+)`", GUIDE))
    assert named <= set(EXERCISES), f"the guide names unknown exercises: {named - set(EXERCISES)}"
    assert set(EXERCISES) <= named, f"the guide does not mention: {set(EXERCISES) - named}"


def test_guide_covers_what_an_instructor_needs():
    for heading in (
        "## Who comes, and what they leave with",
        "## Handing out the Binder link",
        "## The 3-hour plan",
        "## The 90-minute cut",
        "## Discussion prompts",
        "## Common misconceptions, and how to answer them",
        "## Revealing solutions",
        "## Projector mode",
        "## Slides",
    ):
        assert heading in GUIDE
    assert f"{style.PROJECTOR_SCALE:g} times" in " ".join(GUIDE.split())  # the number it uses
    assert (
        "mybinder.org/v2/gh/<owner>/<repo>/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb"
        in GUIDE
    )
