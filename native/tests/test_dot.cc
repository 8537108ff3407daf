// test_dot.cc - the signed dot product of the solvers (dot.h) against the exact accumulator and
// against hand-computed values, on inputs that break its fast path's precondition: cancellation
// to tiny results, exact ties, products that underflow or overflow, zeros of both signs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "dot.h"
#include "test_util.h"

namespace {

using regpen::detail::dot;
using regpen::detail::exact_dot;
using regpen::detail::fast_dot;
using regpen::test::IsaScope;
using regpen::test::same_bits;

class Dot : public ::testing::TestWithParam<std::string> {};

double dot_of(const std::vector<double>& a, const std::vector<double>& b, double ea = 0.0,
              double eb = 0.0) {
  return dot(a.data(), b.data(), a.size(), ea, eb);
}

TEST_P(Dot, HandComputedEdgeCases) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  const double big = 0x1p900, tiny = 0x1p-1000;
  // Cancellation to a tiny result: big - big leaves the tiny product.
  EXPECT_TRUE(same_bits(dot_of({big, 1.0, -big}, {1.0, tiny, 1.0}), tiny));
  // An exact tie rounds to even; a far smaller term breaks it (1 + 2^-53 + 2^-300 rounds up).
  EXPECT_TRUE(same_bits(dot_of({1.0, 0x1p-53}, {1.0, 1.0}), 1.0));
  EXPECT_TRUE(same_bits(dot_of({1.0, 0x1p-53, 0x1p-300}, {1.0, 1.0, 1.0}), 1.0 + 0x1p-52));
  EXPECT_TRUE(same_bits(dot_of({1.0 + 0x1p-52, 0x1p-53}, {1.0, 1.0}), 1.0 + 0x1p-51));
  // The same with the extra term carrying the tie-breaker, and negated.
  EXPECT_TRUE(same_bits(dot_of({-1.0, -0x1p-53}, {1.0, 1.0}, -0x1p-300, 1.0), -1.0 - 0x1p-52));
  // Products below the subnormals: 2^-600 * 2^-600 = 2^-1200 rounds to +0, three of them too;
  // 2^-537 * 2^-538 = 2^-1075 is a tie between 0 and 2^-1074 (to even: 0), plus a hair: 2^-1074.
  EXPECT_TRUE(same_bits(dot_of({0x1p-600, 0x1p-600, 0x1p-600}, {0x1p-600, 0x1p-600, 0x1p-600}), 0.0));
  EXPECT_TRUE(same_bits(dot_of({0x1p-537}, {0x1p-538}), 0.0));
  EXPECT_TRUE(same_bits(dot_of({0x1p-537, 0x1p-600}, {0x1p-538, 0x1p-600}), 0x1p-1074));
  EXPECT_TRUE(same_bits(dot_of({-0x1p-537, -0x1p-600}, {0x1p-538, 0x1p-600}), -0x1p-1074));
  // Subnormal products summing to a normal number.
  std::vector<double> sub(4096, 0x1p-1030), one(4096, 1.0);
  EXPECT_TRUE(same_bits(dot_of(sub, one), 0x1p-1018));
  // Overflow: the exact sum beyond the range is +inf; a partial sum overflowing but the total
  // back in range is exact; infinities of both signs are NaN, 0 * inf is NaN.
  const double m = std::numeric_limits<double>::max();
  EXPECT_TRUE(same_bits(dot_of({m, m}, {1.0, 1.0}), std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(same_bits(dot_of({m, m, -m}, {1.0, 1.0, 1.0}), m));
  EXPECT_TRUE(same_bits(dot_of({0x1p600, -0x1p600}, {0x1p600, 0x1p600}), 0.0));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isnan(dot_of({inf, 1.0}, {1.0, -inf})));
  EXPECT_TRUE(std::isnan(dot_of({inf, 1.0}, {0.0, 1.0})));
  EXPECT_TRUE(same_bits(dot_of({inf, 1.0}, {-1.0, 1.0}), -inf));
  // Zeros: an exact zero is +0 whatever the signs of the zero terms.
  EXPECT_TRUE(same_bits(dot_of({-0.0, 0.0}, {1.0, -1.0}), 0.0));
  EXPECT_TRUE(same_bits(dot_of({}, {}, -0.0, 1.0), 0.0));
  EXPECT_TRUE(same_bits(dot_of({1.0, -1.0}, {3.0, 3.0}), 0.0));
}

// Random signed inputs built to cancel (half the terms negate the other half up to a small
// perturbation) and random magnitudes: the fast path must agree with the exact one whenever it
// accepts, and the tests must see it both accept and decline.
TEST_P(Dot, AgreesWithExactOnCancellingRandomInputs) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> expo(-60, 60), len(0, 300), kind(0, 3);
  int accepted = 0, declined = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const size_t n = static_cast<size_t>(len(rng));
    std::vector<double> a(n), b(n);
    const int k = kind(rng);
    for (size_t i = 0; i < n; ++i) {
      a[i] = std::ldexp(unit(rng), k == 3 ? expo(rng) * 16 : expo(rng));
      b[i] = std::ldexp(unit(rng), k == 3 ? expo(rng) * 16 : expo(rng) / 4);
    }
    if (k >= 1 && n >= 2) {  // second half cancels the first, perturbed in the last bits
      for (size_t i = n / 2; i < 2 * (n / 2); ++i) {
        a[i] = -a[i - n / 2];
        b[i] = k == 2 ? b[i - n / 2] : std::nextafter(b[i - n / 2], 2.0 * b[i - n / 2]);
      }
    }
    const double ea = k == 2 ? unit(rng) * 0x1p-80 : 0.0, eb = 1.0;
    const double want = exact_dot(a.data(), b.data(), n, ea, eb);
    double got;
    if (fast_dot(a.data(), b.data(), n, ea, eb, &got)) {
      ++accepted;
      ASSERT_TRUE(same_bits(got, want)) << "trial " << trial << " got " << got << " want " << want;
    } else {
      ++declined;
    }
    ASSERT_TRUE(same_bits(dot(a.data(), b.data(), n, ea, eb), want)) << "trial " << trial;
  }
  EXPECT_GT(accepted, 800);
  EXPECT_GT(declined, 10);
}

