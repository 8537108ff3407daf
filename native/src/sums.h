// sums.h - correctly rounded reductions and the scalar results built on them (spec 2.0: the exact
// value rounded once): the fast Sum2 path with its proven bound, the double-double arithmetic
// and rounding test of the scaled results, and the exact fallback they defer to.
#ifndef REGPEN_SUMS_H
#define REGPEN_SUMS_H

#include <cstddef>

#include "kernels.h"
#include "regpen.h"

namespace regpen::detail {

// An approximation of an exact non-negative real X: |X - (hi + lo)| <= err.
struct Approx {
  double hi = 0.0;
  double lo = 0.0;
  double err = 0.0;
};

// The penalty part of a scalar result: c1 * sum f_i |w_i| (when abs) + c2 * sum f_i w_i^2 (when
// square), with c1, c2 and the factors already rounded to the working format (binary64 values;
// a binary32 coefficient may be +inf). factor_max bounds the factors (0 without them).
struct Terms {
  bool abs;
  bool square;
  double c1;
  double c2;
  const double* factors;
  double factor_max;
};

// The Terms of a (checked) penalty in the working format T: parameters with -0 stored as +0, then
// rounded once to T (a binary32 parameter may become +inf); factor_max bounds the factors.
template <class T>
Terms terms_for(const regpen_penalty* p, double factor_max);

// RN_T(c1 * S1 + c2 * S2) with the special values of spec 2.0 A, decided per product.
template <class T>
T value_result(const Kernels& k, const Terms& t, const T* w, size_t n, ptrdiff_t stride);

// RN_T(sum (y_i - p_i)^2 / n + c1 * S1 + c2 * S2): exact residuals, n the exact count (n > 0).
template <class T>
T loss_result(const Kernels& k, const Terms& t, const T* y, ptrdiff_t ys, const T* q,
              ptrdiff_t qs, size_t n, const T* w, size_t nw, ptrdiff_t ws);

// The exact path alone for value_result and loss_result (the tests' second opinion).
template <class T>
T exact_value_result(const Terms& t, const T* w, size_t n, ptrdiff_t stride);
template <class T>
T exact_loss_result(const Terms& t, const T* y, ptrdiff_t ys, const T* q, ptrdiff_t qs, size_t n,
                    const T* w, size_t nw, ptrdiff_t ws);

// Combines the lanes into hi + lo with the proven bound of native/DESIGN.md (absolute_error
// bounds what the relative Sum2 analysis does not cover: TwoProd errors lost to underflow);
// false when a lane is not finite (NaN or infinity seen, or an overflow).
bool lane_approx(const LaneSums& sums, double absolute_error, Approx* out);

// True with RN_T(X) in *out when the bound proves the rounding (a zero approximation with a zero
// bound is an exact +0); false when the exact path must decide (near a rounding boundary, or a
// result close to underflow or overflow).
template <class T>
bool round_approx(const Approx& a, T* out);

// lane_approx then round_approx: RN_T of the lanes' exact sum.
template <class T>
bool finish_sum(const LaneSums& sums, double absolute_error, T* out);

// RN_T(sum of f_i * |w_i|) and/or RN_T(sum of f_i * w_i^2) over a strided array (the spec-1.0
// sums: the tests' second opinion on the lanes and the bench's baseline). A null abs_sum or
// square_sum is not computed.
template <class T>
void weight_sums(const Kernels& k, const T* w, size_t n, ptrdiff_t stride, const double* factors,
                 double factor_max, T* abs_sum, T* square_sum);

// The same sums by the exact path alone.
template <class T>
void exact_weight_sums(const T* w, size_t n, ptrdiff_t stride, const double* factors, T* abs_sum,
                       T* square_sum);

// RN_T(sum of fl_T(y_i - p_i)^2): spec 1.0's SSE with rounded residuals, kept only as the bench's
// baseline for the speed of the loss.
template <class T>
T rounded_residual_square_sum(const Kernels& k, const T* y, ptrdiff_t y_stride, const T* p,
                              ptrdiff_t p_stride, size_t n);

}  // namespace regpen::detail

#endif  // REGPEN_SUMS_H
