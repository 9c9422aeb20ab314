# The two commands of the README's quick start, and a few more.
PY ?= python3
PORT ?= 8501

.PHONY: run test install install-dev chromium lint bench demo

install:
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .  # `python -m dashboard` from any folder

install-dev:
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .

chromium:
	@test -x /usr/bin/chromium || { apt-get update -q && apt-get install -y -q chromium; }

# Install and start the dashboard; an empty database loads the bundled demo on first start.
run: install
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT)

# Install everything the tests need (Python packages and Debian's Chromium) and run them all.
test: install-dev chromium
	$(PY) -m ruff check dashboard analysis pages tests bench
	$(PY) -m pytest -q -p no:cacheprovider

lint:
	$(PY) -m ruff check dashboard analysis pages tests bench
	$(PY) -m ruff format --check dashboard analysis pages tests bench

demo: install
	$(PY) -m dashboard demo

bench: install-dev chromium
	$(PY) bench/bench_import.py
	$(PY) bench/bench_analysis.py
	$(PY) bench/bench_pages.py
