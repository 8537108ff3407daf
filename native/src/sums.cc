// sums.cc - the drivers of the correctly rounded reductions (see sums.h and native/DESIGN.md).
#include "sums.h"

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

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

// Fills the lanes of `abs` and/or `square` (either may be null) over a strided array, on two
// threads for long contiguous input.
template <class T>
void accumulate_all(const Kernels& k, const T* w, size_t n, ptrdiff_t stride,
                    const double* factors, LaneSums* abs, LaneSums* square) {
  if (abs != nullptr) abs->reset(k.lanes);
  if (square != nullptr) square->reset(k.lanes);
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
    run_two([&] { worker(abs, square); },
            [&] { worker(abs ? &abs2 : nullptr, square ? &square2 : nullptr); });
    if (abs != nullptr) abs->append(abs2);
    if (square != nullptr) square->append(square2);
  } else {
    accumulate_weights(k, w, n, stride, factors, abs, square);
  }
}

// Knuth's TwoSum on binary64 values: s + e == a + b exactly unless s overflows.
inline void two_sum_pair(double a, double b, double& s, double& e) { two_sum(a, b, s, e); }

// ---- The double-double arithmetic of the scalar results (native/DESIGN.md, "One rounding").
// Every Approx is hi + lo with |exact - (hi + lo)| <= err; err is computed with roundings that
// the final test's doubling of err absorbs.

// c * X for a finite c >= 0; false when the product leaves the range where its TwoProd is exact.
bool scale(Approx& a, double c) {
  const double ph = c * a.hi;
  if (!std::isfinite(ph) || (ph != 0.0 && ph < 0x1p-900)) return false;
  const double pl = std::fma(c, a.hi, -ph);  // exact: ph is far above the underflow range
  const double m = c * a.lo;                  // errs at most u|m| (or 2^-1075 if it underflows)
  const double lo = pl + m;                   // errs at most u|lo|
  a.err = c * a.err + kUnitRoundoff * (std::fabs(m) + std::fabs(lo)) + 0x1p-1074;
  a.hi = ph;
  a.lo = lo;
  return std::isfinite(a.err);
}

// X + Y: the high parts added exactly, the low parts with three roundings.
Approx plus(const Approx& a, const Approx& b) {
  double hi, t;
  two_sum(a.hi, b.hi, hi, t);
  const double lo = (t + a.lo) + b.lo;
  const double spread = std::fabs(t) + std::fabs(a.lo) + std::fabs(b.lo);
  return Approx{hi, lo, a.err + b.err + 2.0 * kUnitRoundoff * (spread + std::fabs(lo))};
}

// X / n for an integer 1 <= n <= 2^53 (exact in binary64); false near underflow.
bool divide(Approx& a, double n) {
  const double q = a.hi / n;
  if (!std::isfinite(q) || (q != 0.0 && q < 0x1p-900)) return false;
  const double r = std::fma(-q, n, a.hi);  // the exact remainder of a correctly rounded quotient
  const double t = r + a.lo;               // errs at most u|t|
  const double ql = t / n;                 // errs at most u|ql| (2^-1075 if subnormal)
  a.err = a.err / n + kUnitRoundoff * (std::fabs(t) / n + std::fabs(ql)) + 0x1p-1073;
  a.hi = q;
  a.lo = ql;
  return std::isfinite(a.err);
}

// ---- The exact path of the scalar results.

enum class Kind { kFinite, kInf, kNaN };

// Spec 2.0 A: a product is NaN if a factor is NaN or it has both a zero and an infinite factor,
// +inf if it has an infinite factor and no zero, else finite (every factor here is >= 0 or NaN).
inline Kind product_kind(double a, double b, double c) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(c)) return Kind::kNaN;
  const bool inf = std::isinf(a) || std::isinf(b) || std::isinf(c);
  if (!inf) return Kind::kFinite;
  return a == 0.0 || b == 0.0 || c == 0.0 ? Kind::kNaN : Kind::kInf;
}

// The sign and parts of a coefficient c = m * 2^e (finite, >= 0).
struct Coefficient {
  uint64_t m;
  int e;
};

