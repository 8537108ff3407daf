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
  EXPECT_EQ(std::string(regpen_version()), "1.0.0");
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
  EXPECT_EQ(regpen_value_f64(&p, w, 3, 0, out), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_value_f64(&p, w, 3, PTRDIFF_MAX, out), REGPEN_E_INVALID_ARGUMENT);
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
  // A factor/weight mismatch is a shape error, reported before the empty input.
  EXPECT_EQ(regpen_loss_f32(&p, y, 0, 1, q, 0, 1, w, 1, 1, &out), REGPEN_E_SHAPE_MISMATCH);
  p.penalty_factor = nullptr;
  p.factor_len = 0;
  ASSERT_EQ(regpen_loss_f32(&p, y, 2, 1, q, 2, 1, w, 1, 1, &out), REGPEN_OK);
  // mse = 0.25 / 2, value = 0.5 * 1: both exact.
  EXPECT_EQ(out, 0.125f + 0.5f);
}

TEST(Abi, StridesMatchContiguousCopies) {
  std::vector<double> base(300);
  for (size_t i = 0; i < base.size(); ++i) base[i] = std::sin(static_cast<double>(i)) * 1e3;
  regpen_penalty p{REGPEN_ELASTIC_NET, 0.3, 0.2, nullptr, 0};
  for (ptrdiff_t stride : {ptrdiff_t{2}, ptrdiff_t{-1}, ptrdiff_t{-3}}) {
    const size_t n = base.size() / static_cast<size_t>(stride < 0 ? -stride : stride);
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
