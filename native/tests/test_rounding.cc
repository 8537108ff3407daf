// test_rounding.cc - spec 2.0's single rounding of the scalar results on every ISA, on inputs built
// to break the fast path's precondition: exact values on and next to rounding midpoints after the
// scaling by lambda, products near underflow and overflow, the loss with n not a power of two and
// residuals that are not binary64 numbers, and the special values decided per product. Expected
// values come from identities that hold exactly (one IEEE multiplication is RN of the exact
// product; scaling by a power of two is exact) or from midpoints built by hand.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "regpen.h"
#include "test_util.h"

namespace regpen::test {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN64 = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaN32 = std::numeric_limits<float>::quiet_NaN();

class Rounding : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_EQ(regpen_set_isa(GetParam().c_str()), REGPEN_OK); }
  void TearDown() override { regpen_set_isa("auto"); }
};

// The values padded with zeros to n elements (zeros add nothing), so that the same exact value
// goes through the portable path (n < 64), the vector lanes and, from 2^20, two threads.
template <class T>
std::vector<T> padded(std::vector<T> w, size_t n, size_t seed) {
  std::vector<T> out(n > w.size() ? n : w.size(), T(0));
  std::mt19937_64 rng(seed);
  std::vector<size_t> places(out.size());
  for (size_t i = 0; i < places.size(); ++i) places[i] = i;
  std::shuffle(places.begin(), places.end(), rng);
  for (size_t i = 0; i < w.size(); ++i) out[places[i]] = w[i];
  return out;
}

const size_t kSizes[] = {1, 7, 64, 1000, 4099};

template <class T>
T value_of(const regpen_penalty& p, const std::vector<T>& w) {
  T out = T(-1);
  EXPECT_EQ(value(&p, w.data(), w.size(), 1, &out), REGPEN_OK);
  return out;
}

// One IEEE multiplication is the exact product rounded once, so L1(c).value([x]) == fl(c * |x|)
// for every c >= 0 and finite x: across the whole range, subnormal and overflowing results
// included (overflow exactly when the exact product reaches the threshold).
TEST_P(Rounding, SingleL1TermIsOneMultiplication) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(1.0, 2.0);
  std::uniform_int_distribution<int> exponent(-1100, 1050);
  for (int trial = 0; trial < 400; ++trial) {
    const double c = std::ldexp(unit(rng), exponent(rng) / 2);
    const double x = std::ldexp(unit(rng), exponent(rng)) * (trial % 2 ? -1.0 : 1.0);
    if (!std::isfinite(c) || !std::isfinite(x)) continue;
    const regpen_penalty p{REGPEN_L1, c, 0.0, nullptr, 0};
    const size_t n = kSizes[trial % 5];
    const double got = value_of(p, padded<double>({x}, n, trial));
    EXPECT_TRUE(same_bits(got, c * std::fabs(x))) << c << " * " << x << " n " << n;
    // binary32: c rounded to binary32, and c32 * x is exact in binary64, so one float rounding.
    const float x32 = static_cast<float>(std::ldexp(unit(rng), trial % 260 - 140));
    const float c32 = static_cast<float>(c);
    const float got32 = value_of(p, padded<float>({x32}, n, trial));
    float want32 = static_cast<float>(static_cast<double>(c32) * std::fabs(double{x32}));
    // A lambda beyond binary32's range is +inf, and +inf times a padding zero is NaN.
    if (std::isinf(c32) && n > 1) want32 = kNaN32;
    EXPECT_TRUE(same_bits(got32, want32)) << c << " * " << x32 << " n " << n;
  }
}

// L2(c).value([2^k]) is c * 2^(2k) exactly, so the result is ldexp(c, 2k): exact, or rounded once
// into the subnormal range, or +inf. Spec 1.0 made it +inf whenever 2^(2k) overflowed alone.
TEST_P(Rounding, PowerOfTwoSquaresScaleExactly) {
  for (int k = -560; k <= 560; k += 7) {
    for (double c : {1.0, 0.1, 1e-100, 1e100, 3.0 + 0x1p-51}) {
      const regpen_penalty p{REGPEN_L2, 0.0, c, nullptr, 0};
      for (size_t n : {size_t{1}, size_t{1000}}) {
        const double got = value_of(p, padded<double>({std::ldexp(1.0, k)}, n, k + 600));
        EXPECT_TRUE(same_bits(got, std::ldexp(c, 2 * k))) << c << " 2^" << k << " n " << n;
      }
    }
  }
  // The examples of spec 2.0 A.
  const regpen_penalty en{REGPEN_ELASTIC_NET, 1.0, 0.0, nullptr, 0};
  EXPECT_EQ(value_of(en, std::vector<double>{1e200}), 1e200);
  const regpen_penalty l2{REGPEN_L2, 0.0, 0x1p-400, nullptr, 0};
  EXPECT_EQ(value_of(l2, std::vector<double>{0x1p700}), 0x1p1000);
}