Coefficient split(double c) {
  int e = 0;
  const double frac = std::frexp(c, &e);  // c = frac * 2^e, 0.5 <= frac < 1 (exact)
  return Coefficient{static_cast<uint64_t>(std::ldexp(frac, 53)), e - 53};
}

// RN_T((sse + n * (c1 * S1 + c2 * S2)) / n), every step exact, with the special values of spec
// 2.0 A decided per product. w is the penalty's input; (y, q) the loss's (n = 0 for value()).
template <class T>
T exact_result(const Terms& t, const T* w, size_t nw, ptrdiff_t ws, const T* y, ptrdiff_t ys,
               const T* q, ptrdiff_t qs, size_t n) {
  ExactSum s1, s2, positive, negative;
  bool nan = false, inf = false;
  auto note = [&](Kind k) {
    nan = nan || k == Kind::kNaN;
    inf = inf || k == Kind::kInf;
    return k == Kind::kFinite;
  };
  for (size_t i = 0; i < nw; ++i) {
    const double x = std::fabs(static_cast<double>(w[static_cast<ptrdiff_t>(i) * ws]));
    const double f =
        t.factors != nullptr ? static_cast<double>(static_cast<T>(t.factors[i])) : 1.0;
    if (t.abs && note(product_kind(t.c1, f, x))) {
      if (t.factors != nullptr) {
        s1.add_product(f, x);
      } else {
        s1.add(x);
      }
    }
    if (t.square && note(product_kind(t.c2, f, x))) {
      if (t.factors != nullptr) {
        s2.add_product3(f, x, x);
      } else {
        s2.add_product(x, x);
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    double a = static_cast<double>(y[static_cast<ptrdiff_t>(i) * ys]);
    double b = static_cast<double>(q[static_cast<ptrdiff_t>(i) * qs]);
    if (std::isnan(a) || std::isnan(b) || (std::isinf(a) && a == b)) {
      nan = true;
    } else if (std::isinf(a) || std::isinf(b)) {
      inf = true;
    } else {
      // r = a - b = scale * (rh + rl) exactly; a difference beyond binary64 is formed from the
      // halves (both operands are then at least 2^971, so halving them is exact).
      double square_scale = 1.0;
      if (!std::isfinite(a - b)) {
        a *= 0.5;
        b *= 0.5;
        square_scale = 4.0;
      }
      double rh, rl;
      two_sum_pair(a, -b, rh, rl);
      // r^2 = rh^2 + 2 rh rl + rl^2; the cross term may be negative.
      positive.add_product3(square_scale, std::fabs(rh), std::fabs(rh));
      positive.add_product3(square_scale, std::fabs(rl), std::fabs(rl));
      ExactSum& cross = (rh < 0.0) != (rl < 0.0) ? negative : positive;
      cross.add_product3(2.0 * square_scale, std::fabs(rh), std::fabs(rl));
    }
  }
  if (nan) return std::numeric_limits<T>::quiet_NaN();
  if (inf) return std::numeric_limits<T>::infinity();
  const uint64_t divisor = n == 0 ? 1 : n;
  // Parts in units of 2^(kLowExp + e); aligned to the smallest exponent emin, then added.
  WideInt part1, part2;
  int e1 = 0, e2 = 0, emin = 0;
  bool has1 = false, has2 = false;
  if (t.abs && t.c1 != 0.0) {
    part1 = WideInt(s1);
    has1 = !part1.is_zero();
    const Coefficient c = split(t.c1);
    part1.multiply(c.m);
    part1.multiply(divisor);
    e1 = c.e;
    if (has1 && e1 < emin) emin = e1;
  }
  if (t.square && t.c2 != 0.0) {
    part2 = WideInt(s2);
    has2 = !part2.is_zero();
    const Coefficient c = split(t.c2);
    part2.multiply(c.m);
    part2.multiply(divisor);
    e2 = c.e;
    if (has2 && e2 < emin) emin = e2;
  }
  WideInt total(positive);
  if (n > 0) total.subtract(WideInt(negative));
  total.shift_left(-emin);
  if (has1) {
    part1.shift_left(e1 - emin);
    total.add(part1);
  }
  if (has2) {
    part2.shift_left(e2 - emin);
    total.add(part2);
  }
  const bool inexact = total.divide(divisor) != 0;
  const int64_t unit = int64_t{ExactSum::kLowExp} + emin;
  if constexpr (sizeof(T) == sizeof(double)) {
    return total.round_to(53, -1074, unit, inexact);
  } else {
    return static_cast<float>(total.round_to(24, -149, unit, inexact));
  }
}

// The penalty part c1 * S1 + c2 * S2 from the lanes, or false when the exact path must decide.
template <class T>
bool fast_penalty(const Kernels& isa, const Terms& t, const T* w, size_t n, ptrdiff_t stride,
                  Approx* out) {
  // An infinite coefficient (a binary32 parameter beyond binary32's range) decides specials.
  if ((t.abs && !std::isfinite(t.c1)) || (t.square && !std::isfinite(t.c2))) return false;
  const Kernels& k = kernels_for(isa, n);
  LaneSums abs, square;
  accumulate_all(k, w, n, stride, t.factors, t.abs ? &abs : nullptr,
                 t.square ? &square : nullptr);
  Approx a1{}, a2{};
  if (t.abs && !(lane_approx(abs, underflow_error<T>(n, false, t.factors, t.factor_max), &a1) &&
                 scale(a1, t.c1)))
    return false;
  if (t.square &&
      !(lane_approx(square, underflow_error<T>(n, true, t.factors, t.factor_max), &a2) &&
        scale(a2, t.c2)))
    return false;
  *out = t.abs && t.square ? plus(a1, a2) : t.abs ? a1 : a2;
  return true;
}

// The exact sum of squared residuals sum (y_i - p_i)^2, as lanes of rh^2 (rh = fl(y - p)) plus
// the cross terms 2 rh rl (rl the exact error of rh) in eight plain accumulators; rl^2 is left
// out. |rl| <= u|rh|, so the cross terms and rl^2 are bounded by u and u^2 times sum rh^2.
template <class T>
bool fast_residuals(const Kernels& isa, const T* y, ptrdiff_t ys, const T* q, ptrdiff_t qs,
                    size_t n, Approx* out) {
  const Kernels& k = kernels_for(isa, n);
  LaneSums sums;
  sums.reset(k.lanes);
  double cross[8] = {};
  double rh[kChunk], rl[kChunk];
  for (size_t start = 0; start < n; start += kChunk) {
    const size_t m = n - start < kChunk ? n - start : kChunk;
    const T* yb = y + static_cast<ptrdiff_t>(start) * ys;
    const T* qb = q + static_cast<ptrdiff_t>(start) * qs;
    if (ys == 1 && qs == 1) {
      for (size_t i = 0; i < m; ++i)
        two_sum_pair(static_cast<double>(yb[i]), -static_cast<double>(qb[i]), rh[i], rl[i]);
    } else {
      for (size_t i = 0; i < m; ++i)
        two_sum_pair(static_cast<double>(yb[static_cast<ptrdiff_t>(i) * ys]),
                     -static_cast<double>(qb[static_cast<ptrdiff_t>(i) * qs]), rh[i], rl[i]);
    }
    k.sums_f64.square(rh, nullptr, m, nullptr, &sums);
    size_t i = 0;
    for (; i + 8 <= m; i += 8)
      for (int j = 0; j < 8; ++j) cross[j] += rh[i + j] * rl[i + j];
    for (; i < m; ++i) cross[0] += rh[i] * rl[i];
  }
  Approx a;
  if (!lane_approx(sums, static_cast<double>(n) * 0x1p-1074, &a)) return false;
  double c = 0.0;
  for (double x : cross) c += x;
  if (!std::isfinite(c)) return false;
  // Each cross accumulator adds at most n terms: its error is at most (n + 8) u sum|rh rl| plus
  // the products' roundings u sum|rh rl| and n underflow losses of 2^-1075 (counted as 2^-1074); sum|rh rl| and the
  // left-out sum rl^2 are at most u and u^2 times sum rh^2 <= hi + |lo| + err.
  const double upper = a.hi + std::fabs(a.lo) + a.err;
  const double nn = static_cast<double>(n);
  const double cross_err =
      2.0 * ((nn + 10.0) * kUnitRoundoff * kUnitRoundoff * upper + nn * 0x1p-1074) +
      kUnitRoundoff * kUnitRoundoff * upper;
  *out = plus(a, Approx{2.0 * c, 0.0, cross_err});
  return true;
}

}  // namespace

bool lane_approx(const LaneSums& sums, double absolute_error, Approx* out) {
  double hi = 0.0, lo = 0.0, lane_total = 0.0, spread = 0.0;
  for (int j = 0; j < sums.lanes; ++j) {
    const double s = sums.s[j], c = sums.c[j];
    if (!std::isfinite(s) || !std::isfinite(c)) return false;
    lane_total += s;
    double t;
    two_sum(hi, s, hi, t);
    lo += t + c;
    spread += std::fabs(t) + std::fabs(c);
  }
  // Error bound (native/DESIGN.md): each lane's c misses at most 1.01 (m+5)^2 u^2 s of its exact
  // error sum, TwoProd parts included; combining L lanes adds at most 1.01 (L+1) u
  // sum(|t_j| + |c_j|). Both are doubled to absorb the rounding of this bound's own arithmetic.
  // Lane sums are monotone from zero, so all-zero lanes (with no underflow allowance) give an
  // exact zero with a zero bound.
  const double m = static_cast<double>(sums.per_lane) + 5.0;
  const double bound = 2.0 * m * m * kUnitRoundoff * kUnitRoundoff * lane_total +
                       2.0 * (2.0 * sums.lanes + 2.0) * kUnitRoundoff * spread + absolute_error;
  two_sum(hi, lo, hi, lo);  // exact: hi = fl(hi + lo) and hi + lo is unchanged
  *out = Approx{hi, lo, bound};
  return true;
}

template <class T>
bool round_approx(const Approx& a, T* out) {
  if (a.hi == 0.0 && a.lo == 0.0 && a.err == 0.0) {
    *out = T(0);  // exactly zero (never -0)
    return true;
  }
  double hi, lo;
  two_sum(a.hi, a.lo, hi, lo);  // exact
  if (!(hi >= Range<T>::kLow && hi <= Range<T>::kHigh)) return false;
  const T r = static_cast<T>(hi);
  const double rd = static_cast<double>(r);
  // hi - rd is exact (Sterbenz: r is hi rounded to T); the remaining rounding is bounded by ulp.
  const double d = (hi - rd) + lo;
  const double e = 2.0 * a.err + std::fabs(d) * 0x1p-52;
  double up, down;
  gaps(r, up, down);
  // Rounding is monotone and the half gaps are exact, so these comparisons of rounded values
  // imply the same strict inequalities for the exact ones: the exact value rounds to r.
  if (d + e < 0.5 * up && d - e > -0.5 * down) {
    *out = r;
    return true;
  }
  return false;
}

template <class T>
bool finish_sum(const LaneSums& sums, double absolute_error, T* out) {
  Approx a;
  return lane_approx(sums, absolute_error, &a) && round_approx(a, out);
}

template <class T>
void exact_weight_sums(const T* w, size_t n, ptrdiff_t stride, const double* factors, T* abs_sum,
                       T* square_sum) {
  if (abs_sum != nullptr)
    *abs_sum = exact_result<T>(Terms{true, false, 1.0, 0.0, factors, 0.0}, w, n, stride, nullptr,
                               1, nullptr, 1, 0);
  if (square_sum != nullptr)
    *square_sum = exact_result<T>(Terms{false, true, 0.0, 1.0, factors, 0.0}, w, n, stride,
                                  nullptr, 1, nullptr, 1, 0);
}

template <class T>
void weight_sums(const Kernels& isa, const T* w, size_t n, ptrdiff_t stride,
                 const double* factors, double factor_max, T* abs_sum, T* square_sum) {
  const Kernels& k = kernels_for(isa, n);
  LaneSums abs, square;
  accumulate_all(k, w, n, stride, factors, abs_sum != nullptr ? &abs : nullptr,
                 square_sum != nullptr ? &square : nullptr);
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
T rounded_residual_square_sum(const Kernels& isa, const T* y, ptrdiff_t y_stride, const T* p,
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
  std::vector<T> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = residual(i);
  T exact;
  exact_weight_sums<T>(r.data(), n, 1, nullptr, nullptr, &exact);
  return exact;
}

template <class T>
T value_result(const Kernels& isa, const Terms& t, const T* w, size_t n, ptrdiff_t stride) {
  Approx a;
  T result;
  if (fast_penalty(isa, t, w, n, stride, &a) && round_approx(a, &result)) return result;
  return exact_result<T>(t, w, n, stride, nullptr, 1, nullptr, 1, 0);
}

template <class T>
T loss_result(const Kernels& isa, const Terms& t, const T* y, ptrdiff_t ys, const T* q,
              ptrdiff_t qs, size_t n, const T* w, size_t nw, ptrdiff_t ws) {
  Approx residuals, penalty;
  T result;
  // n <= 2^53 keeps n exact in binary64 (longer inputs cannot be held in memory anyway).
  if (n <= (uint64_t{1} << 53) && fast_residuals(isa, y, ys, q, qs, n, &residuals) &&
      divide(residuals, static_cast<double>(n)) && fast_penalty(isa, t, w, nw, ws, &penalty) &&
      round_approx(plus(residuals, penalty), &result))
    return result;
  return exact_result<T>(t, w, nw, ws, y, ys, q, qs, n);
}

// A parameter rounded to T, as a binary64 value. GCC 12's SLP vectorizer folds a pair of
// double -> float -> double conversions into nothing (terms_for's c1 and c2 reached the sums
// unrounded); the empty asm makes the binary32 value observable.
template <class T>
double in_format(double p) {
  T x = static_cast<T>(p + 0.0);  // -0 stored as +0 (spec section 1), then one rounding
  asm("" : "+x"(x));
  return static_cast<double>(x);
}

template <class T>
Terms terms_for(const regpen_penalty* p, double factor_max) {
  return Terms{p->kind != REGPEN_L2, p->kind != REGPEN_L1, in_format<T>(p->l1),
               in_format<T>(p->l2), p->penalty_factor, factor_max};
}

template <class T>
T exact_value_result(const Terms& t, const T* w, size_t n, ptrdiff_t stride) {
  return exact_result<T>(t, w, n, stride, nullptr, 1, nullptr, 1, 0);
}

template <class T>
T exact_loss_result(const Terms& t, const T* y, ptrdiff_t ys, const T* q, ptrdiff_t qs, size_t n,
                    const T* w, size_t nw, ptrdiff_t ws) {
  return exact_result<T>(t, w, nw, ws, y, ys, q, qs, n);
}

#define REGPEN_INSTANTIATE(T)                                                                    \
  template Terms terms_for<T>(const regpen_penalty*, double);                                    \
  template T exact_value_result<T>(const Terms&, const T*, size_t, ptrdiff_t);                   \
  template T exact_loss_result<T>(const Terms&, const T*, ptrdiff_t, const T*, ptrdiff_t, size_t, \
                                  const T*, size_t, ptrdiff_t);                                  \
  template bool finish_sum<T>(const LaneSums&, double, T*);                                      \
  template bool round_approx<T>(const Approx&, T*);                                              \
  template void weight_sums<T>(const Kernels&, const T*, size_t, ptrdiff_t, const double*,       \
                               double, T*, T*);                                                  \
  template void exact_weight_sums<T>(const T*, size_t, ptrdiff_t, const double*, T*, T*);        \
  template T rounded_residual_square_sum<T>(const Kernels&, const T*, ptrdiff_t, const T*,       \
                                            ptrdiff_t, size_t);                                  \
  template T value_result<T>(const Kernels&, const Terms&, const T*, size_t, ptrdiff_t);         \
  template T loss_result<T>(const Kernels&, const Terms&, const T*, ptrdiff_t, const T*,         \
                            ptrdiff_t, size_t, const T*, size_t, ptrdiff_t);
REGPEN_INSTANTIATE(double)
REGPEN_INSTANTIATE(float)
#undef REGPEN_INSTANTIATE

}  // namespace regpen::detail
