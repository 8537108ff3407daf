// sums.cc - the drivers of the correctly rounded reductions (see sums.h and native/DESIGN.md).
#include "sums.h"

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "exact.h"
#include "parallel.h"

namespace regpen::detail {
namespace {

constexpr double kUnitRoundoff = 0x1p-53;
// Inputs are gathered into blocks of this many elements when they are strided or computed.
constexpr size_t kChunk = 2048;
// Two threads take contiguous input in chunks of this many elements (a multiple of every ISA's
// block, so only the last chunk has a padded tail).
constexpr size_t kThreadChunk = size_t{1} << 16;

inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

// The fast path decides only results comfortably inside the normal range of T, so that the gaps
// to the neighbours of the result are exact and the bound's own arithmetic cannot underflow.
template <class T>
struct Range;
template <>
struct Range<double> {
  static constexpr double kLow = 0x1p-960;
  static constexpr double kHigh = 0x1p1000;
};
template <>
struct Range<float> {
  static constexpr double kLow = 0x1p-100;
  static constexpr double kHigh = 0x1p120;
};

// The exact distances from a positive normal r to its neighbours in T, read from r's bits: one
// ulp above, and one ulp below unless r is a power of two (then half an ulp).
template <class T>
inline void gaps(T r, double& up, double& down) {
  if constexpr (sizeof(T) == sizeof(double)) {
    const uint64_t bits = std::bit_cast<uint64_t>(r);
    up = std::bit_cast<double>(((bits >> 52) - 52) << 52);
    down = (bits & ((uint64_t{1} << 52) - 1)) == 0 ? 0.5 * up : up;
  } else {
    const uint32_t bits = std::bit_cast<uint32_t>(r);
    up = static_cast<double>(std::bit_cast<float>(((bits >> 23) - 23) << 23));
    down = (bits & ((uint32_t{1} << 23) - 1)) == 0 ? 0.5 * up : up;
  }
}

// Below this many elements the portable kernels are used on every ISA: their four lanes are
// quicker to set up and finish than 32 vector lanes, and the result is the same by construction.
constexpr size_t kSmallInput = 64;

inline const Kernels& kernels_for(const Kernels& k, size_t n) {
  return n < kSmallInput ? kPortableKernels : k;
}

// What the exact path has seen besides finite terms (spec section 2 decides the result then).
struct Specials {
  bool nan = false;
  bool inf = false;
};

template <class T>
inline void add_exact(ExactSum& acc, Specials& sp, T value, const double* factors, size_t i,
                      bool square) {
  const double x = std::fabs(static_cast<double>(value));
  const double f = factors != nullptr ? static_cast<double>(static_cast<T>(factors[i])) : 1.0;
  if (std::isnan(x)) {
    sp.nan = true;
  } else if (std::isinf(x) || std::isinf(f)) {
    // The IEEE product of the term: infinite, or NaN for 0 * inf (spec section 2). Squares of
    // binary32 values cannot underflow in binary64, so x * x is never a spurious zero here.
    const double t = square ? f * (x * x) : f * x;
    if (std::isnan(t)) {
      sp.nan = true;
    } else {
      sp.inf = true;
    }
  } else if (factors == nullptr) {
    if (square) {
      acc.add_product(x, x);
    } else {
      acc.add(x);
    }
  } else if (square) {
    acc.add_product3(f, x, x);
  } else {
    acc.add_product(f, x);
  }
}

template <class T>
T round_exact(ExactSum& acc, const Specials& sp) {
  if (sp.nan) return std::numeric_limits<T>::quiet_NaN();
  if (sp.inf) return std::numeric_limits<T>::infinity();
  if constexpr (sizeof(T) == sizeof(double)) {
    return acc.round_f64();
  } else {
    return acc.round_f32();
  }
}

// The TwoProd errors of binary64 products are exact unless they underflow; each then loses at
// most half the smallest subnormal. A factored square f*x*x has three such errors, one of them
// (that of x*x) multiplied by f, so n terms lose less than n * 2^-1072 * (1 + max f) in all.
// binary32 terms are formed in binary64, where nothing underflows.
template <class T>
double underflow_error(size_t n, bool square, const double* factors, double factor_max) {
  if constexpr (sizeof(T) == sizeof(double)) {
    if (factors == nullptr) return square ? static_cast<double>(n) * 0x1p-1074 : 0.0;
    return static_cast<double>(n) * 0x1p-1072 * (square ? 1.0 + factor_max : 1.0);
  } else {
    return 0.0;
  }
}

template <class T>
const SumKernels<T>& sum_kernels(const Kernels& k) {
  if constexpr (sizeof(T) == sizeof(double)) {
    return k.sums_f64;
  } else {
    return k.sums_f32;
  }
}

// Runs the kernels over a strided array (factors, when given, are contiguous), gathering strided
// input into contiguous blocks.
template <class T>
void accumulate_weights(const Kernels& k, const T* w, size_t n, ptrdiff_t stride, const double* f,
                        LaneSums* abs, LaneSums* square) {
  const SumKernels<T>& sk = sum_kernels<T>(k);
  const SumKernel<T> kernel =
      f == nullptr ? (abs && square ? sk.both : abs ? sk.abs : sk.square)
                   : (abs && square ? sk.factor_both : abs ? sk.factor_abs : sk.factor_square);
  if (stride == 1) {
    kernel(w, f, n, abs, square);
    return;
  }
  T buffer[kChunk];
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t m = n - start < kChunk ? n - start : kChunk;
    for (size_t i = 0; i < m; ++i) buffer[i] = w[static_cast<ptrdiff_t>(start + i) * stride];
    kernel(buffer, f == nullptr ? nullptr : f + start, m, abs, square);
  }
}

}  // namespace

