// L1's correctly rounded sum with the Vector API (jdk.incubator.vector): the same TwoSum lanes as
// ExactSum.absLanes, one per vector element. Loaded only when the JVM has the module.
package org.regpen;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Two vectors of TwoSum lanes (16 lanes with AVX-512, 8 with AVX2). Every lane operation is the
 * same IEEE addition as in the scalar kernel, so the lanes hold exact error-free pairs and the
 * shared bound in {@link ExactSum} applies unchanged; the result stays correctly rounded (0 ULP).
 */
final class VectorAbsKernel implements ExactSum.AbsKernel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    @Override
    public int lanes() {
        return 2 * SPECIES.length();
    }

    @Override
    public void sum(double[] w, int from, int to, double[] s, double[] c, int at) {
        int width = SPECIES.length();
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector c0 = s0;
        DoubleVector c1 = s0;
        int i = from;
        for (; i + 2 * width <= to; i += 2 * width) {
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
}
