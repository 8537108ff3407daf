// The elementwise steps of SPEC §3 (gradient, prox) and the shared argument checks.
package org.regpen;

/**
 * Elementwise kernels. Each line is one named IEEE operation of the spec, in the spec's order, in
 * the working format of the array (Java never fuses or widens float arithmetic on its own). Every
 * stored element passes through {@code canonical}, so no NaN sign or payload reaches the caller.
 */
final class Kernels {
    private Kernels() {}

    /** The positive quiet NaN for any NaN (SPEC 2.0 §B: x86 makes 0xfff8… for 0·∞, and NaN inputs keep their payload). */
    private static double canonical(double x) {
        return x != x ? Double.NaN : x;
    }

    private static float canonical(float x) {
        return x != x ? Float.NaN : x;
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

    /** g = L1 gradient with c_i = fl(lam × f_i). */
    static void l1Gradient(double[] w, double lam, PenaltyFactor f, double[] g) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < w.length; i++) {
            g[i] = canonical(sign(w[i], fv == null ? lam : lam * fv[i]));
        }
    }

    static void l1Gradient(float[] w, float lam, PenaltyFactor f, float[] g) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < w.length; i++) {
            g[i] = canonical(sign(w[i], fv == null ? lam : lam * fv[i]));
        }
    }

    /** g = fl(g + L1 gradient), the elastic net's second part. */
    static void addL1Gradient(double[] w, double lam, PenaltyFactor f, double[] g) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < w.length; i++) {
            g[i] = canonical(g[i] + sign(w[i], fv == null ? lam : lam * fv[i]));
        }
    }

    static void addL1Gradient(float[] w, float lam, PenaltyFactor f, float[] g) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < w.length; i++) {
            g[i] = canonical(g[i] + sign(w[i], fv == null ? lam : lam * fv[i]));
        }
    }

    /** g = fl(c_i × w_i) with c = fl(2 × lam) given and c_i = fl(c × f_i). */
    static void l2Gradient(double[] w, double c, PenaltyFactor f, double[] g) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < w.length; i++) {
            double ci = fv == null ? c : c * fv[i];
            g[i] = canonical(ci * w[i]);
        }
    }

    static void l2Gradient(float[] w, float c, PenaltyFactor f, float[] g) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < w.length; i++) {
            float ci = fv == null ? c : c * fv[i];
            g[i] = canonical(ci * w[i]);
        }
    }

    /** dst = soft threshold of src with t_i = fl(t × f_i), t = fl(step × lam) given. */
    static void softThreshold(double[] src, double[] dst, double t, PenaltyFactor f) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < src.length; i++) {
            double ti = fv == null ? t : t * fv[i];
            double x = src[i];
            double d = Math.abs(x) - ti;
            dst[i] = d > 0.0 ? Math.copySign(d, x) : Double.isNaN(d) ? Double.NaN : Math.copySign(0.0, x);
        }
    }

    static void softThreshold(float[] src, float[] dst, float t, PenaltyFactor f) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < src.length; i++) {
            float ti = fv == null ? t : t * fv[i];
            float x = src[i];
            float d = Math.abs(x) - ti;
            dst[i] = d > 0.0f ? Math.copySign(d, x) : Float.isNaN(d) ? Float.NaN : Math.copySign(0.0f, x);
        }
    }

    /** dst_i = fl(src_i / fl(1 + k_i)), k_i = fl(k × f_i), k = fl(step × fl(2 × lam)) given. */
    static void shrink(double[] src, double[] dst, double k, PenaltyFactor f) {
        double[] fv = f == null ? null : f.values();
        for (int i = 0; i < src.length; i++) {
            double ki = fv == null ? k : k * fv[i];
            dst[i] = canonical(src[i] / (1.0 + ki));
        }
    }

    static void shrink(float[] src, float[] dst, float k, PenaltyFactor f) {
        float[] fv = f == null ? null : f.values32();
        for (int i = 0; i < src.length; i++) {
            float ki = fv == null ? k : k * fv[i];
            dst[i] = canonical(src[i] / (1.0f + ki));
        }
    }
}