template <class T>
bool finish_sum(const LaneSums& sums, double absolute_error, T* out) {
  double hi = 0.0, lo = 0.0, lane_total = 0.0, spread = 0.0;
  bool all_zero = absolute_error == 0.0;
  for (int j = 0; j < sums.lanes; ++j) {
    const double s = sums.s[j], c = sums.c[j];
    if (!std::isfinite(s) || !std::isfinite(c)) return false;
    all_zero = all_zero && s == 0.0 && c == 0.0;
    lane_total += s;
    double t;
    two_sum(hi, s, hi, t);
    lo += t + c;
    spread += std::fabs(t) + std::fabs(c);
  }
  if (all_zero) {
    // Every lane sum is monotone from zero, so s == 0 means every term of the lane was zero.
    *out = T(0);
    return true;
  }
  // Error bound (native/DESIGN.md): each lane's c misses at most 1.01 (m+5)^2 u^2 s of its exact
  // error sum, TwoProd parts included; combining L lanes adds at most 1.01 (L+1) u
  // sum(|t_j| + |c_j|). Both are doubled to absorb the rounding of this bound's own arithmetic.
  const double m = static_cast<double>(sums.per_lane) + 5.0;
  const double bound = 2.0 * m * m * kUnitRoundoff * kUnitRoundoff * lane_total +
                       2.0 * (2.0 * sums.lanes + 2.0) * kUnitRoundoff * spread + absolute_error;
  two_sum(hi, lo, hi, lo);  // exact: hi = fl(hi + lo) and hi + lo is unchanged
  if (!(hi >= Range<T>::kLow && hi <= Range<T>::kHigh)) return false;
  const T r = static_cast<T>(hi);
  const double rd = static_cast<double>(r);
  // hi - rd is exact (Sterbenz: r is hi rounded to T); the remaining rounding is bounded by ulp.
  const double d = (hi - rd) + lo;
  const double e = bound + std::fabs(d) * 0x1p-52;
  double up, down;
  gaps(r, up, down);
  // Rounding is monotone and the half gaps are exact, so these comparisons of rounded values
  // imply the same strict inequalities for the exact ones: the exact sum rounds to r.
  if (d + e < 0.5 * up && d - e > -0.5 * down) {
    *out = r;
    return true;
  }
  return false;
}

template <class T>
void exact_weight_sums(const T* w, size_t n, ptrdiff_t stride, const double* factors, T* abs_sum,
                       T* square_sum) {
  ExactSum acc;
  if (abs_sum != nullptr) {
    Specials sp;
    for (size_t i = 0; i < n; ++i)
      add_exact(acc, sp, w[static_cast<ptrdiff_t>(i) * stride], factors, i, false);
    *abs_sum = round_exact<T>(acc, sp);
  }
  if (square_sum != nullptr) {
    acc.clear();
    Specials sp;
    for (size_t i = 0; i < n; ++i)
      add_exact(acc, sp, w[static_cast<ptrdiff_t>(i) * stride], factors, i, true);
    *square_sum = round_exact<T>(acc, sp);
  }
}

