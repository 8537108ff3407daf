// test_training.cc - the training vectors (conformance/vectors/training.json, SPEC §7) through
// the C ABI of regpen_train.h on every ISA: trajectory, coef, intercept, n_iter, gap and converged
// bit for bit, the error codes, and the path's fits at the vectors' strengths.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "regpen_train.h"
#include "test_util.h"

namespace {

using json = nlohmann::json;
using regpen::test::IsaScope;
using regpen::test::same_bits;

double hex64(const json& v) { return std::bit_cast<double>(std::stoull(v.get<std::string>(), nullptr, 16)); }

std::vector<double> hex_array(const json& values) {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(hex64(v));
  return out;
}

struct Case {
  regpen_penalty pen{};
  std::vector<double> factors, x, y;
  size_t n = 0, p = 0;
  regpen_fit_options opt{};
  bool y_len_mismatch = false;
};

Case decode(const json& t) {
  Case c;
  const json& pj = t.at("penalty");
  const std::string type = pj.at("type");
  if (type == "l1") {
    c.pen.kind = REGPEN_L1;
    c.pen.l1 = hex64(pj.at("lam"));
  } else if (type == "l2") {
    c.pen.kind = REGPEN_L2;
    c.pen.l2 = hex64(pj.at("lam"));
  } else {
    c.pen.kind = REGPEN_ELASTIC_NET;
    c.pen.l1 = hex64(pj.at("l1"));
    c.pen.l2 = hex64(pj.at("l2"));
  }
  if (pj.contains("penalty_factor")) {
    c.factors = hex_array(pj.at("penalty_factor"));
    c.factors.reserve(1);
    c.pen.penalty_factor = c.factors.data();
    c.pen.factor_len = c.factors.size();
  }
  const json& a = t.at("args");
  c.x = hex_array(a.at("x"));
  c.y = hex_array(a.at("y"));
  c.n = a.at("x_shape")[0];
  c.p = a.at("x_shape")[1];
  c.y_len_mismatch = c.y.size() != c.n;
  regpen_fit_options_init(&c.opt);
  const std::string solver = a.at("solver");
  c.opt.solver = solver == "cd" ? REGPEN_SOLVER_CD
                 : solver == "ista" ? REGPEN_SOLVER_ISTA
                 : solver == "fista" ? REGPEN_SOLVER_FISTA
                                     : 99;
  c.opt.fit_intercept = a.at("fit_intercept").get<bool>() ? 1 : 0;
  c.opt.max_iter = a.at("max_iter").get<size_t>();
  c.opt.tol = hex64(a.at("tol"));
  return c;
}

void expect_bits(const std::vector<double>& got, const json& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(same_bits(got[i], hex64(want[i])))
        << what << "[" << i << "]: got " << got[i] << " want " << hex64(want[i]);
}

json load() {
  std::ifstream in(std::filesystem::path(REGPEN_VECTORS_DIR) / "training.json");
  EXPECT_TRUE(in) << "missing training.json";
  return json::parse(in);
}

class Training : public ::testing::TestWithParam<std::string> {};

TEST_P(Training, EveryTrainVectorMatchesBits) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  int checked = 0;
  const json suite = load();
  for (const auto& group : suite.at("groups")) {
    for (const auto& t : group.at("tests")) {
      if (t.at("operation") != "train") continue;
      SCOPED_TRACE(t.at("id").get<std::string>());
      Case c = decode(t);
      // The C ABI has one n for X and y: a y of another length cannot be expressed.
      if (c.y_len_mismatch) continue;
      std::vector<double> coef(c.p), traj(c.opt.max_iter * c.p);
      c.opt.trajectory = traj.data();
      c.opt.trajectory_capacity = c.opt.max_iter;
      regpen_fit_result res{};
      res.coef = coef.data();
      const int status = regpen_fit_f64(&c.pen, c.x.data(), c.n, c.p, c.y.data(), &c.opt, &res);
      ++checked;
      if (t.contains("expected_error")) {
        EXPECT_STREQ(regpen_strerror(status), t.at("expected_error").get<std::string>().c_str())
            << regpen_last_error();
        continue;
      }
      ASSERT_EQ(status, REGPEN_OK) << regpen_last_error();
      const json& e = t.at("expected");
      ASSERT_EQ(res.n_iter, e.at("n_iter").get<size_t>());
      ASSERT_EQ(e.at("trajectory").size(), res.n_iter);
      for (size_t k = 0; k < res.n_iter; ++k)
        expect_bits(std::vector<double>(traj.begin() + k * c.p, traj.begin() + (k + 1) * c.p),
                    e.at("trajectory")[k], "trajectory " + std::to_string(k));
      expect_bits(coef, e.at("coef"), "coef");
      EXPECT_TRUE(same_bits(res.intercept, hex64(e.at("intercept")))) << res.intercept;
      EXPECT_TRUE(same_bits(res.gap, hex64(e.at("gap")))) << res.gap;
      EXPECT_EQ(res.converged != 0, e.at("converged").get<bool>());
    }
  }
  EXPECT_GE(checked, 40);
}

