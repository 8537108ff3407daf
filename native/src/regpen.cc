// regpen.cc - the C ABI of regpen.h: argument checks in the spec's order, then the spec's steps
// around the correctly rounded reductions (sums.cc) and the elementwise kernels (kernels_*.cc).
//
// Nothing here throws (a thread that cannot start is replaced by running its work inline); every
// entry point is noexcept, so no C++ exception can cross the extern "C" boundary.
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "parallel.h"
#include "regpen.h"
#include "sums.h"

namespace regpen::detail {
namespace {

bool valid_parameter(double p) { return std::isfinite(p) && p >= 0.0; }

// Kind, parameters and factors, in the order of spec section 4; *factor_max receives the largest
// factor (0 without factors).
int check_penalty(const regpen_penalty* p, double* factor_max = nullptr) {
  if (p == nullptr) return REGPEN_E_INVALID_ARGUMENT;
  switch (p->kind) {
    case REGPEN_L1:
      if (!valid_parameter(p->l1)) return REGPEN_E_INVALID_LAMBDA;
      break;
    case REGPEN_L2:
      if (!valid_parameter(p->l2)) return REGPEN_E_INVALID_LAMBDA;
      break;
    case REGPEN_ELASTIC_NET:
      if (!valid_parameter(p->l1) || !valid_parameter(p->l2)) return REGPEN_E_INVALID_LAMBDA;
      break;
    default:
      return REGPEN_E_INVALID_ARGUMENT;
  }
  if (p->penalty_factor == nullptr) {
    if (p->factor_len != 0) return REGPEN_E_INVALID_ARGUMENT;
  } else {
    double largest = 0.0;
    for (size_t i = 0; i < p->factor_len; ++i) {
      const double f = p->penalty_factor[i];
      if (!valid_parameter(f)) return REGPEN_E_INVALID_PENALTY_FACTOR;
      largest = f > largest ? f : largest;
    }
    if (factor_max != nullptr) *factor_max = largest;
  }
  return REGPEN_OK;
}

// A strided array is usable when it has data for n > 0 and (n - 1) * stride fits a ptrdiff_t.
template <class T>
bool valid_array(const T* data, size_t n, ptrdiff_t stride) {
  if (stride == 0) return false;
  if (n == 0) return true;
  if (data == nullptr) return false;
  const uint64_t magnitude = stride < 0 ? uint64_t(0) - uint64_t(stride) : uint64_t(stride);
  return (n - 1) <= uint64_t(PTRDIFF_MAX) / magnitude;
}

bool factors_match(const regpen_penalty* p, size_t n) {
  return p->penalty_factor == nullptr || p->factor_len == n;
}

// A stored parameter: -0 becomes +0 (spec section 1), then one rounding to the working format.
template <class T>
T parameter(double p) {
  return static_cast<T>(p + 0.0);
}

template <class T>
T value_of(const regpen_penalty* p, double factor_max, const T* w, size_t n, ptrdiff_t stride) {
  const Kernels& k = active_kernels();
  const double* f = p->penalty_factor;
  T s1 = 0, s2 = 0;
  switch (p->kind) {
    case REGPEN_L1:
      weight_sums<T>(k, w, n, stride, f, factor_max, &s1, nullptr);
      return parameter<T>(p->l1) * s1;
    case REGPEN_L2:
      weight_sums<T>(k, w, n, stride, f, factor_max, nullptr, &s2);
      return parameter<T>(p->l2) * s2;
    default:
      weight_sums<T>(k, w, n, stride, f, factor_max, &s1, &s2);
      return T(parameter<T>(p->l1) * s1) + T(parameter<T>(p->l2) * s2);
  }
}

template <class T>
int value(const regpen_penalty* p, const T* w, size_t n, ptrdiff_t stride, T* out) noexcept {
  double factor_max = 0.0;
  if (int status = check_penalty(p, &factor_max)) return status;
  if (out == nullptr || !valid_array(w, n, stride)) return REGPEN_E_INVALID_ARGUMENT;
  if (!factors_match(p, n)) return REGPEN_E_SHAPE_MISMATCH;
  *out = value_of(p, factor_max, w, n, stride);
  return REGPEN_OK;
}

// Runs an elementwise kernel, gathering strided input into contiguous blocks.
template <class T>
void elementwise(ElementKernel<T> kernel, const ElementCoefficients<T>& c, const T* w, size_t n,
                 ptrdiff_t stride, const double* f, T* out) {
  if (stride == 1) {
    if (worth_a_thread(n)) {
      const size_t half = n / 2;
      run_two([&] { kernel(c, w, f, half, out); },
              [&] { kernel(c, w + half, f == nullptr ? nullptr : f + half, n - half, out + half); });
    } else {
      kernel(c, w, f, n, out);
    }
    return;
  }
  constexpr size_t kChunk = 2048;
  T buffer[kChunk];
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t m = n - start < kChunk ? n - start : kChunk;
    for (size_t i = 0; i < m; ++i) buffer[i] = w[static_cast<ptrdiff_t>(start + i) * stride];
    kernel(c, buffer, f == nullptr ? nullptr : f + start, m, out + start);
  }
}

template <class T>
ElementKernel<T> gradient_kernel(const Kernels& k) {
  if constexpr (sizeof(T) == sizeof(double)) {
    return k.gradient_f64;
  } else {
    return k.gradient_f32;
  }
}

template <class T>
ElementKernel<T> prox_kernel(const Kernels& k) {
  if constexpr (sizeof(T) == sizeof(double)) {
    return k.prox_f64;
  } else {
    return k.prox_f32;
  }
}

template <class T>
int gradient(const regpen_penalty* p, const T* w, size_t n, ptrdiff_t stride, T* out) noexcept {
  if (int status = check_penalty(p)) return status;
  if ((out == nullptr && n > 0) || !valid_array(w, n, stride)) return REGPEN_E_INVALID_ARGUMENT;
  if (!factors_match(p, n)) return REGPEN_E_SHAPE_MISMATCH;
  // a = lam of the L1 part; b = fl(2 * lam) of the L2 part.
  const ElementCoefficients<T> c{p->kind, parameter<T>(p->l1), T(T(2) * parameter<T>(p->l2))};
  elementwise(gradient_kernel<T>(active_kernels()), c, w, n, stride, p->penalty_factor, out);
  return REGPEN_OK;
}

template <class T>
int prox(const regpen_penalty* p, const T* w, size_t n, ptrdiff_t stride, double step,
         T* out) noexcept {
  if (int status = check_penalty(p)) return status;
  if (!valid_parameter(step)) return REGPEN_E_INVALID_STEP;
  if ((out == nullptr && n > 0) || !valid_array(w, n, stride)) return REGPEN_E_INVALID_ARGUMENT;
  if (!factors_match(p, n)) return REGPEN_E_SHAPE_MISMATCH;
  const T s = parameter<T>(step);
  // a = t = fl(step * lam) of the L1 part; b = k = fl(step * fl(2 * lam)) of the L2 part.
  const ElementCoefficients<T> c{p->kind, T(s * parameter<T>(p->l1)),
                                 T(s * T(T(2) * parameter<T>(p->l2)))};
  elementwise(prox_kernel<T>(active_kernels()), c, w, n, stride, p->penalty_factor, out);
  return REGPEN_OK;
}

template <class T>
int loss(const regpen_penalty* p, const T* y, size_t n_true, ptrdiff_t stride_true, const T* q,
         size_t n_pred, ptrdiff_t stride_pred, const T* w, size_t n_w, ptrdiff_t stride_w,
         T* out) noexcept {
  double factor_max = 0.0;
  if (int status = check_penalty(p, &factor_max)) return status;
  if (out == nullptr || !valid_array(y, n_true, stride_true) ||
      !valid_array(q, n_pred, stride_pred) || !valid_array(w, n_w, stride_w))
    return REGPEN_E_INVALID_ARGUMENT;
  if (n_true != n_pred || !factors_match(p, n_w)) return REGPEN_E_SHAPE_MISMATCH;
  if (n_true == 0) return REGPEN_E_EMPTY_INPUT;
  const T sse = residual_square_sum<T>(active_kernels(), y, stride_true, q, stride_pred, n_true);
  const T mse = sse / static_cast<T>(n_true);
  *out = mse + value_of(p, factor_max, w, n_w, stride_w);
  return REGPEN_OK;
}

}  // namespace
}  // namespace regpen::detail

