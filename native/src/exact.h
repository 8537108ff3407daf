// exact.h - the exact fallback: a fixed-point accumulator over the whole exponent range, and the
// wide integer that scales, combines and divides its sums exactly before the single rounding.
//
// Every term regpen sums is a product of at most three non-negative binary64 numbers (|w|, w*w,
// f*|w|, f*w*w, 2*|r_hi|*|r_lo|), so a term is an integer of at most 159 bits times a power of two
// between 2^-3222 and 2^3071. The accumulator holds the exact sum as a big fixed-point integer in
// base-2^32 digits stored in 64-bit words, so up to 2^31 terms can be added before carries must be
// propagated. A scalar result (spec 2.0: the exact value rounded once) is then formed in a WideInt
// as (SSE + n * (c1 * S1 + c2 * S2)) / n, with every product and the quotient exact, and rounded.
#ifndef REGPEN_EXACT_H
#define REGPEN_EXACT_H

#include <cstdint>

namespace regpen::detail {

class WideInt;

class ExactSum {
 public:
  ExactSum() { clear(); }
  void clear();

  // Each argument must be finite and >= 0; the term is their exact product.
  void add(double a);
  void add_product(double a, double b);
  void add_product3(double a, double b, double c);

  // The exact sum rounded once to nearest, ties to even (+0 for an empty sum).
  double round_f64();
  float round_f32();

  // Bit 0 of the fixed-point integer has weight 2^kLowExp, below the smallest possible term
  // 2^-1074 * 2^-1074 * 2^-1074 and a multiple of 32 so that digits align with exponents.
  static constexpr int kLowExp = -3264;

 private:
  friend class WideInt;
  // 6336 bits reach the largest term's top bit; two more digits absorb carries of 2^64 terms,
  // and seven digits of slack let a 223-bit shifted term land anywhere below the top.
  static constexpr int kDigits = 212;
  static constexpr uint32_t kNormalizeEvery = 1u << 30;

  void add_shifted(unsigned __int128 low, uint64_t high, int exp);
  void normalize();

  uint64_t digits_[kDigits];
  uint32_t pending_;
};

// A non-negative integer of up to kDigits base-2^32 digits (no allocation): an ExactSum's value
// in units of 2^ExactSum::kLowExp, multiplied by small integers, shifted, added, subtracted and
// divided exactly. Sizes: a sum is below 2^5400 units; times a parameter's significand (2^53),
// n (2^64) and a shift aligning two parameters' exponents (at most 2^2046) it stays below 2^7600.
class WideInt {
 public:
  static constexpr int kDigits = 288;  // 9216 bits

  WideInt() { clear(); }
  explicit WideInt(ExactSum& sum);  // normalizes the sum's carries first
  void clear();
  bool is_zero() const;

  void multiply(uint64_t m);      // *this *= m
  void shift_left(int bits);      // *this *= 2^bits
  void add(const WideInt& other);
  void subtract(const WideInt& other);  // requires *this >= other
  int compare(const WideInt& other) const;  // -1, 0 or 1 (the signed sums of the solvers)
  uint64_t divide(uint64_t d);    // *this = floor(*this / d); returns the remainder (d > 0)

  // (*this + (inexact ? a positive amount below one unit : 0)) * 2^unit_exp rounded once to
  // `precision` bits with subnormal exponent `min_exp`, ties to even; +inf beyond the range.
  // upward: rounded toward +inf instead (the path's lambda_max, SPEC §7.8).
  double round_to(int precision, int min_exp, int64_t unit_exp, bool inexact,
                  bool upward = false) const;

 private:
  bool bit(int64_t index) const;
  bool any_below(int64_t index) const;

  uint32_t digits_[kDigits];
};

}  // namespace regpen::detail

#endif  // REGPEN_EXACT_H
