# Partnership Explorer — developer entry points. Needs only python3 (3.10+) with venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench bench-scaling bench-indicators wheel screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

# the test extras, and the optional inputs and cluster (the Parquet and Dask tests run in `make test`)
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,parquet,cluster]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/partnership-explorer run

# The suite on every core (pytest-xdist: `-n auto` starts one worker a core; `make test TEST_JOBS=0` runs it in
# one process). Each test file goes whole to one worker (--dist loadfile): a module's built database, venv or
# cluster is made once, and its tests keep their order.
TEST_JOBS ?= auto
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile

# the linter (ruff, configured in pyproject.toml) and the import contracts (import-linter); the test suite
# runs both too (tests/test_architecture.py)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/synth_speed.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/query_plans.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/timeline.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/app_open.py
	$(BIN)/python benchmarks/extraction.py

# ingestion of one file of 1, 2, 4 and 8 MB in four shapes, with and without the extraction cap (about 30 min)
bench-scaling: $(STAMP)
	$(BIN)/python benchmarks/scaling.py

bench-indicators: $(STAMP)
	cd benchmarks && ../$(BIN)/python indicators.py

# README pictures in packaging/screenshots/ (needs a screenshot tool: SCREENSHOT_TOOL=path/to/screenshot)
screenshots: $(STAMP)
	PYTHON=$(BIN)/python packaging/screenshots.sh $(SCREENSHOT_TOOL)

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

# One-folder desktop bundle: dist/partnership-explorer/partnership-explorer (PyInstaller, packaging/*.spec)
.PHONY: dist dist-check
DIST_STAMP := $(VENV)/.installed-dist

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,parquet,cluster,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/partnership-explorer.spec
	install -Dm644 packaging/partnership-explorer.desktop \
		dist/partnership-explorer/share/applications/partnership-explorer.desktop
	install -Dm644 packaging/io.github.partnership_explorer.PartnershipExplorer.metainfo.xml \
		dist/partnership-explorer/share/metainfo/io.github.partnership_explorer.PartnershipExplorer.metainfo.xml
	install -Dm644 resources/icons/app.svg dist/partnership-explorer/share/icons/hicolor/scalable/apps/partnership-explorer.svg
	install -Dm644 resources/icons/app.png dist/partnership-explorer/share/icons/hicolor/256x256/apps/partnership-explorer.png
	@du -sh dist/partnership-explorer

# builds the bundle, then starts it from outside the checkout: version, seeds, ingest, export, window
dist-check: dist
	bash packaging/smoke.sh dist/partnership-explorer

clean:
	rm -rf $(VENV) build dist .pytest_cache