// c * S on and next to a midpoint whose even neighbour is the lower one: S = 1 + 3 * 2^-52 and
// c = 3 give 3 + 4.5 ulp (ulp = 2^-51), between 3 + 4 ulp (even) and 3 + 5 ulp (odd). A term of
// 2^-300 lifts the exact value above the midpoint: the lanes keep it, but the double-double of
// c * S cannot (it lies 250 bits below), so the rounding test must refuse and the exact path
// decide. Without the test the hardware's tie-to-even would give the lower neighbour.
TEST_P(Rounding, ScaledMidpointsRoundOnce) {
  const double even = 3.0 + 0x1p-49, odd = 3.0 + 5 * 0x1p-51;
  const regpen_penalty l1{REGPEN_L1, 3.0, 0.0, nullptr, 0};
  const regpen_penalty l2{REGPEN_L2, 0.0, 3.0, nullptr, 0};
  for (size_t n : kSizes) {
    EXPECT_EQ(value_of(l1, padded<double>({1.0, 3 * 0x1p-52}, n, n)), even) << n;
    EXPECT_EQ(value_of(l1, padded<double>({1.0, 3 * 0x1p-52, 0x1p-300}, n, n)), odd) << n;
    EXPECT_EQ(value_of(l1, padded<double>({1.0, 3 * 0x1p-52, 0x1p-1074}, n, n)), odd) << n;
    // The same midpoint from the squared part: 1 + 3 squares of 2^-26, plus 2^-150 squared.
    EXPECT_EQ(value_of(l2, padded<double>({1.0, 0x1p-26, 0x1p-26, -0x1p-26}, n, n)), even) << n;
    EXPECT_EQ(value_of(l2, padded<double>({1.0, 0x1p-26, 0x1p-26, -0x1p-26, 0x1p-150}, n, n)),
              odd)
        << n;
    // Just below a midpoint whose even neighbour is the upper one: 3 * (1 + 2^-52) = 3 + 1.5 ulp
    // ties up to 3 + 2 ulp; 2^-300 less must round down to 3 + 1 ulp. S = 1 + 2^-52 - 2^-300 is
    // written as 1 and 53-bit runs of ones from 2^-53 down to 2^-300.
    EXPECT_EQ(value_of(l1, padded<double>({1.0, 0x1p-52}, n, n)), 3.0 + 0x1p-50) << n;
    const std::vector<double> below{1.0,
                                    0x1p-53 - 0x1p-106,
                                    0x1p-106 - 0x1p-159,
                                    0x1p-159 - 0x1p-212,
                                    0x1p-212 - 0x1p-265,
                                    0x1p-265 - 0x1p-300};
    EXPECT_EQ(value_of(l1, padded<double>(below, n, n)), 3.0 + 0x1p-51) << n;
  }
  // binary32: 3 * (1 + 3 * 2^-23) = 3 + 4.5 binary32 ulps: ties down to the even 3 + 4 ulps; a
  // term of 2^-100 (which survives in binary64 lanes) lifts it to 3 + 5 ulps.
  for (size_t n : kSizes) {
    EXPECT_EQ(value_of(l1, padded<float>({1.0f, 3 * 0x1p-23f}, n, n)), 3.0f + 0x1p-20f) << n;
    EXPECT_EQ(value_of(l1, padded<float>({1.0f, 3 * 0x1p-23f, 0x1p-100f}, n, n)),
              3.0f + 5 * 0x1p-22f)
        << n;
  }
}

template <class T>
T loss_of(const regpen_penalty& p, const std::vector<T>& y, const std::vector<T>& q,
          const std::vector<T>& w) {
  T out = T(-1);
  EXPECT_EQ(loss(&p, y.data(), y.size(), q.data(), q.size(), w.data(), w.size(), &out), REGPEN_OK);
  return out;
}

