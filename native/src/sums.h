// sums.h - correctly rounded reductions: the fast Sum2 path with its proven bound, and the exact
// fallback it defers to when the bound cannot decide the rounding.
#ifndef REGPEN_SUMS_H
#define REGPEN_SUMS_H

#include <cstddef>

#include "kernels.h"

namespace regpen::detail {

// Combines the lanes and returns true with RN_T of the exact sum in *out when the error bound
// proves the rounding; false when the exact path must decide (near a rounding boundary, NaN or
// infinity seen, a result close to underflow or overflow). absolute_error bounds any error not
// covered by the relative Sum2 analysis (the TwoProd errors lost to underflow).
template <class T>
bool finish_sum(const LaneSums& sums, double absolute_error, T* out);

// RN_T(sum of f_i * |w_i|) and/or RN_T(sum of f_i * w_i^2) over a strided array, with the special
// values of spec section 2. factors may be null (all ones); factor_max bounds them (it scales the
// underflow part of the error bound). A null abs_sum or square_sum is not computed.
template <class T>
void weight_sums(const Kernels& k, const T* w, size_t n, ptrdiff_t stride, const double* factors,
                 double factor_max, T* abs_sum, T* square_sum);

// RN_T(sum of r_i^2) with r_i = fl(y_i - p_i), the SSE of the loss.
template <class T>
T residual_square_sum(const Kernels& k, const T* y, ptrdiff_t y_stride, const T* p,
                      ptrdiff_t p_stride, size_t n);

// The exact path alone (also used by the tests as a second opinion on the fast path).
template <class T>
void exact_weight_sums(const T* w, size_t n, ptrdiff_t stride, const double* factors, T* abs_sum,
                       T* square_sum);

}  // namespace regpen::detail

#endif  // REGPEN_SUMS_H
