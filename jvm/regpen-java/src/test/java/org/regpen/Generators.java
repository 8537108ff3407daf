// SPEC §6.1's generated arrays, implemented here for the JUnit suite (the harness has its own).
package org.regpen;

import com.fasterxml.jackson.databind.JsonNode;

/** Expands {@code {"generator": name, "seed": s, "n": n}} into the array it stands for, bit for bit. */
final class Generators {
    private Generators() {}

    /** The i-th splitmix64 output for a seed (unsigned arithmetic mod 2^64 is Java's long arithmetic). */
    static long draw(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double[] doubles(JsonNode spec) {
        long[] bits = bits(spec, 64, 52, 1023, 53, 200);
        double[] out = new double[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.longBitsToDouble(bits[i]);
        }
        return out;
    }

    static float[] floats(JsonNode spec) {
        long[] bits = bits(spec, 32, 23, 127, 24, 60);
        float[] out = new float[bits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((int) bits[i]);
        }
        return out;
    }

    /** The elements' bit patterns for a format of this width, fraction bits m, bias and precision p. */
    private static long[] bits(JsonNode spec, int width, int m, int bias, int p, int wideK) {
        String name = spec.get("generator").asText();
        long seed = spec.get("seed").bigIntegerValue().longValue();
        int n = spec.get("n").asInt();
        long[] out = new long[n];
        switch (name) {
            case "unit", "wide" -> {
                int range = name.equals("unit") ? 8 : wideK;
                for (int i = 0; i < n; i++) {
                    long u = draw(seed, i);
                    long sign = u >>> 63;
                    long e = ((u >>> 52) & 2047) % (2L * range + 1) - range;
                    long f = u & ((1L << m) - 1);
                    out[i] = sign << (width - 1) | (e + bias) << m | f;
                }
            }
            case "tie_abs", "above_tie_abs" -> {
                int b = width == 64 ? 24 : 2;
                double[] magnitude = new double[n];
                long total = 0;
                for (int i = 1; i <= n - 2; i++) {
                    long k = 1 + (draw(seed, i) >>> (64 - b));
                    magnitude[i] = k;
                    total += k;
                }
                magnitude[0] = name.equals("tie_abs") ? 0.0 : 0x1p-40;
                magnitude[n - 1] = (double) ((1L << p) + 1 - total);
                for (int i = 0; i < n; i++) {
                    boolean negative = (draw(seed, i) & 1) == 1;
                    double x = negative ? -magnitude[i] : magnitude[i];
                    out[i] = width == 64 ? Double.doubleToRawLongBits(x) : Float.floatToRawIntBits((float) x) & 0xFFFFFFFFL;
                }
            }
            default -> throw new IllegalArgumentException("unknown generator " + name);
        }
        return out;
    }
}
