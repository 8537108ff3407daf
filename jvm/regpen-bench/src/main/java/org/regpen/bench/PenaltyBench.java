// JMH benchmarks of the Java and Scala kernels: value, gradient and prox of L1, the loss with L1,
// and ElasticNet's value (both sums, one rounding) at n = 1e3, 1e5, 1e7, with the seed's
// left-to-right loop as the baseline for value.
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
import org.regpen.ElasticNet;
import org.regpen.L1;
import org.regpen.Loss;
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
    private double[] predicted;
    private Penalty java;
    private Penalty javaElasticNet;
    private regpen.Penalty scala;
    private regpen.Penalty scalaElasticNet;

    @Setup(Level.Trial)
    public void setUp() {
        w = weights(n);
        predicted = new double[n];
        java = new L1(LAMBDA);
        javaElasticNet = new ElasticNet(LAMBDA, LAMBDA);
        scala = regpen.L1$.MODULE$.apply(LAMBDA);
        scalaElasticNet = regpen.ElasticNet$.MODULE$.apply(LAMBDA, LAMBDA);
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
    public double javaElasticNetValue() {
        return javaElasticNet.value(w);
    }

    /** The loss of w against zero predictions, with w as the (same-length) weights. */
    @Benchmark
    public double javaLoss() {
        return Loss.computeLoss(w, predicted, w, java);
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
    public double scalaElasticNetValue() {
        return scalaElasticNet.value(w);
    }

    @Benchmark
    public double scalaLoss() {
        return regpen.Loss$.MODULE$.computeLoss(w, predicted, w, scala);
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
