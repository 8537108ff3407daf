// exact.h - the exact fallback: a fixed-point accumulator over the whole exponent range.
//
// Every term regpen sums is a product of at most three non-negative binary64 numbers (|w|, w*w,
// f*|w|, f*w*w), so a term is an integer of at most 159 bits times a power of two between 2^-3222
// and 2^3071. The accumulator holds the exact sum as a big fixed-point integer in base-2^32 digits
// stored in 64-bit words, so up to 2^31 terms can be added before carries must be propagated.
// Rounding reads the exact value once, to binary64 or binary32, ties to even, with overflow to +inf.
#ifndef REGPEN_EXACT_H
#define REGPEN_EXACT_H

#include <cstdint>

namespace regpen::detail {

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

 private:
  // Bit 0 of the fixed-point integer has weight 2^kLowExp, below the smallest possible term
  // 2^-1074 * 2^-1074 * 2^-1074 and a multiple of 32 so that digits align with exponents.
  static constexpr int kLowExp = -3264;
  // 6336 bits reach the largest term's top bit; two more digits absorb carries of 2^64 terms,
  // and seven digits of slack let a 223-bit shifted term land anywhere below the top.
  static constexpr int kDigits = 212;
  static constexpr uint32_t kNormalizeEvery = 1u << 30;

  void add_shifted(unsigned __int128 low, uint64_t high, int exp);
  void normalize();
  double round_to(int precision, int min_exp);
  bool bit(int64_t index) const;
  bool any_below(int64_t index) const;

  uint64_t digits_[kDigits];
  uint32_t pending_;
};

}  // namespace regpen::detail

#endif  // REGPEN_EXACT_H
