# clojure/clojure.mk: the Clojure backend's targets, included by the top Makefile.
# Maven resolves Clojure and data.json (nothing else is needed on a fresh machine); the harness's
# shared JVM loads clojure/src from the classpath file written here.

CLOJURE_DIR := $(ROOT)/clojure
CLOJURE_BUILD := $(BUILD)/clojure
CLOJURE_CLASSPATH := $(BUILD)/jvm-classpath/clojure.txt
CLOJURE_MVN := mvn -q -B -Dstyle.color=never -f $(CLOJURE_DIR)/pom.xml

BUILD_TARGETS += clojure-build
TEST_TARGETS += clojure-test

.PHONY: clojure-build clojure-test clojure-bench

# One classpath entry per line: the sources first, then every dependency jar Maven resolved.
$(CLOJURE_CLASSPATH): clojure/pom.xml
	@mkdir -p $(CLOJURE_BUILD) $(dir $@)
	$(CLOJURE_MVN) dependency:build-classpath -Dmdep.outputFile=$(CLOJURE_BUILD)/dependencies.txt
	{ echo "$(CLOJURE_DIR)/src"; tr ':' '\n' < $(CLOJURE_BUILD)/dependencies.txt; } > $@.tmp
	mv $@.tmp $@

clojure-build: $(CLOJURE_CLASSPATH) ## Resolve the Clojure backend's jars and write its JVM classpath

clojure-test: clojure-build ## Run the Clojure unit tests and every vector (clojure.test via Maven)
	$(CLOJURE_MVN) clojure:test

clojure-bench: clojure-build ## Time the Clojure exact and fast summation paths at n = 1e3, 1e5, 1e7
	java -cp "$$(paste -sd: $(CLOJURE_CLASSPATH))" clojure.main -m regpen.bench
