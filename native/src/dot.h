// dot.h - correctly rounded signed dot products for the solvers (SPEC §7; proof in
// native/DESIGN.md, "Signed dot products"): RN(sum a_i * b_i + ea * eb), the exact value rounded
// once, +0 for an exact zero. A many-lane Dot2 (FMA TwoProduct, TwoSum) with a proven error bound
// decides the rounding when it can; otherwise the exact signed accumulator does.
#ifndef REGPEN_DOT_H
#define REGPEN_DOT_H

#include <cstddef>
#include <cstdint>

#include "exact.h"

namespace regpen::detail {

// The lanes of one Dot2 accumulation: s the TwoSum sums of the products, c the running sums of
// the TwoSum and TwoProduct errors, t the sums of |p| (bounding the error of c).
// The portable kernel fills kDotLanes lanes, the AVX2 one 2 * kDotLanes (two vectors).
constexpr int kDotLanes = 4;
struct DotLanes {
  double s[2 * kDotLanes];
  double c[2 * kDotLanes];
  double t[2 * kDotLanes];
  int lanes;  // a power of two
};
struct Approx;  // sums.h
// The lanes and their combination (dot_impl.h), per ISA: true with |X - (hi + lo)| <= err.
using DotKernel = bool (*)(const double* a, const double* b, size_t n, double ea, double eb,
                           Approx* out);
bool dot_approx_portable(const double* a, const double* b, size_t n, double ea, double eb,
                         Approx* out);
#if REGPEN_HAVE_AVX2
bool dot_approx_fma(const double* a, const double* b, size_t n, double ea, double eb,
                    Approx* out);
#endif

// RN(sum_{i<n} a_i b_i + ea * eb) (contiguous a and b; pass ea = eb = 0 for no extra term).
double dot(const double* a, const double* b, size_t n, double ea, double eb);
// The same by the exact path alone (the tests' second opinion, and the fallback).
double exact_dot(const double* a, const double* b, size_t n, double ea, double eb);
// The fast path alone: true with the result when its bound proves the rounding.
bool fast_dot(const double* a, const double* b, size_t n, double ea, double eb, double* out);

// RN((mul / div) * sum a_i b_i) for mul 1 or 2 and 0 < div <= 2^53 (means, SPEC §7.2's Y and
// §7.4's L), with its own fast path (a double-double division) and the exact fallback.
double scaled_dot(const double* a, const double* b, size_t n, double mul, uint64_t div);
bool fast_scaled_dot(const double* a, const double* b, size_t n, double mul, uint64_t div,
                     double* out);

// The fast path's parts: the Dot2 approximation (|X - (hi + lo)| <= err; false when not finite),
// and RN((mul / div) * X) of an approximation when its bound proves it (mul 1 or 2).
bool dot_approx(const double* a, const double* b, size_t n, double ea, double eb, Approx* out);
bool round_scaled(const Approx& x, double mul, uint64_t div, double* out);

// An exact sum of signed products of binary64 numbers, with SPEC §7.1's special values: NaN if a
// term is NaN (a NaN factor or 0 * inf) or infinite terms of both signs occur, else the infinity
// of the infinite terms' sign. Results are the exact value times mul / div, rounded once.
class SignedExact {
 public:
  void add(int sign, double a);
  void add(int sign, double a, double b);
  void add(int sign, double a, double b, double c);
  // RN(total * mul / div) (+0 for an exact zero); div > 0.
  double round(uint64_t mul = 1, uint64_t div = 1);
  // The finite part as positive minus negative WideInts (for scaled combinations); false when a
  // special value decides the result (then *special holds it).
  bool special(double* value) const;
  ExactSum pos, neg;

 private:
  bool nan_ = false, pinf_ = false, ninf_ = false;
  bool note(int sign, double a, double b, double c);
};

// RN(sign * W * 2^unit / div) for W = P - N (exact integers in units of 2^unit).
double round_difference(WideInt& p, WideInt& n, int64_t unit, uint64_t div);

}  // namespace regpen::detail

#endif  // REGPEN_DOT_H
