// JMH benchmarks of the Java and Scala kernels: value, gradient and prox of L1 at n = 1e3, 1e5, 1e7,
// with the seed's left-to-right loop as the baseline for value.
package org.regpen.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.regpen.L1;
import org.regpen.Penalty;
import org.regpen.seed.SeedL1;

/** Average time per call; the arrays are made once per trial, outside the measurement. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PenaltyBench {
    @Param({"1000", "100000", "10000000"})
    public int n;

    private static final double LAMBDA = 0.01;
    private static final double STEP = 0.5;

    private double[] w;
    private Penalty java;
    private regpen.Penalty scala;

    @Setup(Level.Trial)
    public void setUp() {
        w = weights(n);
        java = new L1(LAMBDA);
        scala = regpen.L1$.MODULE$.apply(LAMBDA);
    }

    /** Weights like a model's: normally distributed, a fixed seed so every run sees the same data. */
    static double[] weights(int n) {
        SplittableRandom rng = new SplittableRandom(42);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            double v = rng.nextDouble();
            w[i] = Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
        }
        return w;
    }

    @Benchmark
    public double javaValue() {
        return java.value(w);
    }

    @Benchmark
    public double[] javaGradient() {
        return java.gradient(w);
    }

    @Benchmark
    public double[] javaProx() {
        return java.prox(w, STEP);
    }

    @Benchmark
    public double scalaValue() {
        return scala.value(w);
    }

    @Benchmark
    public double[] scalaGradient() {
        return scala.gradient(w);
    }

    @Benchmark
    public double[] scalaProx() {
        return scala.prox(w, STEP);
    }

    /** The seed's single-accumulator loop: fast but not correctly rounded, the cost baseline. */
    @Benchmark
    public double seedValue() {
        return SeedL1.l1Regularization(w, LAMBDA);
    }
}
