# regpen: one regularization-penalty API in Python, C++, Java, Scala and Clojure, held to one spec.
# `make help` lists the documented targets. Each language adds its own targets through the
# fragment beside its sources (native/native.mk, jvm/jvm.mk, clojure/clojure.mk).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(abspath .)
VENV := $(ROOT)/.venv
PYTHON := $(VENV)/bin/python
BUILD := $(ROOT)/build
REPORTS := $(ROOT)/reports
# Interpreter used to create the virtual environment; override with `make BASE_PYTHON=python3.12`.
BASE_PYTHON ?= python3
export PYTHONPATH := $(ROOT)/conformance

# Every real backend must be present in a conformance run; the AVX2/AVX-512 columns depend on the CPU.
REQUIRED_BACKENDS := reference,native-pybind-scalar,native-cffi-scalar,java,scala,clojure
CONFORMANCE_RUN = $(PYTHON) -m harness run --reports $(REPORTS) --require $(REQUIRED_BACKENDS)

# Language fragments append to these.
BUILD_TARGETS :=
TEST_TARGETS :=
BENCH_TARGETS :=

include native/native.mk
include jvm/jvm.mk
include clojure/clojure.mk

# Docs and the report (docs/tools/): the rosetta page's Scala snippets compile with the Scala compiler
# Maven resolves (the version jvm/pom.xml builds with); the report's browser check drives Debian's chromium.
SCALAC_CLASSPATH := $(BUILD)/jvm-classpath/scalac.txt
SCALA_VERSION := $(shell sed -n 's:.*<scala.version>\(.*\)</scala.version>.*:\1:p' jvm/pom.xml)
$(SCALAC_CLASSPATH): docs/tools/scalac-pom.xml jvm/pom.xml | jvm-tools
	@mkdir -p $(dir $@)
	mvn -q -B -Dstyle.color=never -f docs/tools/scalac-pom.xml dependency:build-classpath \
	  -Dscala.version=$(SCALA_VERSION) -Dmdep.outputFile=$@.raw
	tr ':' '\n' < $@.raw > $@.tmp && rm $@.raw && mv $@.tmp $@
chromium: ## Install Debian's chromium (the report's browser check) when it is missing
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
docs-build: $(SCALAC_CLASSPATH) chromium ## Resolve the rosetta page's Scala compiler; install chromium
docs: python ## Rewrite docs/rosetta.md's generated sections from reports/results.json
	$(PYTHON) docs/tools/rosetta.py update --results $(REPORTS)/results.json
BUILD_TARGETS += docs-build
.PHONY: chromium docs-build docs

.PHONY: help venv python conformance test test-python vectors vectors-check bench report lint clean

help: ## List the documented targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/.stamp: python/requirements-dev.txt
	$(BASE_PYTHON) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -r python/requirements-dev.txt
	touch $@

venv: $(VENV)/.stamp ## Create the Python virtual environment with the build and test tools

$(BUILD)/python.stamp: $(VENV)/.stamp $(shell find python/src python/pyproject.toml python/CMakeLists.txt native -type f 2>/dev/null | grep -v __pycache__)
	$(PYTHON) -m pip install -q --no-build-isolation -Cbuild-dir=$(BUILD)/python ./python
	@mkdir -p $(BUILD) && touch $@

python: $(BUILD)/python.stamp ## Build and install the regpen Python package (with its native extension)

build: python $(BUILD_TARGETS) ## Build every backend

conformance: build ## Build all backends and print the cross-language conformance matrix
	$(CONFORMANCE_RUN)

vectors: venv ## Regenerate conformance/vectors from the exact oracle
	$(PYTHON) -m oracle.generate --out conformance/vectors

vectors-check: venv ## Fail when the checked-in vectors differ from a fresh regeneration
	$(PYTHON) -m oracle.generate --check conformance/vectors

# pytest exits 5 when it collected nothing: say so, and fail like any other error.
test-python: python ## Run the Python test suite (pytest)
	$(PYTHON) -m pytest -p no:faulthandler python/tests conformance/tests || { status=$$?; \
	  [ $$status -ne 5 ] || echo "pytest collected no tests: that is a failure here" >&2; exit $$status; }

lint: venv ## ruff over the Python sources
	$(PYTHON) -m ruff check python conformance
	$(PYTHON) -m ruff format --check python conformance

test: build lint vectors-check test-python $(TEST_TARGETS) ## Run every test suite, then conformance
	$(CONFORMANCE_RUN)

bench: build $(BENCH_TARGETS) ## Measure every backend side by side: reports/bench.md, bench.png (L1), bench-l2/ (L2), bench-training.md (fits vs scikit-learn)
	$(PYTHON) -m harness bench --penalty l1 --reports $(REPORTS)
	$(PYTHON) -m harness bench --penalty l2 --reports $(REPORTS)/bench-l2
	$(PYTHON) python/benchmarks/bench_training.py --out $(REPORTS)/bench-training.md

report: build ## Write reports/index.html (figures, path, conformance, bench, rosetta); runs conformance if never run
	@[ -f $(REPORTS)/results.json ] || $(CONFORMANCE_RUN) || echo "conformance failed: the report shows how" >&2
	$(PYTHON) docs/tools/report.py --reports $(REPORTS)
	$(PYTHON) docs/tools/browser.py $(REPORTS)/index.html --screenshot $(REPORTS)/screenshot.png

clean: ## Remove builds, reports and the virtual environment
	rm -rf $(BUILD) $(REPORTS) $(VENV) python/build
