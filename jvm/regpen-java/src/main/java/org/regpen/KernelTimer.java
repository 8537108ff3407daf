// In-JVM timing of one operation, so benchmarks compare kernels without the cost of the bridge.
package org.regpen;

import java.util.Arrays;

/**
 * Runs an operation {@code repeats} times on a prepared array and returns the median seconds per
 * call. Used by the conformance harness's benchmark through JPype.
 */
public final class KernelTimer {
    private KernelTimer() {}

    /**
     * Warm-up before timing: long enough for C2 to compile the kernel, even at n = 1e3. The Vector
     * API kernels need the longest: before C2 compiles them their vector operations are not
     * intrinsified, and Σw² at n = 1e5 took about 18 ms a call, so 300 ms were too few calls.
     */
    private static final long WARMUP_NANOS = 1_000_000_000L;

    /** A result the JIT cannot prove unused. */
    private static volatile double sink;

    public static double time(String operation, Penalty penalty, double[] w, double step, int repeats) {
        Runnable op = switch (operation) {
            case "value" -> () -> sink = penalty.value(w);
            case "gradient" -> () -> sink = penalty.gradient(w)[0];
            case "prox" -> () -> sink = penalty.prox(w, step)[0];
            default -> throw new IllegalArgumentException("cannot time " + operation);
        };
        return median(op, repeats);
    }

    public static double time(String operation, Penalty penalty, float[] w, double step, int repeats) {
        Runnable op = switch (operation) {
            case "value" -> () -> sink = penalty.value(w);
            case "gradient" -> () -> sink = penalty.gradient(w)[0];
            case "prox" -> () -> sink = penalty.prox(w, step)[0];
            default -> throw new IllegalArgumentException("cannot time " + operation);
        };
        return median(op, repeats);
    }

    private static double median(Runnable op, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1");
        }
        // Untimed calls first, so that the measured ones run compiled code on warm caches.
        long deadline = System.nanoTime() + WARMUP_NANOS;
        for (int calls = 0; calls < 3 || System.nanoTime() < deadline; calls++) {
            op.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            op.run();
            seconds[i] = (System.nanoTime() - start) * 1e-9;
        }
        Arrays.sort(seconds);
        return repeats % 2 == 1 ? seconds[repeats / 2] : 0.5 * (seconds[repeats / 2 - 1] + seconds[repeats / 2]);
    }
}
