// test_abi.cc - the C ABI's contract: status codes in the spec's order, argument checks,
// strides (negative ones too), ISA selection, and the strings of regpen_strerror.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "regpen.h"
#include "test_util.h"

namespace regpen::test {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

TEST(Abi, StrerrorNamesEverySpecCode) {
  const char* names[] = {"ok", "invalid_lambda", "invalid_step", "shape_mismatch", "empty_input",
                         "invalid_dtype", "invalid_penalty_factor", "invalid_config",
                         "invalid_argument"};
  for (int code = 0; code <= 8; ++code) EXPECT_EQ(std::string(regpen_strerror(code)), names[code]);
  EXPECT_EQ(std::string(regpen_strerror(42)), "unknown");
  EXPECT_EQ(std::string(regpen_version()), "2.0.0");
}

TEST(Abi, PenaltyChecksInSpecOrder) {
  const double f_bad[] = {1.0, -1.0};
  regpen_penalty p{REGPEN_ELASTIC_NET, -1.0, 0.5, f_bad, 2};
  EXPECT_EQ(regpen_validate_penalty(&p), REGPEN_E_INVALID_LAMBDA);  // lambda before factor
  p.l1 = 0.5;
  EXPECT_EQ(regpen_validate_penalty(&p), REGPEN_E_INVALID_PENALTY_FACTOR);
  const double f_ok[] = {1.0, 0.0};
  p.penalty_factor = f_ok;
  EXPECT_EQ(regpen_validate_penalty(&p), REGPEN_OK);
  for (double bad : {kNaN, kInf, -kInf, -1e-300}) {
    p.l2 = bad;
    EXPECT_EQ(regpen_validate_penalty(&p), REGPEN_E_INVALID_LAMBDA) << bad;
  }
  // The L1 kind ignores l2 and the L2 kind ignores l1.
  regpen_penalty l1{REGPEN_L1, 0.1, kNaN, nullptr, 0};
  EXPECT_EQ(regpen_validate_penalty(&l1), REGPEN_OK);
  regpen_penalty unknown{7, 0.1, 0.1, nullptr, 0};
  EXPECT_EQ(regpen_validate_penalty(&unknown), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_validate_penalty(nullptr), REGPEN_E_INVALID_ARGUMENT);
  regpen_penalty dangling{REGPEN_L1, 0.1, 0.0, nullptr, 3};
  EXPECT_EQ(regpen_validate_penalty(&dangling), REGPEN_E_INVALID_ARGUMENT);
}

TEST(Abi, ArgumentsAndShapes) {
  const double w[] = {1.0, -2.0, 3.0};
  double out[3];
  regpen_penalty p{REGPEN_L1, 0.5, 0.0, nullptr, 0};
  EXPECT_EQ(regpen_value_f64(&p, nullptr, 3, 1, out), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_value_f64(&p, w, 3, 1, nullptr), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_value_f64(&p, w, 3, PTRDIFF_MAX, out), REGPEN_E_INVALID_ARGUMENT);
  // The stride is checked in bytes: 2^61 elements of 8 bytes fit no address space, although
  // (n - 1) * 2^61 fits a ptrdiff_t (issue 12: this read w[0] twice and returned 1.0).
  EXPECT_EQ(regpen_value_f64(&p, w, 2, ptrdiff_t{1} << 61, out), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_value_f64(&p, w, 2, -(ptrdiff_t{1} << 61), out), REGPEN_E_INVALID_ARGUMENT);
  const float wf[] = {1.0f};
  float of = 0;
  EXPECT_EQ(regpen_value_f32(&p, wf, 2, ptrdiff_t{1} << 62, &of), REGPEN_E_INVALID_ARGUMENT);
  // A zero stride is a broadcast: n copies of one element (numpy's broadcast_to).
  ASSERT_EQ(regpen_value_f64(&p, w, 3, 0, out), REGPEN_OK);
  EXPECT_EQ(out[0], 1.5);
  EXPECT_EQ(regpen_value_f64(&p, nullptr, 0, 1, out), REGPEN_OK);
  EXPECT_TRUE(same_bits(out[0], 0.0));
  const double f[] = {1.0, 1.0};
  p.penalty_factor = f;
  p.factor_len = 2;
  EXPECT_EQ(regpen_value_f64(&p, w, 3, 1, out), REGPEN_E_SHAPE_MISMATCH);
  EXPECT_EQ(regpen_gradient_f64(&p, w, 3, 1, out), REGPEN_E_SHAPE_MISMATCH);
  // invalid_step comes after the penalty checks and before shapes.
  EXPECT_EQ(regpen_prox_f64(&p, w, 3, 1, -1.0, out), REGPEN_E_INVALID_STEP);
  EXPECT_EQ(regpen_prox_f64(&p, w, 3, 1, kNaN, out), REGPEN_E_INVALID_STEP);
  p.l1 = kInf;
  EXPECT_EQ(regpen_prox_f64(&p, w, 3, 1, -1.0, out), REGPEN_E_INVALID_LAMBDA);
}

TEST(Abi, LossChecks) {
  const float y[] = {1.0f, 2.0f}, q[] = {1.5f, 2.0f}, w[] = {1.0f};
  float out = 0;
  regpen_penalty p{REGPEN_L2, 0.0, 0.5, nullptr, 0};
  EXPECT_EQ(regpen_loss_f32(&p, y, 2, 1, q, 1, 1, w, 1, 1, &out), REGPEN_E_SHAPE_MISMATCH);
  EXPECT_EQ(regpen_loss_f32(&p, y, 0, 1, q, 0, 1, w, 1, 1, &out), REGPEN_E_EMPTY_INPUT);
  const double f[] = {1.0, 1.0};
  p.penalty_factor = f;
  p.factor_len = 2;
  // Spec 2.0 D: lengths of y, then n > 0, then factors against w.
  EXPECT_EQ(regpen_loss_f32(&p, y, 0, 1, q, 0, 1, w, 1, 1, &out), REGPEN_E_EMPTY_INPUT);
  EXPECT_EQ(regpen_loss_f32(&p, y, 2, 1, q, 1, 1, w, 1, 1, &out), REGPEN_E_SHAPE_MISMATCH);
  EXPECT_EQ(regpen_loss_f32(&p, y, 2, 1, q, 2, 1, w, 1, 1, &out), REGPEN_E_SHAPE_MISMATCH);
  p.penalty_factor = nullptr;
  p.factor_len = 0;
  ASSERT_EQ(regpen_loss_f32(&p, y, 2, 1, q, 2, 1, w, 1, 1, &out), REGPEN_OK);
  // mse = 0.25 / 2, value = 0.5 * 1: both exact.
  EXPECT_EQ(out, 0.125f + 0.5f);
}

// Every failure leaves a message naming the parameter, the value and the rule.
TEST(Abi, LastErrorNamesParameterValueAndRule) {
  const double w[] = {1.0, 2.0};
  double out[2];
  auto message = [] { return std::string(regpen_last_error()); };
  regpen_penalty l1{REGPEN_L1, -5.0, 0.0, nullptr, 0};
  EXPECT_EQ(regpen_value_f64(&l1, w, 2, 1, out), REGPEN_E_INVALID_LAMBDA);
  EXPECT_EQ(message(), "lam must be finite and >= 0, got -5");
  regpen_penalty en{REGPEN_ELASTIC_NET, 0.1, kNaN, nullptr, 0};
  EXPECT_EQ(regpen_gradient_f64(&en, w, 2, 1, out), REGPEN_E_INVALID_LAMBDA);
  EXPECT_EQ(message(), "l2 must be finite and >= 0, got nan");
  const double f[] = {1.0, -0.5};
  regpen_penalty factored{REGPEN_L2, 0.0, 1.0, f, 2};
  EXPECT_EQ(regpen_value_f64(&factored, w, 2, 1, out), REGPEN_E_INVALID_PENALTY_FACTOR);
  EXPECT_EQ(message(), "penalty_factor[1] must be finite and >= 0, got -0.5");
  factored.factor_len = 1;
  EXPECT_EQ(regpen_value_f64(&factored, w, 2, 1, out), REGPEN_E_SHAPE_MISMATCH);
  EXPECT_EQ(message(), "penalty_factor has 1 entries for 2 weights (one factor per weight)");
  regpen_penalty ok{REGPEN_L1, 0.1, 0.0, nullptr, 0};
  EXPECT_EQ(regpen_prox_f64(&ok, w, 2, 1, -kInf, out), REGPEN_E_INVALID_STEP);
  EXPECT_EQ(message(), "step must be finite and >= 0, got -inf");
  EXPECT_EQ(regpen_value_f64(&ok, w, 2, ptrdiff_t{1} << 61, out), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_NE(message().find("w: stride 2305843009213693952"), std::string::npos) << message();
  EXPECT_EQ(regpen_loss_f64(&ok, w, 2, 1, w, 1, 1, w, 2, 1, out), REGPEN_E_SHAPE_MISMATCH);
  EXPECT_EQ(message(), "y_true has 2 elements but y_pred has 1 (they must have the same length)");
  regpen_penalty unknown{9, 0.1, 0.1, nullptr, 0};
  EXPECT_EQ(regpen_validate_penalty(&unknown), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_NE(message().find("penalty kind 9 is unknown"), std::string::npos) << message();
}

// The seed helper is L1(lambda).value(w) in w's dtype: lambda rounded once to binary32 and the
// exact value rounded once, not fl32(lam32 * RN32(S)).
TEST(Abi, L1RegularizationIsTheL1Value) {
  const float w[] = {3.0f};
  float out = 0;
  ASSERT_EQ(regpen_l1_regularization_f32(w, 1, 1, 0.3, &out), REGPEN_OK);
  EXPECT_EQ(out, static_cast<float>(3.0 * static_cast<double>(0.3f)));
  const double wd[] = {0.5, -0.3, 0.0, 1.2};
  double a = 0, b = 0;
  regpen_penalty l1{REGPEN_L1, 0.01, 0.0, nullptr, 0};
  ASSERT_EQ(regpen_l1_regularization_f64(wd, 4, 1, 0.01, &a), REGPEN_OK);
  ASSERT_EQ(regpen_value_f64(&l1, wd, 4, 1, &b), REGPEN_OK);
  EXPECT_TRUE(same_bits(a, b));
  EXPECT_EQ(regpen_l1_regularization_f64(wd, 4, 1, -1.0, &a), REGPEN_E_INVALID_LAMBDA);
}

TEST(Abi, StridesMatchContiguousCopies) {
  std::vector<double> base(300);
  for (size_t i = 0; i < base.size(); ++i) base[i] = std::sin(static_cast<double>(i)) * 1e3;
  regpen_penalty p{REGPEN_ELASTIC_NET, 0.3, 0.2, nullptr, 0};
  for (ptrdiff_t stride : {ptrdiff_t{2}, ptrdiff_t{-1}, ptrdiff_t{-3}, ptrdiff_t{0}}) {
    const size_t n = stride == 0 ? 77 : base.size() / static_cast<size_t>(stride < 0 ? -stride : stride);
    const double* first = stride > 0 ? base.data() : base.data() + base.size() - 1;
    std::vector<double> copy(n);
    for (size_t i = 0; i < n; ++i) copy[i] = first[static_cast<ptrdiff_t>(i) * stride];
    double a = 0, b = 0;
    ASSERT_EQ(regpen_value_f64(&p, first, n, stride, &a), REGPEN_OK);
    ASSERT_EQ(regpen_value_f64(&p, copy.data(), n, 1, &b), REGPEN_OK);
    EXPECT_TRUE(same_bits(a, b)) << stride;
    std::vector<double> ga(n), gb(n);
    ASSERT_EQ(regpen_prox_f64(&p, first, n, stride, 0.5, ga.data()), REGPEN_OK);
    ASSERT_EQ(regpen_prox_f64(&p, copy.data(), n, 1, 0.5, gb.data()), REGPEN_OK);
    for (size_t i = 0; i < n; ++i) EXPECT_TRUE(same_bits(ga[i], gb[i])) << stride << " " << i;
  }
}

TEST(Abi, IsaSelection) {
  // Every test leaves the start-up choice active: the best ISA, unless REGPEN_ISA caps it.
  const std::string startup = regpen_isa();
  if (std::getenv("REGPEN_ISA") == nullptr) {
    EXPECT_EQ(startup, available_isas().back());
  }
  EXPECT_EQ(regpen_set_isa("no-such-isa"), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_set_isa(nullptr), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_isa_available("scalar"), 1);
  for (const std::string& name : available_isas()) {
    ASSERT_EQ(regpen_set_isa(name.c_str()), REGPEN_OK);
    EXPECT_EQ(std::string(regpen_isa()), name);
  }
  ASSERT_EQ(regpen_set_isa("auto"), REGPEN_OK);
  EXPECT_EQ(std::string(regpen_isa()), startup);
}

}  // namespace
}  // namespace regpen::test
