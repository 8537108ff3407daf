// dot_impl.h - the Dot2 lane kernel, compiled once per ISA file (dot.cc portable, dot_fma.cc with
// FMA): TwoProduct by one fused multiply-add, TwoSum into kDotLanes independent lanes.
#ifndef REGPEN_DOT_IMPL_H
#define REGPEN_DOT_IMPL_H

#include <cmath>

#include "dot.h"
#include "sums.h"

namespace regpen::detail {

inline void dot_lanes_impl(const double* a, const double* b, size_t n, DotLanes* out) {
  double s[kDotLanes] = {}, c[kDotLanes] = {}, t[kDotLanes] = {};
  size_t i = 0;
  for (; i + kDotLanes <= n; i += kDotLanes) {
    for (int k = 0; k < kDotLanes; ++k) {
      const double p = a[i + k] * b[i + k];
      const double e = std::fma(a[i + k], b[i + k], -p);  // a*b - p, exact unless it underflows
      const double x = s[k] + p;                             // TwoSum(s, p) = (x, q), exact
      const double bb = x - s[k];
      const double q = (s[k] - (x - bb)) + (p - bb);
      s[k] = x;
      c[k] = c[k] + (q + e);
      t[k] = t[k] + std::fabs(p);
    }
  }
  for (int k = 0; i < n; ++i, ++k) {
    const double p = a[i] * b[i];
    const double e = std::fma(a[i], b[i], -p);
    const double x = s[k] + p;
    const double bb = x - s[k];
    const double q = (s[k] - (x - bb)) + (p - bb);
    s[k] = x;
    c[k] = c[k] + (q + e);
    t[k] = t[k] + std::fabs(p);
  }
  for (int k = 0; k < kDotLanes; ++k) {
    out->s[k] = s[k];
    out->c[k] = c[k];
    out->t[k] = t[k];
  }
  out->lanes = kDotLanes;
}

inline void two_sum_exact(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

// The Dot2 approximation of X = sum a_i b_i + ea eb: |X - (hi + lo)| <= err, hi = fl(hi + lo);
// false when a lane is not finite (an overflow, or inputs beyond the fast path). Proof of the
// bound: native/DESIGN.md, "Signed dot products".
template <void (*Lanes)(const double*, const double*, size_t, DotLanes*)>
inline bool dot_approx_impl(const double* a, const double* b, size_t n, double ea, double eb,
                            Approx* out) {
  DotLanes l;
  Lanes(a, b, n, &l);
  double spread = 0.0, total = 0.0;
  for (int k = 0; k < l.lanes; ++k) {
    spread += std::fabs(l.c[k]);
    total += l.t[k];
  }
  // The lanes' sums meet in a tree of TwoSums (exact); every c and TwoSum error is one term of
  // the final plain sum, whose error the bound's spread term covers whatever the order.
  for (int w = l.lanes / 2; w >= 1; w /= 2) {
    for (int k = 0; k < w; ++k) {
      double e;
      two_sum_exact(l.s[k], l.s[k + w], l.s[k], e);
      l.c[k] = l.c[k] + (l.c[k + w] + e);
      spread += std::fabs(e);
    }
  }
  const double xp = ea * eb;
  const double xe = std::fma(ea, eb, -xp);  // the extra product's exact error
  double hi, e;
  two_sum_exact(l.s[0], xp, hi, e);
  double lo = l.c[0] + (xe + e);
  spread += std::fabs(xe) + std::fabs(e);
  total += std::fabs(xp);
  if (!std::isfinite(hi) || !std::isfinite(lo) || !std::isfinite(spread) || !std::isfinite(total))
    return false;
  constexpr double kU = 0x1p-53;
  const double m = static_cast<double>(n / static_cast<size_t>(l.lanes) + 2);
  const double bound = 3.0 * (m * m) * total * kU * kU +
                       2.0 * (2.0 * l.lanes + 4.0) * kU * spread +
                       (static_cast<double>(n) + 8.0) * 0x1p-1074;
  two_sum_exact(hi, lo, hi, lo);
  *out = Approx{hi, lo, bound};
  return true;
}

}  // namespace regpen::detail

#endif  // REGPEN_DOT_IMPL_H
