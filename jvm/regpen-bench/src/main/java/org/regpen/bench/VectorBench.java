// JMH benchmark of Java's L1 and L2 values with the Vector API kernels (the JVM gets
// jdk.incubator.vector); L1's runs beside PenaltyBench's scalar kernel, at the same sizes and data.
package org.regpen.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.regpen.L1;
import org.regpen.L2;
import org.regpen.Penalty;

@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-modules", "jdk.incubator.vector"})
public class VectorBench {
    @Param({"1000", "100000", "10000000"})
    public int n;

    private double[] w;
    private final Penalty java = new L1(0.01);
    private final Penalty javaL2 = new L2(0.01);

    @Setup
    public void setUp() {
        w = PenaltyBench.weights(n);
    }

    @Benchmark
    public double javaValueVector() {
        return java.value(w);
    }

    @Benchmark
    public double javaL2ValueVector() {
        return javaL2.value(w);
    }
}