// The scaled sums (means, Y, L): exact quotients on a midpoint, next to it, and random ones
// against the exact accumulator.
TEST_P(Dot, ScaledDotRoundsTheExactQuotientOnce) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  using regpen::detail::fast_scaled_dot;
  using regpen::detail::scaled_dot;
  const std::vector<double> one{1.0, 1.0, 1.0};
  // (3 + 3 * 2^-53) / 3 = 1 + 2^-53: a tie, to even 1; a hair more rounds up.
  const std::vector<double> tie{3.0, 3 * 0x1p-53, 0.0}, above{3.0, 3 * 0x1p-53, 0x1p-200};
  EXPECT_TRUE(same_bits(scaled_dot(tie.data(), one.data(), 3, 1.0, 3), 1.0));
  EXPECT_TRUE(same_bits(scaled_dot(above.data(), one.data(), 3, 1.0, 3), 1.0 + 0x1p-52));
  const std::vector<double> neg{-3.0, -3 * 0x1p-53, -0x1p-200};
  EXPECT_TRUE(same_bits(scaled_dot(neg.data(), one.data(), 3, 2.0, 3), -2.0 - 0x1p-51));
  const std::vector<double> zero{1.0, -1.0, 0.0};
  EXPECT_TRUE(same_bits(scaled_dot(zero.data(), one.data(), 3, 1.0, 3), 0.0));
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  int accepted = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const size_t n = 1 + trial % 97;
    std::vector<double> a(n), b(n, 1.0);
    for (auto& v : a) v = std::ldexp(unit(rng), static_cast<int>(rng() % 40) - 20);
    const uint64_t div = 1 + rng() % 1000;
    const double mul = trial % 2 ? 2.0 : 1.0;
    regpen::detail::SignedExact exact;
    for (double v : a) exact.add(1, v);
    const double want = exact.round(static_cast<uint64_t>(mul), div);
    double got;
    if (fast_scaled_dot(a.data(), b.data(), n, mul, div, &got)) {
      ++accepted;
      ASSERT_TRUE(same_bits(got, want)) << "trial " << trial;
    }
    ASSERT_TRUE(same_bits(scaled_dot(a.data(), b.data(), n, mul, div), want)) << "trial " << trial;
  }
  EXPECT_GT(accepted, 1900);
}

INSTANTIATE_TEST_SUITE_P(Isas, Dot, ::testing::ValuesIn(regpen::test::available_isas()));

}  // namespace
