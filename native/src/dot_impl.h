// dot_impl.h - the Dot2 lane kernel, compiled once per ISA file (dot.cc portable, dot_fma.cc with
// FMA): TwoProduct by one fused multiply-add, TwoSum into kDotLanes independent lanes.
#ifndef REGPEN_DOT_IMPL_H
#define REGPEN_DOT_IMPL_H

#include <cmath>

#include "dot.h"

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
}

}  // namespace regpen::detail

#endif  // REGPEN_DOT_IMPL_H
