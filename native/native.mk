# native/native.mk - the native C++ backend's targets, included by the top-level Makefile.
#   native-build     configure and build native/ (Release) in build/native
#   native-test      run its GoogleTest suite (every vector on every ISA, ISA vs portable, ABI)
#   native-sanitize  the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer
# The Python extension and libregpen.so for Python are built by `make python` from the same sources.

NATIVE_BUILD := $(BUILD)/native
NATIVE_ASAN_BUILD := $(BUILD)/native-sanitize
# Debian packages the native build needs; installed when missing (CI runs as root).
NATIVE_PACKAGES := cmake g++ libgtest-dev nlohmann-json3-dev
NATIVE_JOBS ?= 2

.PHONY: native-deps native-build native-test native-sanitize sanitize

native-deps:
	@for pkg in $(NATIVE_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || (apt-get update && apt-get install -y $$pkg); \
	done

native-build: native-deps ## Build the native C++ library and its tests (build/native)
	cmake -S native -B $(NATIVE_BUILD) -DCMAKE_BUILD_TYPE=Release -DREGPEN_BUILD_TESTS=ON
	cmake --build $(NATIVE_BUILD) -j$(NATIVE_JOBS)

native-test: native-build ## Run the native GoogleTest suite on every ISA of this CPU
	ctest --test-dir $(NATIVE_BUILD) --output-on-failure -j$(NATIVE_JOBS)

native-sanitize: native-deps ## Build and run the native tests under ASan + UBSan
	cmake -S native -B $(NATIVE_ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DREGPEN_BUILD_TESTS=ON -DREGPEN_SANITIZE=ON
	cmake --build $(NATIVE_ASAN_BUILD) -j$(NATIVE_JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(NATIVE_ASAN_BUILD) --output-on-failure -j$(NATIVE_JOBS)

sanitize: native-sanitize ## Run the sanitizer builds

BUILD_TARGETS += native-build
TEST_TARGETS += native-test native-sanitize
