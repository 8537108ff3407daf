// test_isa.cc - every ISA against the portable kernels on random data of many lengths, layouts
// and magnitude mixes, and the fast reductions against the exact path alone. Correct rounding
// makes the answer unique, so there is no tolerance: bits must be equal.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels.h"
#include "sums.h"
#include "test_util.h"

namespace regpen::test {
namespace {

// Random values of one of several characters: ordinary, wide exponent range, tiny (squares
// underflow), near-ties (many equal values plus one half-ulp), and a few specials.
template <class T>
std::vector<T> random_values(std::mt19937_64& rng, size_t n, int mix) {
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> exponent(-60, 60);
  std::vector<T> w(n);
  for (size_t i = 0; i < n; ++i) {
    double x = normal(rng);
    switch (mix) {
      case 1: x = std::ldexp(x, exponent(rng)); break;
      case 2: x = std::ldexp(x, sizeof(T) == 8 ? -540 : -75); break;
      case 3: x = (i % 2 == 0) ? 1.0 : (i == 1 ? std::ldexp(1.0, sizeof(T) == 8 ? -53 : -24) : 1.0); break;
      case 4:
        if (i % 17 == 3) x = std::numeric_limits<double>::infinity();
        if (i % 29 == 5) x = -0.0;
        break;
      default: break;
    }
    w[i] = static_cast<T>(x);
  }
  return w;
}

const regpen_penalty kPenalties[] = {
    {REGPEN_L1, 0.1, 0.0, nullptr, 0},
    {REGPEN_L2, 0.0, 0.37, nullptr, 0},
    {REGPEN_ELASTIC_NET, 0.01, 1e-3, nullptr, 0},
};

const size_t kLengths[] = {0, 1, 3, 7, 8, 15, 16, 31, 33, 63, 64, 65, 127, 1000, 2049, 5003, 40000};

template <class T>
struct Results {
  std::vector<T> values, gradients, proxes, losses;
};

template <class T>
Results<T> run_all(const std::vector<T>& w, const std::vector<T>& y, const std::vector<double>& f,
                   ptrdiff_t stride) {
  Results<T> r;
  const size_t n = w.size() / static_cast<size_t>(stride);
  std::vector<T> out(n);
  for (regpen_penalty p : kPenalties) {
    for (bool factors : {false, true}) {
      p.penalty_factor = factors ? f.data() : nullptr;
      p.factor_len = factors ? n : 0;
      T v = 0;
      EXPECT_EQ(value(&p, w.data(), n, stride, &v), REGPEN_OK);
      r.values.push_back(v);
      // The fast path (lanes, rounding test) against the exact path alone.
      double factor_max = 0.0;
      for (size_t i = 0; factors && i < n; ++i) factor_max = std::max(factor_max, f[i]);
      const detail::Terms t = detail::terms_for<T>(&p, factor_max);
      EXPECT_TRUE(same_bits(v, detail::exact_value_result<T>(t, w.data(), n, stride)))
          << "value kind " << p.kind << " factors " << factors << " n " << n;
      EXPECT_EQ(gradient(&p, w.data(), n, stride, out.data()), REGPEN_OK);
      r.gradients.insert(r.gradients.end(), out.begin(), out.end());
      EXPECT_EQ(prox(&p, w.data(), n, stride, 0.25, out.data()), REGPEN_OK);
      r.proxes.insert(r.proxes.end(), out.begin(), out.end());
      if (n > 0 && stride == 1) {
        EXPECT_EQ(loss(&p, y.data(), n, w.data(), n, w.data(), n, &v), REGPEN_OK);
        r.losses.push_back(v);
        EXPECT_TRUE(same_bits(
            v, detail::exact_loss_result<T>(t, y.data(), 1, w.data(), 1, n, w.data(), n, 1)))
            << "loss kind " << p.kind << " factors " << factors << " n " << n;
      }
    }
  }
  return r;
}

template <class T>
void expect_same(const std::vector<T>& a, const std::vector<T>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_TRUE(same_bits(a[i], b[i])) << what << " [" << i << "]: " << a[i] << " vs " << b[i];
}

template <class T>
void compare_isa(const std::string& isa) {
  std::mt19937_64 rng(2026);
  for (int mix = 0; mix < 5; ++mix) {
    for (size_t n : kLengths) {
      for (ptrdiff_t stride : {ptrdiff_t{1}, ptrdiff_t{3}}) {
        const std::vector<T> w = random_values<T>(rng, n * stride, mix);
        const std::vector<T> y = random_values<T>(rng, n * stride, mix);
        std::vector<double> f(n);
        for (size_t i = 0; i < n; ++i) f[i] = (i % 5 == 0) ? 0.0 : 0.5 + (i % 3);
        Results<T> portable, other;
        {
          IsaScope scope("scalar");
          portable = run_all(w, y, f, stride);
        }
        {
          IsaScope scope(isa);
          ASSERT_TRUE(scope.ok);
          other = run_all(w, y, f, stride);
        }
        const std::string what = isa + " mix " + std::to_string(mix) + " n " + std::to_string(n) +
                                 " stride " + std::to_string(stride);
        expect_same(portable.values, other.values, what + " value");
        expect_same(portable.gradients, other.gradients, what + " gradient");
        expect_same(portable.proxes, other.proxes, what + " prox");
        expect_same(portable.losses, other.losses, what + " loss");
      }
    }
  }
}

class EachIsa : public ::testing::TestWithParam<std::string> {};

// Every ISA but the portable one against the portable kernels (the portable one against itself
// would prove nothing, issue 14).
class OtherIsa : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> vector_isas() {
  std::vector<std::string> names = available_isas();
  names.erase(std::remove(names.begin(), names.end(), "scalar"), names.end());
  return names;
}

TEST_P(OtherIsa, MatchesPortableFloat64) { compare_isa<double>(GetParam()); }
TEST_P(OtherIsa, MatchesPortableFloat32) { compare_isa<float>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Kernels, OtherIsa, ::testing::ValuesIn(vector_isas()),
                         [](const auto& info) { return info.param; });
// A CPU without AVX2 has no ISA to compare with the portable kernels.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OtherIsa);

// Factors of every character: zero, ordinary, huge, tiny (their products underflow).
std::vector<double> random_factors(std::mt19937_64& rng, size_t n, int mix) {
  std::uniform_real_distribution<double> unit(0.0, 2.0);
  std::vector<double> f(n);
  for (size_t i = 0; i < n; ++i) {
    f[i] = unit(rng);
    if (i % 7 == 0) f[i] = 0.0;
    if (mix == 1 && i % 5 == 1) f[i] = 1e200;
    if (mix == 2 && i % 3 == 1) f[i] = 1e-300;
  }
  return f;
}

// The fast path (Sum2 plus the bound check) against the exact accumulator alone, with and without
// penalty factors.
template <class T>
void compare_fast_with_exact(const std::string& isa) {
  IsaScope scope(isa);
  ASSERT_TRUE(scope.ok);
  const detail::Kernels& k = detail::active_kernels();
  std::mt19937_64 rng(99);
  for (int mix = 0; mix < 5; ++mix) {
    for (size_t n : kLengths) {
      const std::vector<T> w = random_values<T>(rng, n, mix);
      const std::vector<double> f = random_factors(rng, n, mix);
      double factor_max = 0.0;
      for (double x : f) factor_max = x > factor_max ? x : factor_max;
      for (const double* factors : {static_cast<const double*>(nullptr), f.data()}) {
        T fast1, fast2, exact1, exact2;
        detail::weight_sums<T>(k, w.data(), n, 1, factors, factor_max, &fast1, &fast2);
        detail::exact_weight_sums<T>(w.data(), n, 1, factors, &exact1, &exact2);
        const char* which = factors ? " with factors" : "";
        EXPECT_TRUE(same_bits(fast1, exact1)) << isa << " abs mix " << mix << " n " << n << which;
        EXPECT_TRUE(same_bits(fast2, exact2)) << isa << " square mix " << mix << " n " << n << which;
      }
    }
  }
}

TEST_P(EachIsa, FastSumsEqualExactFloat64) { compare_fast_with_exact<double>(GetParam()); }
TEST_P(EachIsa, FastSumsEqualExactFloat32) { compare_fast_with_exact<float>(GetParam()); }

// Inputs above detail::kParallelAbove are split over two threads; strided inputs never are, so a
// reversed view (stride -1) of the reversed array is a single-threaded second opinion.
template <class T>
void compare_threaded(const std::string& isa) {
  IsaScope scope(isa);
  ASSERT_TRUE(scope.ok);
  std::mt19937_64 rng(11);
  const size_t n = (size_t{3} << 19) + 5;
  std::vector<T> w = random_values<T>(rng, n, 1);
  std::vector<T> reversed(w.rbegin(), w.rend());
  const T* last = reversed.data() + n - 1;
  std::vector<T> a(n), b(n);
  for (const regpen_penalty& p : kPenalties) {
    T x = 0, y = 0;
    ASSERT_EQ(value(&p, w.data(), n, 1, &x), REGPEN_OK);
    ASSERT_EQ(value(&p, last, n, -1, &y), REGPEN_OK);
    EXPECT_TRUE(same_bits(x, y)) << isa << " kind " << p.kind;
    ASSERT_EQ(prox(&p, w.data(), n, 1, 0.5, a.data()), REGPEN_OK);
    ASSERT_EQ(prox(&p, last, n, -1, 0.5, b.data()), REGPEN_OK);
    expect_same(a, b, isa + " prox");
    ASSERT_EQ(gradient(&p, w.data(), n, 1, a.data()), REGPEN_OK);
    ASSERT_EQ(gradient(&p, last, n, -1, b.data()), REGPEN_OK);
    expect_same(a, b, isa + " gradient");
  }
  T fast1, fast2, exact1, exact2;
  detail::weight_sums<T>(detail::active_kernels(), w.data(), n, 1, nullptr, 0.0, &fast1, &fast2);
  detail::exact_weight_sums<T>(w.data(), n, 1, nullptr, &exact1, &exact2);
  EXPECT_TRUE(same_bits(fast1, exact1));
  EXPECT_TRUE(same_bits(fast2, exact2));
}

// Exact ties and near-ties at a scale where the lanes, the threads and the bound all matter:
// 2^20 + 3 ones (the binary64 ulp of the sum is 2^-32) plus squares worth exactly half an ulp,
// shuffled; an optional square of 2^-16 moves the base to an odd last bit, and an optional tiny
// term breaks the tie upwards.
TEST_P(EachIsa, TiesAtScaleRoundToEven) {
  IsaScope scope(GetParam());
  ASSERT_TRUE(scope.ok);
  std::mt19937_64 rng(3);
  const double ones = static_cast<double>((size_t{1} << 20) + 3);  // last significand bit 0
  const double ulp = 0x1p-32;
  regpen_penalty l2{REGPEN_L2, 0.0, 1.0, nullptr, 0};
  regpen_penalty l1{REGPEN_L1, 1.0, 0.0, nullptr, 0};
  for (bool odd : {false, true}) {
    for (bool breaker : {false, true}) {
      std::vector<double> w((size_t{1} << 20) + 3, 1.0);
      w.push_back(0x1p-17);  // two squares of 2^-34: half an ulp
      w.push_back(-0x1p-17);
      if (odd) w.push_back(0x1p-16);  // square 2^-32: one ulp
      if (breaker) w.push_back(0x1p-300);
      std::shuffle(w.begin(), w.end(), rng);
      const double base = odd ? ones + ulp : ones;
      // A tie goes to the even neighbour: down from an even base, up from an odd one.
      const double expected = (odd || breaker) ? base + ulp : base;
      double v = 0;
      ASSERT_EQ(value(&l2, w.data(), w.size(), 1, &v), REGPEN_OK);
      EXPECT_EQ(v, expected) << "square odd " << odd << " breaker " << breaker;
      // The same sums as absolute values: half an ulp is 2^-33 itself.
      for (double& x : w) x = x * x;
      ASSERT_EQ(value(&l1, w.data(), w.size(), 1, &v), REGPEN_OK);
      EXPECT_EQ(v, expected) << "abs odd " << odd << " breaker " << breaker;
    }
  }
}

// Inputs that break the FastTwoSum runs' precondition (a term larger than its lane's sum): a
// geometric climb, tiny terms (with long significands) before one huge outlier at many places,
// and leading zeros. Failed runs are redone with TwoSum; the result must still be exact.
template <class T>
void compare_growing(const std::string& isa) {
  IsaScope scope(isa);
  ASSERT_TRUE(scope.ok);
  const detail::Kernels& k = detail::active_kernels();
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(1.0, 2.0);
  const size_t n = 5003;
  for (int shape = 0; shape < 3; ++shape) {
    for (size_t at : {size_t{300}, size_t{1001}, size_t{2500}, size_t{4999}}) {
      std::vector<T> w(n);
      for (size_t i = 0; i < n; ++i) {
        double x = unit(rng);
        if (shape == 0) x = std::ldexp(x, static_cast<int>(i / 64) - 40);
        if (shape == 1) x = i == at ? 0x1p20 : std::ldexp(x, -30);
        if (shape == 2 && i < at) x = 0.0;
        w[i] = static_cast<T>(x);
      }
      T fast1, fast2, exact1, exact2;
      detail::weight_sums<T>(k, w.data(), n, 1, nullptr, 0.0, &fast1, &fast2);
      detail::exact_weight_sums<T>(w.data(), n, 1, nullptr, &exact1, &exact2);
      EXPECT_TRUE(same_bits(fast1, exact1)) << isa << " abs shape " << shape << " at " << at;
      EXPECT_TRUE(same_bits(fast2, exact2)) << isa << " square shape " << shape << " at " << at;
    }
  }
}

TEST_P(EachIsa, GrowingSumsEqualExactFloat64) { compare_growing<double>(GetParam()); }
TEST_P(EachIsa, GrowingSumsEqualExactFloat32) { compare_growing<float>(GetParam()); }

TEST_P(EachIsa, LargeInputsSplitOverThreadsFloat64) { compare_threaded<double>(GetParam()); }
TEST_P(EachIsa, LargeInputsSplitOverThreadsFloat32) { compare_threaded<float>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Kernels, EachIsa, ::testing::ValuesIn(available_isas()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace regpen::test
