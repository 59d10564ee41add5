# Thin wrappers over CMake presets and scripts/; the scripts hold the logic.
#   make            configure (debug preset) and build everything into build/
#   make setup      install missing Debian and npm packages (scripts/setup)
#   make run        setup, build, start the server on port 4000 (scripts/run;
#                   RUN_CMD in scripts/run says what runs, make run RUN_CMD="..." overrides it)
#   make test       setup, build with ASan+UBSan (build-asan/), run every test, fuzz smoke (scripts/test)
#   make test-tsan  setup, build with ThreadSanitizer (build-tsan/), run every test
#   make fuzz       every libFuzzer target for 60 s each (scripts/fuzz; FUZZ_SECONDS=N)
#   make install PREFIX=/opt/roost   install the release build (headers, libs, CMake package)
#   make bench      release build, then the standard benchmark set (bench/scripts/bench_all.sh)
#   make soak       release build, then 10,000 connections for 10 minutes (bench/scripts/soak.sh)
#   make clean      remove the preset build directories
PREFIX ?= /usr/local
# cmake --build runs make again underneath; keep its log free of directory lines.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)

.PHONY: all build setup run test test-tsan fuzz install bench soak clean

all: build

build:
	cmake --preset debug
	cmake --build --preset debug -j$(JOBS)

setup:
	scripts/setup

run:
	scripts/run

test:
	scripts/test

test-tsan:
	scripts/test tsan

fuzz:
	scripts/setup
	scripts/fuzz

install:
	cmake --preset release
	cmake --build --preset release -j$(JOBS)
	cmake --install build-release --prefix "$(PREFIX)"

bench:
	bench/scripts/bench_all.sh

soak:
	bench/scripts/soak.sh

clean:
	rm -rf build build-release build-asan build-tsan build-fuzz
