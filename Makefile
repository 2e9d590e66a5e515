# The course's commands. `make lab` opens the course; `make test` proves it works.
# Both create .venv (with the pinned versions in requirements.txt) the first time.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: install lab test test-unit test-soak test-notebooks test-portable test-browser outputs lint format clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt hub/requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt  # test tools and the hub: not in Binder
	@touch $(STAMP)

lab: install  ## open the course in JupyterLab, at notebook 00
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: lint test-unit test-notebooks  ## ruff, unit tests, then every notebook under nbval

test-unit: install
	$(BIN)/python -m pytest tests -q --ignore=tests/browser --ignore=tests/hub -m "not notebook and not soak"

test-soak: install  ## long checks: 200 changes on every widget, after 100 to warm up, leak no memory
	$(BIN)/python -m pytest tests -q --ignore=tests/browser --ignore=tests/hub -m soak

NBVAL := $(BIN)/python -m pytest -q --nbval-lax --nbval-current-env -p no:cacheprovider

test-notebooks: install  ## every notebook under nbval, then the tests that run notebooks' own cells
	$(NBVAL) $(NOTEBOOKS)
	$(BIN)/python -m pytest tests -q --ignore=tests/browser --ignore=tests/hub -m notebook

# Floating-point paths differ between CPUs. These two setups make this machine compute as two
# others do: OpenBLAS's kernel and numpy's SIMD level (an AVX2 laptop; an older SSE4 CPU).
CPU_AVX2 := OPENBLAS_CORETYPE=Haswell NPY_DISABLE_CPU_FEATURES=AVX512_ICL,X86_V4
CPU_SSE4 := OPENBLAS_CORETYPE=Sandybridge NPY_DISABLE_CPU_FEATURES=AVX512_ICL,X86_V4,X86_V3
# Tests of claims about outputs that nbval does not compare (their last digits vary by CPU).
CLAIM_TESTS := tests/test_nb06_modern_activations.py::test_the_comparison_supports_what_the_notebook_says tests/test_nb08_inside_a_real_network.py

test-portable: install  ## every notebook under nbval, and the claim tests, as two other CPUs compute
	$(CPU_AVX2) $(NBVAL) $(NOTEBOOKS) $(CLAIM_TESTS)
	$(CPU_SSE4) $(NBVAL) $(NOTEBOOKS) $(CLAIM_TESTS)

outputs: install  ## execute every notebook in place, so committed notebooks carry their outputs
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS)
	$(BIN)/python tools/strip_widget_views.py $(NOTEBOOKS)  # no stored widget views: see there

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache

test-browser: install  ## every notebook in JupyterLab in Chromium (needs: apt-get install chromium)
	$(BIN)/python -m pytest tests/browser -q

# The decks need no network: reveal.js and MathJax come from npm (pinned in slides/package-lock.json)
# and are copied next to them; slides/template/offline is nbconvert's reveal template without its
# CDN scripts. Copy build/slides/ anywhere and open a deck from disk.
DECKS := $(patsubst notebooks/%.ipynb,build/slides/%.slides.html,$(NOTEBOOKS))
SLIDES_NPM := slides/node_modules/.package-lock.json
SLIDES_TEMPLATE := slides/template/offline/index.html.j2 slides/template/offline/conf.json
MATHJAX_FONT := slides/node_modules/@mathjax/mathjax-newcm-font

.PHONY: slides
slides: $(DECKS) build/slides/.assets  ## lecture decks (reveal.js HTML, one per notebook, offline) into build/slides/

build/slides/%.slides.html: notebooks/%.ipynb $(SLIDES_TEMPLATE) $(STAMP)
	$(BIN)/jupyter nbconvert --to slides --output-dir build/slides \
	  --TemplateExporter.extra_template_basedirs=slides/template --template offline \
	  --SlidesExporter.reveal_url_prefix=reveal.js --SlidesExporter.reveal_theme=white \
	  --HTMLExporter.mathjax_url=mathjax/tex-chtml.js $<

build/slides/.assets: $(SLIDES_NPM)
	rm -rf build/slides/reveal.js build/slides/mathjax
	mkdir -p build/slides/reveal.js build/slides/mathjax/fonts/mathjax-newcm-font
	cp -R slides/node_modules/reveal.js/dist slides/node_modules/reveal.js/LICENSE build/slides/reveal.js/
	cp -R slides/node_modules/mathjax/. build/slides/mathjax/
	cp -R $(MATHJAX_FONT)/chtml $(MATHJAX_FONT)/chtml.js $(MATHJAX_FONT)/package.json \
	  build/slides/mathjax/fonts/mathjax-newcm-font/
	@touch $@

$(SLIDES_NPM): slides/package.json slides/package-lock.json  ## reveal.js, MathJax, axe-core (tests)
	npm ci --prefix slides --no-audit --no-fund
	@touch $@

.PHONY: bench
bench: install  ## speed: notebooks, widget updates vs naive redraws, trainer, activations -> benchmarks/results.json
	$(BIN)/python benchmarks/run.py

.PHONY: test-hub
test-hub: install hub/node_modules/.bin/configurable-http-proxy  ## a real JupyterHub on 127.0.0.1, 10 learners at once -> hub/capacity.json
	$(BIN)/python -m pytest tests/hub -q -p no:cacheprovider

hub/node_modules/.bin/configurable-http-proxy: hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund
	@touch $@
