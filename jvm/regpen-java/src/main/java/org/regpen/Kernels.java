// The elementwise steps of SPEC §3 (gradient, prox) and the shared argument checks.
package org.regpen;

import java.util.Objects;

/**
 * Elementwise kernels. Each line is one named IEEE operation of the spec, in the spec's order, in
 * the working format of the array (Java never fuses or widens float arithmetic on its own).
 */
final class Kernels {
    private Kernels() {}

    static void check(double[] w, PenaltyFactor f) {
        Objects.requireNonNull(w, "w");
        if (f != null) {
            f.checkLength(w.length);
        }
    }

    static void check(float[] w, PenaltyFactor f) {
        Objects.requireNonNull(w, "w");
        if (f != null) {
            f.checkLength(w.length);
        }
    }

    static void checkStep(double step) {
        if (!Double.isFinite(step) || step < 0.0) {
            throw new RegpenException(ErrorCode.INVALID_STEP, "step must be finite and >= 0, got " + step);
        }
    }

    /**
     * sign(w)·c: c for w > 0, −c for w < 0, +0 for ±0, NaN for NaN. With c ≥ 0 (or NaN) −c is
     * copySign(c, w), which avoids a branch on the sign of w that random weights would mispredict.
     */
    private static double sign(double w, double c) {
        if (w == 0.0) {
            return 0.0;
        }
        return Double.isNaN(w) ? Double.NaN : Math.copySign(c, w);
    }

    private static float sign(float w, float c) {
        if (w == 0.0f) {
            return 0.0f;
        }
        return Float.isNaN(w) ? Float.NaN : Math.copySign(c, w);
    }

    /** g = L1 gradient with c_i = fl(lam × f_i); with {@code add}, g = fl(g + L1 gradient). */
    static void l1Gradient(double[] w, double lam, PenaltyFactor f, double[] g, boolean add) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < w.length; i++) {
            double c = fv == null ? lam : lam * fv[i];
            double a = sign(w[i], c);
            g[i] = add ? g[i] + a : a;
        }
    }

    static void l1Gradient(float[] w, float lam, PenaltyFactor f, float[] g, boolean add) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < w.length; i++) {
            float c = fv == null ? lam : lam * fv[i];
            float a = sign(w[i], c);
            g[i] = add ? g[i] + a : a;
        }
    }

    /** g = fl(c_i × w_i) with c = fl(2 × lam) given and c_i = fl(c × f_i). */
    static void l2Gradient(double[] w, double c, PenaltyFactor f, double[] g) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < w.length; i++) {
            double ci = fv == null ? c : c * fv[i];
            g[i] = ci * w[i];
        }
    }

    static void l2Gradient(float[] w, float c, PenaltyFactor f, float[] g) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < w.length; i++) {
            float ci = fv == null ? c : c * fv[i];
            g[i] = ci * w[i];
        }
    }

    /** dst = soft threshold of src with t_i = fl(t × f_i), t = fl(step × lam) given. */
    static void softThreshold(double[] src, double[] dst, double t, PenaltyFactor f) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < src.length; i++) {
            double ti = fv == null ? t : t * fv[i];
            double x = src[i];
            double d = Math.abs(x) - ti;
            dst[i] = d > 0.0 ? Math.copySign(d, x) : Double.isNaN(d) ? d : Math.copySign(0.0, x);
        }
    }

    static void softThreshold(float[] src, float[] dst, float t, PenaltyFactor f) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < src.length; i++) {
            float ti = fv == null ? t : t * fv[i];
            float x = src[i];
            float d = Math.abs(x) - ti;
            dst[i] = d > 0.0f ? Math.copySign(d, x) : Float.isNaN(d) ? d : Math.copySign(0.0f, x);
        }
    }

    /** dst_i = fl(src_i / fl(1 + k_i)), k_i = fl(k × f_i), k = fl(step × fl(2 × lam)) given. */
    static void shrink(double[] src, double[] dst, double k, PenaltyFactor f) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < src.length; i++) {
            double ki = fv == null ? k : k * fv[i];
            dst[i] = src[i] / (1.0 + ki);
        }
    }

    static void shrink(float[] src, float[] dst, float k, PenaltyFactor f) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < src.length; i++) {
            float ki = fv == null ? k : k * fv[i];
            dst[i] = src[i] / (1.0f + ki);
        }
    }
}