template <class T>
void weight_sums(const Kernels& isa, const T* w, size_t n, ptrdiff_t stride,
                 const double* factors, double factor_max, T* abs_sum, T* square_sum) {
  const Kernels& k = kernels_for(isa, n);
  LaneSums abs, square;
  abs.reset(k.lanes);
  square.reset(k.lanes);
  LaneSums* want_abs = abs_sum != nullptr ? &abs : nullptr;
  LaneSums* want_square = square_sum != nullptr ? &square : nullptr;
  if (stride == 1 && worth_a_thread(n) && 2 * k.lanes <= LaneSums::kMaxLanes) {
    // Each thread gets its own lanes; the finish then simply sees twice as many lanes.
    // The threads take chunks from a shared counter rather than fixed halves, so a thread that
    // shares its core (with a BLAS thread still spinning, say) does less of the work.
    LaneSums abs2, square2;
    abs2.reset(k.lanes);
    square2.reset(k.lanes);
    std::atomic<size_t> next{0};
    auto worker = [&](LaneSums* a, LaneSums* sq) {
      for (;;) {
        const size_t start = next.fetch_add(kThreadChunk, std::memory_order_relaxed);
        if (start >= n) return;
        const size_t m = n - start < kThreadChunk ? n - start : kThreadChunk;
        accumulate_weights(k, w + start, m, 1, factors == nullptr ? nullptr : factors + start, a,
                           sq);
      }
    };
    run_two([&] { worker(want_abs, want_square); },
            [&] { worker(want_abs ? &abs2 : nullptr, want_square ? &square2 : nullptr); });
    abs.append(abs2);
    square.append(square2);
  } else {
    accumulate_weights(k, w, n, stride, factors, want_abs, want_square);
  }
  const bool abs_done =
      abs_sum == nullptr ||
      finish_sum(abs, underflow_error<T>(n, false, factors, factor_max), abs_sum);
  const bool square_done =
      square_sum == nullptr ||
      finish_sum(square, underflow_error<T>(n, true, factors, factor_max), square_sum);
  if (!abs_done) exact_weight_sums<T>(w, n, stride, factors, abs_sum, nullptr);
  if (!square_done) exact_weight_sums<T>(w, n, stride, factors, nullptr, square_sum);
}

template <class T>
T residual_square_sum(const Kernels& isa, const T* y, ptrdiff_t y_stride, const T* p,
                      ptrdiff_t p_stride, size_t n) {
  const Kernels& k = kernels_for(isa, n);
  auto residual = [&](size_t i) {
    return static_cast<T>(y[static_cast<ptrdiff_t>(i) * y_stride] -
                          p[static_cast<ptrdiff_t>(i) * p_stride]);
  };
  LaneSums sums;
  sums.reset(k.lanes);
  T buffer[kChunk];
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t m = n - start < kChunk ? n - start : kChunk;
    for (size_t i = 0; i < m; ++i) buffer[i] = residual(start + i);
    sum_kernels<T>(k).square(buffer, nullptr, m, nullptr, &sums);
  }
  T result;
  if (finish_sum(sums, underflow_error<T>(n, true, nullptr, 0.0), &result)) return result;
  ExactSum acc;
  Specials sp;
  for (size_t i = 0; i < n; ++i) add_exact(acc, sp, residual(i), nullptr, i, true);
  return round_exact<T>(acc, sp);
}

template bool finish_sum<double>(const LaneSums&, double, double*);
template bool finish_sum<float>(const LaneSums&, double, float*);
template void weight_sums<double>(const Kernels&, const double*, size_t, ptrdiff_t, const double*,
                                  double, double*, double*);
template void weight_sums<float>(const Kernels&, const float*, size_t, ptrdiff_t, const double*,
                                 double, float*, float*);
template double residual_square_sum<double>(const Kernels&, const double*, ptrdiff_t,
                                            const double*, ptrdiff_t, size_t);
template float residual_square_sum<float>(const Kernels&, const float*, ptrdiff_t, const float*,
                                          ptrdiff_t, size_t);
template void exact_weight_sums<double>(const double*, size_t, ptrdiff_t, const double*, double*,
                                        double*);
template void exact_weight_sums<float>(const float*, size_t, ptrdiff_t, const double*, float*,
                                       float*);

}  // namespace regpen::detail
