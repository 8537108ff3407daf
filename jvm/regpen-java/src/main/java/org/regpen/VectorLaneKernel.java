// The sums of L1 (Σ|w|), L2 (Σw²) and the loss (Σ(y − p)², residuals exact) with the Vector API (jdk.incubator.vector):
// the same TwoSum lanes as ExactSum's scalar kernels, one per vector element. Loaded only when the
// JVM has the module.
package org.regpen;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Two vectors of TwoSum lanes (16 lanes with AVX-512, 8 with AVX2). Every lane operation is the
 * same IEEE operation as in the scalar kernels (a square's error is one fused multiply-add, as
 * {@code Math.fma}), so the lanes hold exact error-free pairs and the shared bound in
 * {@link ExactSum} applies unchanged; the result stays correctly rounded (0 ULP).
 *
 * <p>The two loops differ only in the term they add: |w_i| for L1, and for L2 the square
 * {@code p = fl(w_i²)} whose error {@code fma(w_i, w_i, −p)} joins the compensation (Dot2). They are
 * written out twice because a shared loop with a term function would not compile to straight
 * vector code in C2; the lanes are stored inline too, since a vector passed to a call C2 does not
 * inline is boxed, which made both loops several times slower (measured).
 */
final class VectorLaneKernel implements ExactSum.LaneKernel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    @Override
    public int lanes() {
        return 2 * SPECIES.length();
    }

    @Override
    public void abs(double[] w, int from, int to, double[] s, double[] c, int at) {
        int width = SPECIES.length();
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector c0 = s0;
        DoubleVector c1 = s0;
        int i = from;
        for (; i <= to - 2 * width; i += 2 * width) {
            DoubleVector a = DoubleVector.fromArray(SPECIES, w, i).abs();
            DoubleVector t = s0.add(a);
            DoubleVector z = t.sub(s0);
            c0 = c0.add(s0.sub(t.sub(z)).add(a.sub(z)));
            s0 = t;
            DoubleVector b = DoubleVector.fromArray(SPECIES, w, i + width).abs();
            DoubleVector u = s1.add(b);
            DoubleVector y = u.sub(s1);
            c1 = c1.add(s1.sub(u.sub(y)).add(b.sub(y)));
            s1 = u;
        }
        s0.intoArray(s, at);
        s1.intoArray(s, at + width);
        c0.intoArray(c, at);
        c1.intoArray(c, at + width);
        // The tail goes into lane `at`, one TwoSum per element.
        for (; i < to; i++) {
            double a = Math.abs(w[i]);
            double t = s[at] + a;
            double z = t - s[at];
            c[at] += (s[at] - (t - z)) + (a - z);
            s[at] = t;
        }
    }

    @Override
    public void squares(double[] w, int from, int to, double[] s, double[] c, int at) {
        int width = SPECIES.length();
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector c0 = s0;
        DoubleVector c1 = s0;
        int i = from;
        for (; i <= to - 2 * width; i += 2 * width) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, w, i);
            DoubleVector a = x.mul(x);
            DoubleVector e = x.fma(x, a.neg());
            DoubleVector t = s0.add(a);
            DoubleVector z = t.sub(s0);
            c0 = c0.add(s0.sub(t.sub(z)).add(a.sub(z)).add(e));
            s0 = t;
            DoubleVector v = DoubleVector.fromArray(SPECIES, w, i + width);
            DoubleVector b = v.mul(v);
            DoubleVector f = v.fma(v, b.neg());
            DoubleVector u = s1.add(b);
            DoubleVector y = u.sub(s1);
            c1 = c1.add(s1.sub(u.sub(y)).add(b.sub(y)).add(f));
            s1 = u;
        }
        s0.intoArray(s, at);
        s1.intoArray(s, at + width);
        c0.intoArray(c, at);
        c1.intoArray(c, at + width);
        // The tail goes into lane `at`, one Dot2 step per element, as in ExactSum.squareSum.
        for (; i < to; i++) {
            double x = w[i];
            double p = x * x;
            double e = Math.fma(x, x, -p);
            double t = s[at] + p;
            double z = t - s[at];
            c[at] += ((s[at] - (t - z)) + (p - z)) + e;
            s[at] = t;
        }
    }

    @Override
    public void residualSquares(double[] y, double[] p, int from, int to, double[] s, double[] c, int at) {
        int width = SPECIES.length();
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector c0 = s0;
        DoubleVector c1 = s0;
        int i = from;
        for (; i <= to - 2 * width; i += 2 * width) {
            DoubleVector a = DoubleVector.fromArray(SPECIES, y, i);
            DoubleVector b = DoubleVector.fromArray(SPECIES, p, i);
            DoubleVector x = a.sub(b);
            DoubleVector bv = x.sub(a);
            DoubleVector xl = a.sub(x.sub(bv)).add(b.neg().sub(bv));
            DoubleVector q = x.mul(x);
            DoubleVector e = x.fma(x, q.neg()).add(xl.mul(x.add(x).add(xl)));
            DoubleVector t = s0.add(q);
            DoubleVector z = t.sub(s0);
            c0 = c0.add(s0.sub(t.sub(z)).add(q.sub(z)).add(e));
            s0 = t;
            DoubleVector a1 = DoubleVector.fromArray(SPECIES, y, i + width);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, p, i + width);
            DoubleVector x1 = a1.sub(b1);
            DoubleVector bv1 = x1.sub(a1);
            DoubleVector xl1 = a1.sub(x1.sub(bv1)).add(b1.neg().sub(bv1));
            DoubleVector q1 = x1.mul(x1);
            DoubleVector e1 = x1.fma(x1, q1.neg()).add(xl1.mul(x1.add(x1).add(xl1)));
            DoubleVector u = s1.add(q1);
            DoubleVector y1 = u.sub(s1);
            c1 = c1.add(s1.sub(u.sub(y1)).add(q1.sub(y1)).add(e1));
            s1 = u;
        }
        s0.intoArray(s, at);
        s1.intoArray(s, at + width);
        c0.intoArray(c, at);
        c1.intoArray(c, at + width);
        // The tail goes into lane `at`, one element at a time, as in ExactSum's scalar kernel.
        for (; i < to; i++) {
            double x = y[i] - p[i];
            double z = x - y[i];
            double xl = (y[i] - (x - z)) + (-p[i] - z);
            double q = x * x;
            double e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            double t = s[at] + q;
            z = t - s[at];
            c[at] += ((s[at] - (t - z)) + (q - z)) + e;
            s[at] = t;
        }
    }
}