// The loss: exact residuals, SSE / n with n exact, plus the penalty, rounded once.
TEST_P(Rounding, LossIsRoundedOnceWithExactResiduals) {
  const regpen_penalty none{REGPEN_L1, 0.0, 0.0, nullptr, 0};
  for (size_t n : {size_t{1}, size_t{3}, size_t{7}, size_t{1000}, size_t{100003}}) {
    // y - p = 1 + 2^-53 is not a binary64 number (fl gives 1); its square 1 + 2^-52 + 2^-106
    // rounds to 1 + 2^-52 whatever n is, since every row is the same.
    const std::vector<double> y(n, 1.0), q(n, -0x1p-53);
    EXPECT_EQ(loss_of(none, y, q, std::vector<double>{}), 1.0 + 0x1p-52) << n;
    // SSE = 1 over n rows: RN(1 / n) is one IEEE division.
    std::vector<double> y1(n, 0.0), q1(n, 0.0);
    y1[n / 2] = 1.0;
    EXPECT_TRUE(same_bits(loss_of(none, y1, q1, std::vector<double>{}), 1.0 / static_cast<double>(n)))
        << n;
    // SSE / n = 1 exactly, plus a penalty of 2^-53: the midpoint above 1 ties down to 1; a penalty
    // of 2^-53 + 2^-300 (the second L1 term 2^-247) lies 250 bits below the first and lifts the
    // exact value above the midpoint: only the exact path sees it.
    std::vector<double> y2(n, 1.0), q2(n, 0.0);
    const regpen_penalty tiny{REGPEN_L1, 0x1p-53, 0.0, nullptr, 0};
    EXPECT_EQ(loss_of(tiny, y2, q2, std::vector<double>{1.0}), 1.0) << n;
    EXPECT_EQ(loss_of(tiny, y2, q2, std::vector<double>{1.0, 0x1p-247}), 1.0 + 0x1p-52) << n;
    // The residuals decide the same way: n rows of r = 1 + 2^-54 + 2^-200 (not a binary64
    // number: y = 1 + 2^-52, p = 2^-52 - 2^-54 - 2^-200 rounds, so p is built to give exactly
    // r = 1 + 2^-54) square to 1 + 2^-53 + 2^-108: just above the midpoint, so up.
    const std::vector<double> y3(n, 1.0 + 0x1p-52), q3(n, 0x1p-52 - 0x1p-54);
    EXPECT_EQ(loss_of(none, y3, q3, std::vector<double>{}), 1.0 + 0x1p-52) << n;
  }
  // n = 3: SSE = 1 + 2 * 2^-52, so SSE / 3 is not a binary64 number; plus 2/3 - ... : the exact
  // value (1 + 2^-51) / 3 + 2 / 3 = 1 + 2^-51 / 3 rounds to 1 (below half an ulp of 1: 2^-53).
  const std::vector<double> y{1.0, 0x1p-26, 0x1p-26}, q{0.0, 0.0, 0.0};
  const regpen_penalty two_thirds{REGPEN_L2, 0.0, 2.0 / 3.0, nullptr, 0};
  const double got = loss_of(two_thirds, y, q, std::vector<double>{1.0});
  // 2/3 in binary64 is 2/3 - 2^-54 / 3; the exact total is 1 + 2^-51 / 3 - 2^-54 / 3 < 1 + 2^-53.
  EXPECT_EQ(got, 1.0);
  // Spec 2.0 A: y = 4 x [1e154], p = 0, empty w: the exact mean 1e308 is finite.
  const std::vector<double> big(4, 1e154), zero(4, 0.0);
  EXPECT_EQ(loss_of(none, big, zero, std::vector<double>{}), 1e154 * 1e154);
  // Residuals beyond binary64: y = max, p = -max gives r = 2 max, r^2 overflows: +inf.
  const double max = std::numeric_limits<double>::max();
  EXPECT_EQ(loss_of(none, std::vector<double>{max}, std::vector<double>{-max}, std::vector<double>{}),
            kInf);
  // binary32 residuals that are not binary32 (nor binary64) numbers: 2^100 - 2^-100.
  const std::vector<float> y32{0x1p100f}, q32{0x1p-100f};
  EXPECT_EQ(loss_of(none, y32, q32, std::vector<float>{}), 0x1p100f * 0x1p100f);
}

