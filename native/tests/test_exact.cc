// test_exact.cc - the building blocks of the correctly rounded sums: the exact fixed-point
// accumulator (every rounding case, the range ends) and the fast path's bound check, which must
// refuse to decide whenever the exact sum could lie on the other side of a rounding boundary.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "exact.h"
#include "kernels.h"
#include "sums.h"
#include "test_util.h"

namespace regpen::detail {
namespace {

using regpen::test::same_bits;

TEST(ExactSum, EmptyIsPositiveZero) {
  ExactSum acc;
  EXPECT_TRUE(same_bits(acc.round_f64(), 0.0));
  EXPECT_TRUE(same_bits(acc.round_f32(), 0.0f));
}

TEST(ExactSum, TiesRoundToEven) {
  // 1 + 2^-53 is the midpoint between 1 and 1 + 2^-52: ties to even gives 1.
  ExactSum a;
  a.add(1.0);
  a.add(0x1p-53);
  EXPECT_EQ(a.round_f64(), 1.0);
  // (1 + 2^-52) + 2^-53 is a midpoint whose even neighbour is 1 + 2^-51.
  ExactSum b;
  b.add(1.0 + 0x1p-52);
  b.add(0x1p-53);
  EXPECT_EQ(b.round_f64(), 1.0 + 0x1p-51);
  // Any sticky bit below the midpoint rounds up.
  ExactSum c;
  c.add(1.0);
  c.add(0x1p-53);
  c.add(0x1p-1074);
  EXPECT_EQ(c.round_f64(), 1.0 + 0x1p-52);
}

TEST(ExactSum, Float32RoundsOnceFromTheExactValue) {
  // 1 + 2^-24 + 2^-60: rounding to binary64 first gives 1 + 2^-24, a binary32 midpoint that then
  // ties to 1; the exact value is above the midpoint, so the right binary32 result is 1 + 2^-23.
  ExactSum a;
  a.add(1.0);
  a.add(0x1p-24);
  a.add(0x1p-60);
  EXPECT_EQ(a.round_f32(), 1.0f + 0x1p-23f);
  EXPECT_EQ(static_cast<float>(a.round_f64()), 1.0f);  // the double rounding the design avoids
}

TEST(ExactSum, ProductsAreExact) {
  // (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104. With 2^-53 added the total sits 2^-104 above the midpoint
  // between 1 + 2^-51 and 1 + 3 * 2^-52; a rounded square would tie down to the even 1 + 2^-51.
  const double x = 1.0 + 0x1p-52;
  ExactSum a;
  a.add_product(x, x);
  a.add(0x1p-53);
  EXPECT_EQ(a.round_f64(), 1.0 + 3 * 0x1p-52);
  ExactSum b;
  b.add_product3(x, x, x);  // 1 + 3*2^-52 + 3*2^-104 + 2^-156
  EXPECT_EQ(b.round_f64(), 1.0 + 3 * 0x1p-52);
  // The tiny parts of three products of 1 + 2^-52 decide a midpoint: 1.5 * 2^-52 above 1 + 2^-52.
  ExactSum c;
  c.add_product3(x, x, x);
  c.add(0x1p-53);
  EXPECT_EQ(c.round_f64(), 1.0 + 4 * 0x1p-52);  // 1 + 3.5 ulp + tiny rounds up to 1 + 4 ulp
}

TEST(ExactSum, SubnormalAndUnderflowingTerms) {
  const double tiny = std::numeric_limits<double>::denorm_min();
  ExactSum a;
  for (int i = 0; i < 3; ++i) a.add(tiny);
  EXPECT_EQ(a.round_f64(), 3 * tiny);
  // Squares below the subnormal range still count: four squares of 2^-538 (each 2^-1076) sum to
  // exactly the smallest subnormal.
  ExactSum b;
  for (int i = 0; i < 4; ++i) b.add_product(0x1p-538, 0x1p-538);
  EXPECT_EQ(b.round_f64(), tiny);
  // Three of them sum to 0.75 of the smallest subnormal, which rounds up to it.
  ExactSum c;
  for (int i = 0; i < 3; ++i) c.add_product(0x1p-538, 0x1p-538);
  EXPECT_EQ(c.round_f64(), tiny);
  // Two sum to exactly half of it: a tie, rounded to the even neighbour, zero.
  ExactSum d;
  for (int i = 0; i < 2; ++i) d.add_product(0x1p-538, 0x1p-538);
  EXPECT_TRUE(same_bits(d.round_f64(), 0.0));
  // 2.5 smallest subnormals tie to the even 2; the smallest possible term, a product of three
  // smallest subnormals (2^-3222), is still counted and breaks the tie upwards.
  ExactSum e;
  e.add(2 * tiny);
  e.add_product(0x1p-537, 0x1p-538);
  EXPECT_EQ(e.round_f64(), 2 * tiny);
  e.add_product3(tiny, tiny, tiny);
  EXPECT_EQ(e.round_f64(), 3 * tiny);
}

TEST(ExactSum, OverflowRoundsToInfinity) {
  const double big = std::numeric_limits<double>::max();
  ExactSum a;
  a.add(big);
  a.add(big);
  EXPECT_EQ(a.round_f64(), std::numeric_limits<double>::infinity());
  // max + half an ulp is the overflow threshold: a tie that rounds to infinity (even side).
  ExactSum b;
  b.add(big);
  b.add(0x1p970);
  EXPECT_EQ(b.round_f64(), std::numeric_limits<double>::infinity());
  // Just below the threshold stays finite.
  ExactSum c;
  c.add(big);
  c.add(0x1p969);
  EXPECT_EQ(c.round_f64(), big);
  // Squares beyond the binary64 range are exact terms too: 2^600 squared is 2^1200.
  ExactSum d;
  d.add_product(0x1p600, 0x1p600);
  EXPECT_EQ(d.round_f64(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(d.round_f32(), std::numeric_limits<float>::infinity());
  // binary32 overflow: FLT_MAX + half its ulp (2^103) ties to infinity.
  ExactSum e;
  e.add(std::numeric_limits<float>::max());
  e.add(0x1p103);
  EXPECT_EQ(e.round_f32(), std::numeric_limits<float>::infinity());
}

TEST(ExactSum, ManyTermsCarryCorrectly) {
  // 3 * 2^21 copies of (1 + 2^-52): every carry chain of the digits is exercised.
  ExactSum a;
  const int n = 3 << 21;
  for (int i = 0; i < n; ++i) a.add(1.0 + 0x1p-52);
  EXPECT_EQ(a.round_f64(), n * (1.0 + 0x1p-52));
}

TEST(ExactSum, MatchesLongDoubleOnSmallIntegers) {
  // Sums of integers below 2^40 are exact in every format: an independent reference.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    ExactSum acc;
    uint64_t total = 0;
    for (int i = 0; i < 50; ++i) {
      const uint64_t v = rng() >> 24;
      total += v;
      acc.add(static_cast<double>(v));
    }
    EXPECT_EQ(acc.round_f64(), static_cast<double>(total));
  }
}

// A LaneSums with one lane: s and c as given, m terms seen.
LaneSums one_lane(double s, double c, uint64_t m) {
  LaneSums l;
  l.reset(1);
  l.s[0] = s;
  l.c[0] = c;
  l.per_lane = m;
  return l;
}

TEST(FinishSum, DecidesClearCases) {
  double out = 0;
  ASSERT_TRUE(finish_sum(one_lane(1.0, 0x1p-60, 10), 0.0, &out));
  EXPECT_EQ(out, 1.0);
  float out32 = 0;
  ASSERT_TRUE(finish_sum(one_lane(1.0, 0x1p-60, 10), 0.0, &out32));
  EXPECT_EQ(out32, 1.0f);
}

TEST(FinishSum, RefusesNearAMidpoint) {
  double out = 0;
  // s + c is exactly the midpoint 1 + 2^-53: only the exact path may decide.
  EXPECT_FALSE(finish_sum(one_lane(1.0, 0x1p-53, 10), 0.0, &out));
  // Within the error bound of a midpoint (m = 2^20 terms gives a bound near 2^-66).
  EXPECT_FALSE(finish_sum(one_lane(1.0, 0x1p-53 + 0x1p-70, 1 << 20), 0.0, &out));
  float out32 = 0;
  EXPECT_FALSE(finish_sum(one_lane(1.0, 0x1p-24, 10), 0.0, &out32));
  // A binary64 hi that is itself a binary32 midpoint, with a tiny positive lo: must not tie down.
  EXPECT_FALSE(finish_sum(one_lane(1.0 + 0x1p-24, 0x1p-80, 1 << 20), 0.0, &out32));
}

TEST(FinishSum, RefusesSpecialAndExtremeResults) {
  double out = 0;
  EXPECT_FALSE(finish_sum(one_lane(std::numeric_limits<double>::infinity(), 0, 1), 0.0, &out));
  EXPECT_FALSE(finish_sum(one_lane(std::nan(""), 0, 1), 0.0, &out));
  EXPECT_FALSE(finish_sum(one_lane(0x1p-1000, 0, 1), 0.0, &out));
  EXPECT_FALSE(finish_sum(one_lane(0x1p1020, 0, 1), 0.0, &out));
  // An all-zero accumulation is exactly zero, unless TwoProd errors may have underflowed.
  ASSERT_TRUE(finish_sum(one_lane(0, 0, 1), 0.0, &out));
  EXPECT_TRUE(same_bits(out, 0.0));
  EXPECT_FALSE(finish_sum(one_lane(0, 0, 1), 0x1p-1074, &out));
}

}  // namespace
}  // namespace regpen::detail
