// regpen.cc - the C ABI of regpen.h: argument checks in the spec's order, then the spec's steps
// around the correctly rounded reductions (sums.cc) and the elementwise kernels (kernels_*.cc).
//
// Nothing here throws (a thread that cannot start is replaced by running its work inline); every
// entry point is noexcept, so no C++ exception can cross the extern "C" boundary.
#include <charconv>
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "parallel.h"
#include "regpen.h"
#include "sums.h"

namespace regpen::detail {
namespace {

// The message of the last failed call on this thread (regpen_last_error): the parameter, the
// value and the rule. Fixed-size, so that reporting an error never allocates.
thread_local char g_last_error[256] = "";

// Formats into g_last_error and returns status. %g-style numbers are written by std::to_chars in
// their shortest round-trip form (the form Python's repr prints).
struct Message {
  char* at = g_last_error;
  char* end = g_last_error + sizeof g_last_error - 1;
  Message& text(const char* s) {
    while (*s != '\0' && at < end) *at++ = *s++;
    *at = '\0';
    return *this;
  }
  Message& number(double x) {
    if (std::isnan(x)) return text("nan");
    if (std::isinf(x)) return text(x > 0 ? "inf" : "-inf");
    const auto r = std::to_chars(at, end, x);
    if (r.ec == std::errc()) at = r.ptr;
    *at = '\0';
    return *this;
  }
  Message& integer(long long x) {
    const auto r = std::to_chars(at, end, x);
    if (r.ec == std::errc()) at = r.ptr;
    *at = '\0';
    return *this;
  }
  Message& size(size_t x) {
    const auto r = std::to_chars(at, end, static_cast<unsigned long long>(x));
    if (r.ec == std::errc()) at = r.ptr;
    *at = '\0';
    return *this;
  }
};

Message fail() {
  g_last_error[0] = '\0';
  return Message{};
}

int fail_parameter(int status, const char* name, double value) {
  fail().text(name).text(" must be finite and >= 0, got ").number(value);
  return status;
}

bool valid_parameter(double p) { return std::isfinite(p) && p >= 0.0; }

// Kind, parameters and factors, in the order of spec section 4; *factor_max receives the largest
// factor (0 without factors).
int check_penalty(const regpen_penalty* p, double* factor_max = nullptr) {
  if (p == nullptr) {
    fail().text("penalty is NULL");
    return REGPEN_E_INVALID_ARGUMENT;
  }
  switch (p->kind) {
    case REGPEN_L1:
      if (!valid_parameter(p->l1)) return fail_parameter(REGPEN_E_INVALID_LAMBDA, "lam", p->l1);
      break;
    case REGPEN_L2:
      if (!valid_parameter(p->l2)) return fail_parameter(REGPEN_E_INVALID_LAMBDA, "lam", p->l2);
      break;
    case REGPEN_ELASTIC_NET:
      if (!valid_parameter(p->l1)) return fail_parameter(REGPEN_E_INVALID_LAMBDA, "l1", p->l1);
      if (!valid_parameter(p->l2)) return fail_parameter(REGPEN_E_INVALID_LAMBDA, "l2", p->l2);
      break;
    default:
      fail().text("penalty kind ").integer(p->kind).text(
          " is unknown (REGPEN_L1 = 1, REGPEN_L2 = 2, REGPEN_ELASTIC_NET = 3)");
      return REGPEN_E_INVALID_ARGUMENT;
  }
  if (p->penalty_factor == nullptr) {
    if (p->factor_len != 0) {
      fail().text("penalty_factor is NULL but factor_len is ").size(p->factor_len);
      return REGPEN_E_INVALID_ARGUMENT;
    }
  } else {
    double largest = 0.0;
    for (size_t i = 0; i < p->factor_len; ++i) {
      const double f = p->penalty_factor[i];
      if (!valid_parameter(f)) {
        fail().text("penalty_factor[").size(i).text("] must be finite and >= 0, got ").number(f);
        return REGPEN_E_INVALID_PENALTY_FACTOR;
      }
      largest = f > largest ? f : largest;
    }
    if (factor_max != nullptr) *factor_max = largest;
  }
  return REGPEN_OK;
}

// A strided array is usable when it has data for n > 0 and every element's byte offset
// (n - 1) * |stride| * sizeof(T) fits a ptrdiff_t. A zero stride (a broadcast) is n copies of one
// element.
template <class T>
int check_array(const char* name, const T* data, size_t n, ptrdiff_t stride) {
  if (n == 0) return REGPEN_OK;
  if (data == nullptr) {
    fail().text(name).text(" is NULL with n = ").size(n);
    return REGPEN_E_INVALID_ARGUMENT;
  }
  const uint64_t magnitude = stride < 0 ? uint64_t(0) - uint64_t(stride) : uint64_t(stride);
  if (magnitude != 0 && (n - 1) > uint64_t(PTRDIFF_MAX) / sizeof(T) / magnitude) {
    fail().text(name).text(": stride ").integer(stride).text(" (elements) with n = ").size(n)
        .text(" reaches beyond the address space ((n - 1) * |stride| * ").size(sizeof(T))
        .text(" bytes must fit a ptrdiff_t)");
    return REGPEN_E_INVALID_ARGUMENT;
  }
  return REGPEN_OK;
}

int check_out(const void* out, bool needed) {
  if (out != nullptr || !needed) return REGPEN_OK;
  fail().text("out is NULL");
  return REGPEN_E_INVALID_ARGUMENT;
}

int check_factors(const regpen_penalty* p, size_t n) {
  if (p->penalty_factor == nullptr || p->factor_len == n) return REGPEN_OK;
  fail().text("penalty_factor has ").size(p->factor_len).text(" entries for ").size(n)
      .text(" weights (one factor per weight)");
  return REGPEN_E_SHAPE_MISMATCH;
}

// A stored parameter: -0 becomes +0 (spec section 1), then one rounding to the working format.
template <class T>
T parameter(double p) {
  return static_cast<T>(p + 0.0);
}

template <class T>
int value(const regpen_penalty* p, const T* w, size_t n, ptrdiff_t stride, T* out) noexcept {
  double factor_max = 0.0;
  if (int status = check_penalty(p, &factor_max)) return status;
  if (int status = check_out(out, true)) return status;
  if (int status = check_array("w", w, n, stride)) return status;
  if (int status = check_factors(p, n)) return status;
  *out = value_result<T>(active_kernels(), terms_for<T>(p, factor_max), w, n, stride);
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
  if (int status = check_out(out, n > 0)) return status;
  if (int status = check_array("w", w, n, stride)) return status;
  if (int status = check_factors(p, n)) return status;
  // a = lam of the L1 part; b = fl(2 * lam) of the L2 part.
  const ElementCoefficients<T> c{p->kind, parameter<T>(p->l1), T(T(2) * parameter<T>(p->l2))};
  elementwise(gradient_kernel<T>(active_kernels()), c, w, n, stride, p->penalty_factor, out);
  return REGPEN_OK;
}

template <class T>
int prox(const regpen_penalty* p, const T* w, size_t n, ptrdiff_t stride, double step,
         T* out) noexcept {
  if (int status = check_penalty(p)) return status;
  if (!valid_parameter(step)) return fail_parameter(REGPEN_E_INVALID_STEP, "step", step);
  if (int status = check_out(out, n > 0)) return status;
  if (int status = check_array("w", w, n, stride)) return status;
  if (int status = check_factors(p, n)) return status;
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
  if (int status = check_out(out, true)) return status;
  if (int status = check_array("y_true", y, n_true, stride_true)) return status;
  if (int status = check_array("y_pred", q, n_pred, stride_pred)) return status;
  if (int status = check_array("w", w, n_w, stride_w)) return status;
  if (n_true != n_pred) {
    fail().text("y_true has ").size(n_true).text(" elements but y_pred has ").size(n_pred)
        .text(" (they must have the same length)");
    return REGPEN_E_SHAPE_MISMATCH;
  }
  if (n_true == 0) {
    fail().text("y_true and y_pred are empty (the mean squared error needs n > 0)");
    return REGPEN_E_EMPTY_INPUT;
  }
  if (int status = check_factors(p, n_w)) return status;
  *out = loss_result<T>(active_kernels(), terms_for<T>(p, factor_max), y, stride_true, q,
                        stride_pred, n_true, w, n_w, stride_w);
  return REGPEN_OK;
}

}  // namespace

// The training calls (train.cc) report their messages through the same thread-local buffer.
void set_last_error(const char* message) { fail().text(message); }

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
    case REGPEN_E_NON_FINITE_INPUT: return "non_finite_input";
    case REGPEN_E_INVALID_DTYPE: return "invalid_dtype";
    case REGPEN_E_INVALID_PENALTY_FACTOR: return "invalid_penalty_factor";
    case REGPEN_E_INVALID_CONFIG: return "invalid_config";
    case REGPEN_E_INVALID_ARGUMENT: return "invalid_argument";
    default: return "unknown";
  }
}

REGPEN_API const char* regpen_last_error(void) { return g_last_error; }

REGPEN_API int regpen_validate_penalty(const regpen_penalty* penalty) {
  return check_penalty(penalty);
}

REGPEN_API int regpen_l1_regularization_f64(const double* w, size_t n, ptrdiff_t stride,
                                            double lambda, double* out) {
  const regpen_penalty p{REGPEN_L1, lambda, 0.0, nullptr, 0};
  return value(&p, w, n, stride, out);
}
REGPEN_API int regpen_l1_regularization_f32(const float* w, size_t n, ptrdiff_t stride,
                                            double lambda, float* out) {
  const regpen_penalty p{REGPEN_L1, lambda, 0.0, nullptr, 0};
  return value(&p, w, n, stride, out);
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
