# Thin wrapper over CMake. The README's two commands: `make demo`, `make test`.
# Missing Debian packages are installed first (apt-get, with sudo when not root).

JOBS      ?= 2
BUILD     ?= build
WERROR    := $(if $(CI),ON,OFF)
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)

# What building and testing needs; the bench peers are separate.
DEPS := g++ cmake make pkg-config python3 libboost-dev libcli11-dev \
        libtomlplusplus-dev libfmt-dev libspdlog-dev nlohmann-json3-dev \
        libgtest-dev libgmock-dev librapidcheck-dev redis-server mandoc \
        procps util-linux systemd clang-14 libclang-rt-14-dev man-db
BENCH_DEPS := libbenchmark-dev libboost-fiber-dev libboost-context-dev \
        erlang-nox supervisor runit s6 daemontools

.PHONY: all deps bench-deps build demo kv-demo test test-asan test-tsan bench clean

all: build

deps:
	@bash .ci/install-deps $(DEPS)

bench-deps:
	@bash .ci/install-deps $(DEPS) $(BENCH_DEPS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROVE_WERROR=$(WERROR)
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	$(BUILD)/bin/groved examples/demo.toml

# examples/kv: a fresh log each time (the store replays it at start).
kv-demo: build
	rm -f $(BUILD)/kv-demo.log
	$(BUILD)/bin/groved examples/kv/grove.toml

# The whole suite: everything under ASan+UBSan, then ipc and worker-lib under TSan.
test: test-asan test-tsan

test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGROVE_SANITIZE=address -DGROVE_WERROR=$(WERROR)
	cmake --build build-asan -j$(JOBS)
	ctest --test-dir build-asan --output-on-failure -j$(JOBS)

test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROVE_SANITIZE=thread -DGROVE_TSAN_ONLY=ON -DGROVE_WERROR=$(WERROR)
	cmake --build build-tsan -j$(JOBS)
	ctest --test-dir build-tsan -L tsan --output-on-failure -j$(JOBS)

bench: bench-deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGROVE_BENCH=ON
	cmake --build build-bench -j$(JOBS)
	bash bench/run-all build-bench

clean:
	rm -rf build build-asan build-tsan build-bench