using namespace regpen::detail;

extern "C" {

REGPEN_API const char* regpen_version(void) { return REGPEN_VERSION; }

REGPEN_API const char* regpen_strerror(int status) {
  switch (status) {
    case REGPEN_OK: return "ok";
    case REGPEN_E_INVALID_LAMBDA: return "invalid_lambda";
    case REGPEN_E_INVALID_STEP: return "invalid_step";
    case REGPEN_E_SHAPE_MISMATCH: return "shape_mismatch";
    case REGPEN_E_EMPTY_INPUT: return "empty_input";
    case REGPEN_E_INVALID_DTYPE: return "invalid_dtype";
    case REGPEN_E_INVALID_PENALTY_FACTOR: return "invalid_penalty_factor";
    case REGPEN_E_INVALID_CONFIG: return "invalid_config";
    case REGPEN_E_INVALID_ARGUMENT: return "invalid_argument";
    default: return "unknown";
  }
}

REGPEN_API int regpen_validate_penalty(const regpen_penalty* penalty) {
  return check_penalty(penalty);
}

REGPEN_API int regpen_value_f64(const regpen_penalty* p, const double* w, size_t n,
                                ptrdiff_t stride, double* out) {
  return value(p, w, n, stride, out);
}
REGPEN_API int regpen_value_f32(const regpen_penalty* p, const float* w, size_t n,
                                ptrdiff_t stride, float* out) {
  return value(p, w, n, stride, out);
}

REGPEN_API int regpen_gradient_f64(const regpen_penalty* p, const double* w, size_t n,
                                   ptrdiff_t stride, double* out) {
  return gradient(p, w, n, stride, out);
}
REGPEN_API int regpen_gradient_f32(const regpen_penalty* p, const float* w, size_t n,
                                   ptrdiff_t stride, float* out) {
  return gradient(p, w, n, stride, out);
}

REGPEN_API int regpen_prox_f64(const regpen_penalty* p, const double* w, size_t n,
                               ptrdiff_t stride, double step, double* out) {
  return prox(p, w, n, stride, step, out);
}
REGPEN_API int regpen_prox_f32(const regpen_penalty* p, const float* w, size_t n,
                               ptrdiff_t stride, double step, float* out) {
  return prox(p, w, n, stride, step, out);
}

REGPEN_API int regpen_loss_f64(const regpen_penalty* p, const double* y_true, size_t n_true,
                               ptrdiff_t stride_true, const double* y_pred, size_t n_pred,
                               ptrdiff_t stride_pred, const double* w, size_t n_w,
                               ptrdiff_t stride_w, double* out) {
  return loss(p, y_true, n_true, stride_true, y_pred, n_pred, stride_pred, w, n_w, stride_w, out);
}
REGPEN_API int regpen_loss_f32(const regpen_penalty* p, const float* y_true, size_t n_true,
                               ptrdiff_t stride_true, const float* y_pred, size_t n_pred,
                               ptrdiff_t stride_pred, const float* w, size_t n_w,
                               ptrdiff_t stride_w, float* out) {
  return loss(p, y_true, n_true, stride_true, y_pred, n_pred, stride_pred, w, n_w, stride_w, out);
}

}  // extern "C"
