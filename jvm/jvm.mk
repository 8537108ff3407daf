# The Java and Scala backends (jvm/): build, test and benchmark targets, included by the top Makefile.
# jvm-build packages the modules and writes the classpath the harness's shared JVM starts with.

JVM_POM := $(ROOT)/jvm/pom.xml
JVM_MVN := mvn -B -f $(JVM_POM)
JVM_CLASSPATH := $(BUILD)/jvm-classpath/jvm.txt
JVM_SOURCES := $(shell find $(ROOT)/jvm -path '*/target' -prune -o -type f \( -name '*.java' -o -name '*.scala' -o -name 'pom.xml' \) -print 2>/dev/null)
JVM_MODULES := regpen-java regpen-scala
# Short JMH runs: one fork, few one-second iterations, so `make bench` stays within minutes.
JMH_OPTS ?= -f 1 -wi 2 -i 3 -w 1s -r 1s

BUILD_TARGETS += jvm-build
TEST_TARGETS += jvm-test
BENCH_TARGETS += jvm-bench

.PHONY: jvm-tools jvm-build jvm-test jvm-bench

jvm-tools: ## Install a JDK and Maven from Debian when the machine lacks them
	@command -v mvn >/dev/null && command -v javac >/dev/null || \
		(apt-get update -q && apt-get install -y -q openjdk-17-jdk-headless maven)

# The classpath file is the build's stamp: it is rewritten only after a successful package, one
# entry per line (the module jars, then their runtime dependencies).
$(JVM_CLASSPATH): $(JVM_SOURCES) | jvm-tools
	$(JVM_MVN) -q package -DskipTests
	$(JVM_MVN) -q -pl regpen-java,regpen-scala dependency:build-classpath \
		-DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
	@mkdir -p $(dir $@)
	@{ for m in $(JVM_MODULES); do \
		echo $(ROOT)/jvm/$$m/target/$$m-1.0.0.jar; \
		tr ':' '\n' < $(ROOT)/jvm/$$m/target/runtime-classpath.txt; echo; \
	done; } | grep -v '^$$' | awk '!seen[$$0]++' > $@.tmp
	@mv $@.tmp $@

jvm-build: $(JVM_CLASSPATH) ## Build the Java and Scala backends (Maven) and write their harness classpath

jvm-test: jvm-tools ## Run the Java (JUnit 5) and Scala (MUnit) suites, vectors included
	$(JVM_MVN) test

jvm-bench: jvm-build ## Run the JMH benchmarks briefly; results in reports/jmh.json
	@mkdir -p $(REPORTS)
	java -jar $(ROOT)/jvm/regpen-bench/target/benchmarks.jar $(JMH_OPTS) -rf json -rff $(REPORTS)/jmh.json
