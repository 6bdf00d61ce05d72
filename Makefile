# Carefinder: `make run` and `make test` work on a fresh Debian 12 as root.
# Every target installs what it needs first (idempotent, non-interactive).
BUILD   ?= build
JOBS    ?= $(shell nproc)
PORT    ?= 8080
DB      ?= $(BUILD)/carefinder.db
BIN     := $(BUILD)/carefinder

# Debian packages to build and run, and the extra ones the tests use.
BUILD_PKGS := cmake g++ make pkg-config libsqlite3-dev libcpp-httplib-dev \
              nlohmann-json3-dev libgtest-dev libssl-dev ca-certificates \
              libzip-dev libexpat1-dev libzstd-dev
TEST_PKGS  := chromium python3 python3-jsonschema haproxy
LISTINGS   := $(wildcard data/listings/*.csv)
GAZETTEER  := $(wildcard data/gazetteer/*.csv)
# Public feeds in their own formats: every data/feeds file with a
# <file>.source.json sidecar (tests/integration/national_coverage_test.cc
# imports the same set).
FEEDS      := $(patsubst %.source.json,%,$(wildcard data/feeds/*/*.source.json))

.PHONY: all deps test-deps build db run test bench bench-load fuzz clean

all: build

# Installs only what is missing; as non-root, prints the apt-get line instead.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing packages: $$missing"; \
	    echo "run: sudo apt-get install -y $$missing"; exit 1; fi; \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PKGS))

test-deps: deps
	$(call install_missing,$(TEST_PKGS))
	@command -v node >/dev/null || { $(MAKE) --no-print-directory node-deps; }
	@cd tests/e2e && { [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
	  || npm ci --no-audit --no-fund --loglevel=error; }

.PHONY: node-deps
node-deps:
	$(call install_missing,nodejs npm)

$(BUILD)/CMakeCache.txt: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The shipped database: built in a temporary file and published into place
# (`carefinder publish`: checked, self-contained, one rename; a running
# `make run` server switches to it), so a failed import never leaves a
# half-built database where `make run` looks, nor an old -wal beside a new file.
# Exit 1 (some feed rows rejected, e.g. meetings outside the US) still loads
# every good row; the report, with each rejected row, is kept beside the db.
$(DB): $(BIN) $(LISTINGS) $(FEEDS) $(wildcard data/feeds/*/*.source.json) $(GAZETTEER) data/taxonomy.csv
	rm -f $@.tmp $@.tmp-wal $@.tmp-shm
	$(BIN) import --db $@.tmp --gazetteer data/gazetteer $(LISTINGS) $(FEEDS) \
	  > $(BUILD)/import-report.txt || [ $$? -eq 1 ]
	@sed -n '/^total/p;/^result/p' $(BUILD)/import-report.txt
	$(BIN) publish --db $@ $@.tmp

db: build
	@$(MAKE) --no-print-directory $(DB)

run: db
	$(BIN) serve --db $(DB) --port $(PORT) --web web

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Full benchmark (about 30 minutes on 2 cores): 1e5 and 1e6 synthetic listings,
# import throughput and search latency; see bench/bench.cc.
bench: build
	$(BUILD)/carefinder_bench --sizes 100000,1000000 --runs 3 --queries 2000 \
	  --binary $(BIN) --data data/gazetteer --out docs/bench-latest.txt

# Throughput of real searches on the shipped database beside bare cpp-httplib
# serving the same bytes, in one run (issue 12; needs wrk): bench/load_bench.h.
bench-load: db
	$(call install_missing,wrk)
	$(BUILD)/carefinder_bench --load $(DB) --runs 3 --seconds 10 --out $(BUILD)/bench-load.txt

# libFuzzer over every reader (docs/FUZZING.md); needs clang 16, not make test.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(call install_missing,clang-16 libclang-rt-16-dev)
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)
