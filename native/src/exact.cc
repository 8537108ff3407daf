// exact.cc - the exact fixed-point accumulator (see exact.h) and its single rounding.
#include "exact.h"

#include <cmath>
#include <cstring>

namespace regpen::detail {
namespace {

// A finite double x >= 0 as m * 2^e with an integer m < 2^53.
struct Decomposed {
  uint64_t m;
  int e;
};

Decomposed decompose(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const uint64_t frac = bits & ((uint64_t{1} << 52) - 1);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased == 0) return {frac, -1074};
  return {frac | (uint64_t{1} << 52), biased - 1075};
}

}  // namespace

void ExactSum::clear() {
  std::memset(digits_, 0, sizeof digits_);
  pending_ = 0;
}

void ExactSum::add(double a) {
  const Decomposed x = decompose(a);
  if (x.m != 0) add_shifted(x.m, 0, x.e);
}

void ExactSum::add_product(double a, double b) {
  const Decomposed x = decompose(a), y = decompose(b);
  const unsigned __int128 p = static_cast<unsigned __int128>(x.m) * y.m;
  if (p != 0) add_shifted(p, 0, x.e + y.e);
}

void ExactSum::add_product3(double a, double b, double c) {
  const Decomposed x = decompose(a), y = decompose(b), z = decompose(c);
  // (x.m * y.m) has at most 106 bits; multiplying its two 64-bit halves by z.m gives 159 bits.
  const unsigned __int128 p = static_cast<unsigned __int128>(x.m) * y.m;
  const unsigned __int128 lo = static_cast<unsigned __int128>(static_cast<uint64_t>(p)) * z.m;
  const unsigned __int128 hi = static_cast<unsigned __int128>(static_cast<uint64_t>(p >> 64)) * z.m;
  const unsigned __int128 mid = (lo >> 64) + static_cast<uint64_t>(hi);
  const unsigned __int128 low = (mid << 64) | static_cast<uint64_t>(lo);
  const uint64_t high = static_cast<uint64_t>(hi >> 64) + static_cast<uint64_t>(mid >> 64);
  if (low != 0 || high != 0) add_shifted(low, high, x.e + y.e + z.e);
}

// Adds (high * 2^128 + low) * 2^exp, a value below 2^192, into the digits.
void ExactSum::add_shifted(unsigned __int128 low, uint64_t high, int exp) {
  const int pos = exp - kLowExp;
  const int first = pos >> 5;
  const int shift = pos & 31;
  // Shift the 192-bit value left by `shift` into four 64-bit words, then split into 32-bit digits.
  uint64_t w[4] = {static_cast<uint64_t>(low), static_cast<uint64_t>(low >> 64), high, 0};
  if (shift != 0) {
    w[3] = w[2] >> (64 - shift);
    w[2] = (w[2] << shift) | (w[1] >> (64 - shift));
    w[1] = (w[1] << shift) | (w[0] >> (64 - shift));
    w[0] <<= shift;
  }
  for (int j = 0; j < 7; ++j) {
    const uint64_t digit = (w[j >> 1] >> ((j & 1) * 32)) & 0xffffffffu;
    digits_[first + j] += digit;
  }
  if (++pending_ == kNormalizeEvery) normalize();
}

void ExactSum::normalize() {
  uint64_t carry = 0;
  for (int k = 0; k < kDigits; ++k) {
    const uint64_t v = digits_[k] + carry;
    digits_[k] = v & 0xffffffffu;
    carry = v >> 32;
  }
  // The top digit has room for every carry a sum of 2^64 terms can produce, so carry is 0 here.
  digits_[kDigits - 1] += carry << 32;
  pending_ = 0;
}

WideInt::WideInt(ExactSum& sum) {
  sum.normalize();
  static_assert(ExactSum::kDigits <= kDigits);
  clear();
  for (int k = 0; k < ExactSum::kDigits; ++k) digits_[k] = static_cast<uint32_t>(sum.digits_[k]);
}

void WideInt::clear() { std::memset(digits_, 0, sizeof digits_); }

bool WideInt::is_zero() const {
  for (uint32_t d : digits_)
    if (d != 0) return false;
  return true;
}

void WideInt::multiply(uint64_t m) {
  unsigned __int128 carry = 0;
  for (uint32_t& d : digits_) {
    const unsigned __int128 v = static_cast<unsigned __int128>(d) * m + carry;
    d = static_cast<uint32_t>(v);
    carry = v >> 32;
  }
}