TEST_P(Training, PathFitsMatchBitsAtTheVectorsStrengths) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  int checked = 0, lambda_checked = 0;
  const json suite = load();
  for (const auto& group : suite.at("groups")) {
    for (const auto& t : group.at("tests")) {
      if (t.at("operation") != "path" || !t.contains("expected")) continue;
      SCOPED_TRACE(t.at("id").get<std::string>());
      Case c = decode(t);
      const json& e = t.at("expected");
      const std::vector<double> s = hex_array(e.at("strengths"));
      const size_t k = s.size();
      std::vector<double> coefs(k * c.p), intercepts(k), gaps(k);
      std::vector<size_t> iters(k);
      std::vector<int> converged(k);
      ASSERT_EQ(regpen_path_f64(&c.pen, c.x.data(), c.n, c.p, c.y.data(), &c.opt, s.data(), k,
                                coefs.data(), intercepts.data(), iters.data(), gaps.data(),
                                converged.data()),
                REGPEN_OK)
          << regpen_last_error();
      if (t.at("args").contains("n_strengths")) {  // the default grid starts at lambda_max
        double top = -1.0;
        ASSERT_EQ(regpen_lambda_max_f64(&c.pen, c.x.data(), c.n, c.p, c.y.data(),
                                        c.opt.fit_intercept, &top),
                  REGPEN_OK);
        EXPECT_TRUE(same_bits(top, s[0])) << top << " vs " << s[0];
        ++lambda_checked;
      }
      for (size_t i = 0; i < k; ++i) {
        expect_bits(std::vector<double>(coefs.begin() + i * c.p, coefs.begin() + (i + 1) * c.p),
                    e.at("coefs")[i], "coefs " + std::to_string(i));
        EXPECT_TRUE(same_bits(intercepts[i], hex64(e.at("intercepts")[i])));
        EXPECT_EQ(iters[i], e.at("n_iters")[i].get<size_t>());
        EXPECT_TRUE(same_bits(gaps[i], hex64(e.at("gaps")[i])));
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 3);
  EXPECT_GE(lambda_checked, 1);
}

INSTANTIATE_TEST_SUITE_P(Isas, Training, ::testing::ValuesIn(regpen::test::available_isas()));

TEST(TrainingAbi, RejectsBadOptionsAndNullOutputs) {
  const regpen_penalty pen{REGPEN_L1, 0.1, 0.0, nullptr, 0};
  const double x[4] = {1, 2, 3, 4}, y[2] = {1, 2};
  double coef[2];
  regpen_fit_result res{};
  res.coef = coef;
  regpen_fit_options o;
  regpen_fit_options_init(&o);
  EXPECT_EQ(regpen_fit_f64(&pen, x, 2, 2, y, nullptr, &res), REGPEN_E_INVALID_ARGUMENT);
  o.tol = std::nan("");
  EXPECT_EQ(regpen_fit_f64(&pen, x, 2, 2, y, &o, &res), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(regpen_last_error()).find("tol"), std::string::npos);
  regpen_fit_options_init(&o);
  EXPECT_EQ(regpen_fit_f64(&pen, x, 2, 2, y, &o, nullptr), REGPEN_E_INVALID_ARGUMENT);
  EXPECT_EQ(regpen_fit_f64(&pen, x, 2, 2, y, &o, &res), REGPEN_OK);
  EXPECT_STREQ(regpen_strerror(REGPEN_E_NON_FINITE_INPUT), "non_finite_input");
  const double s[1] = {0.0};
  double cs[2], ic[1], gp[1];
  size_t it[1];
  int cv[1];
  EXPECT_EQ(regpen_path_f64(&pen, x, 2, 2, y, &o, s, 1, cs, ic, it, gp, cv),
            REGPEN_E_INVALID_LAMBDA);
}

}  // namespace
