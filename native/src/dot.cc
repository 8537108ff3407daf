// dot.cc - correctly rounded signed dot products (dot.h; proof in native/DESIGN.md, "Signed dot
// products"): the Dot2 lanes, their proven error bound and rounding test, and the exact fallback.
#include "dot.h"

#include <cmath>
#include <limits>

#include "dot_impl.h"
#include "kernels.h"
#include "sums.h"

namespace regpen::detail {
namespace {

constexpr double kU = 0x1p-53;

inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

DotKernel kernel() {
#if REGPEN_HAVE_AVX2
  // The scalar ISA keeps the portable build (glibc's fma); AVX2 and AVX-512 CPUs have FMA.
  if (&active_kernels() != &kPortableKernels) return dot_approx_fma;
#endif
  return dot_approx_portable;
}

// RN of the signed approximation: round_approx decides non-negative values, RN is odd.
bool round_signed(const Approx& a, double* out) {
  const bool negative = a.hi < 0.0;
  double r;
  if (!round_approx(Approx{negative ? -a.hi : a.hi, negative ? -a.lo : a.lo, a.err}, &r))
    return false;
  *out = negative ? -r : r;
  return true;
}

}  // namespace

bool dot_approx_portable(const double* a, const double* b, size_t n, double ea, double eb,
                         Approx* out) {
  return dot_approx_impl<dot_lanes_impl>(a, b, n, ea, eb, out);
}

bool fast_dot(const double* a, const double* b, size_t n, double ea, double eb, double* out) {
  Approx approx;
  return kernel()(a, b, n, ea, eb, &approx) && round_signed(approx, out);
}

bool dot_approx(const double* a, const double* b, size_t n, double ea, double eb, Approx* out) {
  return kernel()(a, b, n, ea, eb, out);
}

bool round_scaled(const Approx& x, double mul, uint64_t div, double* out) {
  // Away from both ends of the range, so that the scaling is exact and the division's remainder
  // (below) is representable.
  if (!(std::fabs(x.hi) >= 0x1p-900 && std::fabs(x.hi) <= 0x1p1000)) return false;
  const double d = static_cast<double>(div);
  const double hi = x.hi * mul, lo = x.lo * mul, err = x.err * mul;  // mul is 1 or 2: exact
  // X/d = qh + (rem + lo)/d + delta/d with rem = hi - qh d exact (the remainder of a correctly
  // rounded division is a binary64 number, and one FMA yields it); t and ql add at most
  // u|t|/d + u|ql| <= 2.01 u|ql|: bounded by 4u|ql| plus twice err/d (rounding of the bound).
  const double qh = hi / d;
  const double rem = std::fma(-qh, d, hi);
  const double t = rem + lo;
  const double ql = t / d;
  const double bound = 2.0 * (err / d) + 4.0 * kU * std::fabs(ql);
  double h, l;
  two_sum(qh, ql, h, l);
  return round_signed(Approx{h, l, bound}, out);
}

bool fast_scaled_dot(const double* a, const double* b, size_t n, double mul, uint64_t div,
                     double* out) {
  Approx x;
  return kernel()(a, b, n, 0.0, 0.0, &x) && round_scaled(x, mul, div, out);
}

double scaled_dot(const double* a, const double* b, size_t n, double mul, uint64_t div) {
  double r;
  if (fast_scaled_dot(a, b, n, mul, div, &r)) return r;
  SignedExact sum;
  for (size_t i = 0; i < n; ++i) sum.add(1, a[i], b[i]);
  return sum.round(static_cast<uint64_t>(mul), div);
}

double dot(const double* a, const double* b, size_t n, double ea, double eb) {
  double r;
  if (fast_dot(a, b, n, ea, eb, &r)) return r;
  return exact_dot(a, b, n, ea, eb);
}

double exact_dot(const double* a, const double* b, size_t n, double ea, double eb) {
  // An all-zero product list (a zero residual, say) is +0 without the accumulator.
  bool zero = ea == 0.0 || eb == 0.0;
  for (size_t i = 0; zero && i < n; ++i) zero = a[i] == 0.0 || b[i] == 0.0;
  if (zero && std::isfinite(ea) && std::isfinite(eb)) {
    bool finite = true;
    for (size_t i = 0; finite && i < n; ++i) finite = std::isfinite(a[i]) && std::isfinite(b[i]);
    if (finite) return 0.0;
  }
  SignedExact sum;
  for (size_t i = 0; i < n; ++i) sum.add(1, a[i], b[i]);
  sum.add(1, ea, eb);
  return sum.round();
}

bool SignedExact::note(int sign, double a, double b, double c) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(c)) {
    nan_ = true;
    return false;
  }
  const bool inf = std::isinf(a) || std::isinf(b) || std::isinf(c);
  if (!inf) return a != 0.0 && b != 0.0 && c != 0.0;
  if (a == 0.0 || b == 0.0 || c == 0.0) {
    nan_ = true;
    return false;
  }
  const bool negative = (sign < 0) != ((a < 0) != ((b < 0) != (c < 0)));
  (negative ? ninf_ : pinf_) = true;
  return false;
}

void SignedExact::add(int sign, double a) { add(sign, a, 1.0, 1.0); }
void SignedExact::add(int sign, double a, double b) { add(sign, a, b, 1.0); }
void SignedExact::add(int sign, double a, double b, double c) {
  if (!note(sign, a, b, c)) return;
  const bool negative = (sign < 0) != ((a < 0) != ((b < 0) != (c < 0)));
  ExactSum& to = negative ? neg : pos;
  if (c == 1.0 || c == -1.0) {
    if (b == 1.0 || b == -1.0) {
      to.add(std::fabs(a));
    } else {
      to.add_product(std::fabs(a), std::fabs(b));
    }
  } else {
    to.add_product3(std::fabs(a), std::fabs(b), std::fabs(c));
  }
}

bool SignedExact::special(double* value) const {
  if (nan_ || (pinf_ && ninf_)) {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (pinf_ || ninf_) {
    *value = pinf_ ? std::numeric_limits<double>::infinity()
                   : -std::numeric_limits<double>::infinity();
    return true;
  }
  return false;
}

double SignedExact::round(uint64_t mul, uint64_t div) {
  double v;
  if (special(&v)) return v;
  WideInt p(pos), n(neg);
  if (mul != 1) {
    p.multiply(mul);
    n.multiply(mul);
  }
  return round_difference(p, n, ExactSum::kLowExp, div);
}

double round_difference(WideInt& p, WideInt& n, int64_t unit, uint64_t div) {
  const int order = p.compare(n);
  if (order == 0) return 0.0;
  WideInt& big = order > 0 ? p : n;
  big.subtract(order > 0 ? n : p);
  const bool inexact = big.divide(div) != 0;
  const double r = big.round_to(53, -1074, unit, inexact);
  return order > 0 ? r : -r;
}

}  // namespace regpen::detail