void WideInt::shift_left(int bits) {
  const int words = bits >> 5, shift = bits & 31;
  for (int k = kDigits - 1; k >= 0; --k) {
    const int from = k - words;
    const uint64_t hi = from >= 0 ? digits_[from] : 0;
    const uint64_t lo = from >= 1 ? digits_[from - 1] : 0;
    digits_[k] = static_cast<uint32_t>(((hi << 32 | lo) << shift) >> 32);
  }
}

void WideInt::add(const WideInt& other) {
  uint64_t carry = 0;
  for (int k = 0; k < kDigits; ++k) {
    const uint64_t v = uint64_t{digits_[k]} + other.digits_[k] + carry;
    digits_[k] = static_cast<uint32_t>(v);
    carry = v >> 32;
  }
}

void WideInt::subtract(const WideInt& other) {
  uint64_t borrow = 0;
  for (int k = 0; k < kDigits; ++k) {
    const uint64_t v = uint64_t{digits_[k]} - other.digits_[k] - borrow;
    digits_[k] = static_cast<uint32_t>(v);
    borrow = (v >> 32) != 0 ? 1 : 0;
  }
}

int WideInt::compare(const WideInt& other) const {
  for (int k = kDigits - 1; k >= 0; --k)
    if (digits_[k] != other.digits_[k]) return digits_[k] > other.digits_[k] ? 1 : -1;
  return 0;
}

uint64_t WideInt::divide(uint64_t d) {
  unsigned __int128 rem = 0;
  for (int k = kDigits - 1; k >= 0; --k) {
    const unsigned __int128 v = rem << 32 | digits_[k];
    digits_[k] = static_cast<uint32_t>(v / d);
    rem = v % d;
  }
  return static_cast<uint64_t>(rem);
}

bool WideInt::bit(int64_t index) const {
  if (index < 0 || index >= int64_t{32} * kDigits) return false;
  return (digits_[index >> 5] >> (index & 31)) & 1u;
}

bool WideInt::any_below(int64_t index) const {
  if (index <= 0) return false;
  const int64_t digit = index >> 5;
  for (int64_t k = 0; k < digit; ++k)
    if (digits_[k] != 0) return true;
  const int bits = static_cast<int>(index & 31);
  return bits != 0 && (digits_[digit] & ((uint32_t{1} << bits) - 1)) != 0;
}

double WideInt::round_to(int precision, int min_exp, int64_t unit_exp, bool inexact,
                         bool upward) const {
  int top = kDigits - 1;
  while (top >= 0 && digits_[top] == 0) --top;
  // A zero integer part with a remainder is a positive value below 2^unit_exp, far below the
  // smallest subnormal: it rounds to +0 (unit_exp < min_exp - 1 for every caller).
  if (top < 0) return upward && inexact ? std::ldexp(1.0, min_exp) : 0.0;
  const int64_t msb = int64_t{32} * top + (31 - __builtin_clz(digits_[top]));
  int64_t ulp_exp = msb + unit_exp - (precision - 1);
  if (ulp_exp < min_exp) ulp_exp = min_exp;
  const int64_t ulp_bit = ulp_exp - unit_exp;  // > 0: unit_exp is below every min_exp
  uint64_t m = 0;
  for (int64_t i = msb; i >= ulp_bit; --i) m = (m << 1) | (bit(i) ? 1u : 0u);
  const bool round = bit(ulp_bit - 1);
  const bool sticky = inexact || any_below(ulp_bit - 1);
  if (upward ? (round || sticky) : (round && (sticky || (m & 1u)))) ++m;
  // m <= 2^precision is exact in binary64; ldexp overflows to +inf exactly when the rounded
  // value reaches 2^1024, and a huge ulp_exp saturates the same way.
  const int e = ulp_exp > 4000 ? 4000 : static_cast<int>(ulp_exp);
  return std::ldexp(static_cast<double>(m), e);
}

double ExactSum::round_f64() { return WideInt(*this).round_to(53, -1074, kLowExp, false); }

// The binary32 result is rounded once from the exact sum; the binary64 value m * 2^e below is
// already a binary32 number or at least 2^128, so the conversion only maps the latter to +inf.
float ExactSum::round_f32() {
  return static_cast<float>(WideInt(*this).round_to(24, -149, kLowExp, false));
}

}  // namespace regpen::detail