// Special values per product (spec 2.0 A) and the canonical NaN (spec 2.0 B) on every ISA.
TEST_P(Rounding, SpecialValuesPerProductAndCanonicalNaN) {
  const uint64_t nan_bits = 0x7ff8000000000000u;
  const double neg_payload = std::bit_cast<double>(uint64_t{0xfff4000000000123u});
  for (size_t n : {size_t{1}, size_t{1000}}) {
    const regpen_penalty l1_zero{REGPEN_L1, 0.0, 0.0, nullptr, 0};
    EXPECT_EQ(std::bit_cast<uint64_t>(value_of(l1_zero, padded<double>({kInf}, n, 1))), nan_bits);
    const regpen_penalty l1{REGPEN_L1, 1.0, 0.0, nullptr, 0};
    EXPECT_EQ(value_of(l1, padded<double>({-kInf}, n, 1)), kInf);
    EXPECT_EQ(std::bit_cast<uint64_t>(value_of(l1, padded<double>({neg_payload, kInf}, n, 2))),
              nan_bits);
    const regpen_penalty en{REGPEN_ELASTIC_NET, 1.0, 0.0, nullptr, 0};
    EXPECT_EQ(std::bit_cast<uint64_t>(value_of(en, padded<double>({kInf}, n, 3))), nan_bits);
    // A binary32 factor that rounds to +inf with w = 0: inf * 0 is NaN.
    std::vector<double> f(n, 1.0);
    f[0] = 1e39;
    std::vector<float> w32(n, 1.0f);
    w32[0] = 0.0f;
    const regpen_penalty factored{REGPEN_L1, 1.0, 0.0, f.data(), n};
    EXPECT_EQ(std::bit_cast<uint32_t>(value_of(factored, w32)), 0x7fc00000u);
    // The same factor in binary64 is finite: 1e39 * 0 = 0.
    std::vector<double> w64(n, 1.0);
    w64[0] = 0.0;
    EXPECT_EQ(value_of(factored, w64), static_cast<double>(n - 1));
    // A binary32 lambda beyond binary32's range is +inf: +inf for w != 0, NaN with a zero.
    const regpen_penalty huge{REGPEN_L2, 0.0, 1e39, nullptr, 0};
    EXPECT_EQ(value_of(huge, std::vector<float>(n, 2.0f)), std::numeric_limits<float>::infinity());
    EXPECT_EQ(std::bit_cast<uint32_t>(value_of(huge, padded<float>({2.0f, 0.0f}, n + 1, 4))),
              0x7fc00000u);
    EXPECT_EQ(value_of(huge, std::vector<float>{}), 0.0f);
    // Loss: inf - inf of the same sign is NaN; of opposite signs +inf.
    const std::vector<double> y(n, kInf), q_same(n, kInf), q_opposite(n, -kInf);
    EXPECT_EQ(std::bit_cast<uint64_t>(loss_of(l1, y, q_same, std::vector<double>{})), nan_bits);
    EXPECT_EQ(loss_of(l1, y, q_opposite, std::vector<double>{}), kInf);
  }
}

// Elementwise outputs: every NaN is the canonical one, whatever the input NaN or the hardware's
// default NaN (x86 gives 0xfff8... for 0 * inf), on every ISA and in vectorized loops.
TEST_P(Rounding, ElementwiseNaNsAreCanonical) {
  const double neg_payload = std::bit_cast<double>(uint64_t{0xfff4000000000123u});
  const float neg_payload32 = std::bit_cast<float>(uint32_t{0xffa00001u});
  const double f[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  for (const regpen_penalty& base :
       {regpen_penalty{REGPEN_L1, 0.5, 0.0, nullptr, 0}, regpen_penalty{REGPEN_L2, 0.0, 0.5, nullptr, 0},
        regpen_penalty{REGPEN_ELASTIC_NET, 0.5, 0.5, nullptr, 0}}) {
    for (bool factored : {false, true}) {
      regpen_penalty p = base;
      if (factored) {
        p.penalty_factor = f;
        p.factor_len = 9;
      }
      std::vector<double> w{1.0, neg_payload, -kNaN64, 2.0, neg_payload, 0.0, kInf, -kInf, 3.0};
      std::vector<double> out(w.size());
      std::vector<float> w32{1.0f, neg_payload32, -kNaN32, 2.0f, neg_payload32, 0.0f, 1e30f, -2.0f, 3.0f};
      std::vector<float> out32(w32.size());
      ASSERT_EQ(regpen_gradient_f64(&p, w.data(), w.size(), 1, out.data()), REGPEN_OK);
      for (double x : out)
        EXPECT_TRUE(!std::isnan(x) || std::bit_cast<uint64_t>(x) == 0x7ff8000000000000u);
      ASSERT_EQ(regpen_prox_f64(&p, w.data(), w.size(), 1, 0.5, out.data()), REGPEN_OK);
      for (double x : out)
        EXPECT_TRUE(!std::isnan(x) || std::bit_cast<uint64_t>(x) == 0x7ff8000000000000u);
      ASSERT_EQ(regpen_gradient_f32(&p, w32.data(), w32.size(), 1, out32.data()), REGPEN_OK);
      for (float x : out32)
        EXPECT_TRUE(!std::isnan(x) || std::bit_cast<uint32_t>(x) == 0x7fc00000u);
      EXPECT_TRUE(std::isnan(out32[1]) && std::isnan(out32[2]));
    }
  }
  // prox with step = 0 and lam32 = +inf: t = 0 * inf = NaN (x86's 0xffc00000), so every element
  // is the canonical NaN (spec 2.0 C).
  const regpen_penalty huge{REGPEN_L1, 1e39, 0.0, nullptr, 0};
  std::vector<float> w(100, 1.5f), out(100);
  ASSERT_EQ(regpen_prox_f32(&huge, w.data(), w.size(), 1, 0.0, out.data()), REGPEN_OK);
  for (float x : out) EXPECT_EQ(std::bit_cast<uint32_t>(x), 0x7fc00000u);
}

INSTANTIATE_TEST_SUITE_P(EachIsa, Rounding, ::testing::ValuesIn(available_isas()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace regpen::test
