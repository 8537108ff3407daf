// test_vectors.cc - runs every golden vector of conformance/vectors (value, gradient, prox, loss,
// l1_regularization) through the C ABI on every ISA this CPU has, and compares every bit (NaN
// included) or the error code.
//
// Skipped, with the count and the reason printed: tests whose inputs a typed C signature cannot
// express (mixed dtypes, integer elements, y_true/y_pred shapes that differ at equal sizes: the
// bindings handle those before calling the C ABI, and the harness runs them there), and generated
// tests, whose generator is implemented once, in Python, for the oracle and the harness.
// Multi-dimensional tests run on their flat C-order data.
#include <gtest/gtest.h>

#include <bit>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "regpen.h"
#include "test_util.h"

namespace regpen::test {
namespace {

using nlohmann::json;

double decode64(const std::string& hex) { return std::bit_cast<double>(std::stoull(hex, nullptr, 16)); }
float decode32(const std::string& hex) {
  return std::bit_cast<float>(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)));
}

template <class T>
T decode(const std::string& hex) {
  if constexpr (sizeof(T) == 8) {
    return decode64(hex);
  } else {
    return decode32(hex);
  }
}

template <class T>
std::vector<T> decode_array(const json& values) {
  std::vector<T> out;
  for (const auto& v : values) out.push_back(decode<T>(v.get<std::string>()));
  return out;
}

struct PenaltyData {
  regpen_penalty c{};
  std::vector<double> factors;
};

PenaltyData decode_penalty(const json& test) {
  PenaltyData out;
  if (!test.contains("penalty")) return out;  // l1_regularization builds its own
  const json& p = test.at("penalty");
  const std::string type = p.at("type");
  if (type == "l1") {
    out.c.kind = REGPEN_L1;
    out.c.l1 = decode64(p.at("lam"));
  } else if (type == "l2") {
    out.c.kind = REGPEN_L2;
    out.c.l2 = decode64(p.at("lam"));
  } else {
    out.c.kind = REGPEN_ELASTIC_NET;
    out.c.l1 = decode64(p.at("l1"));
    out.c.l2 = decode64(p.at("l2"));
  }
  if (p.contains("penalty_factor")) {
    out.factors = decode_array<double>(p.at("penalty_factor"));
    // An empty factor list is still a factor list: the pointer must not be NULL.
    out.factors.reserve(1);
    out.c.penalty_factor = out.factors.data();
    out.c.factor_len = out.factors.size();
  }
  return out;
}

// Calls the C ABI for one test; returns the status and fills `got` with the result.
template <class T>
int run_test(const json& test, const regpen_penalty& p, std::vector<T>& got) {
  const std::string op = test.at("operation");
  const json& args = test.at("args");
  if (op == "loss") {
    const std::vector<T> y = decode_array<T>(args.at("y_true"));
    const std::vector<T> q = decode_array<T>(args.at("y_pred"));
    const std::vector<T> w = decode_array<T>(args.at("w"));
    got.assign(1, T(0));
    return loss(&p, y.data(), y.size(), q.data(), q.size(), w.data(), w.size(), got.data());
  }
  const std::vector<T> w = decode_array<T>(args.at("w"));
  if (op == "l1_regularization") {
    got.assign(1, T(0));
    const double lambda = decode64(args.at("lambda"));
    if constexpr (sizeof(T) == sizeof(double)) {
      return regpen_l1_regularization_f64(w.data(), w.size(), 1, lambda, got.data());
    } else {
      return regpen_l1_regularization_f32(w.data(), w.size(), 1, lambda, got.data());
    }
  }
  if (op == "value") {
    got.assign(1, T(0));
    return value(&p, w.data(), w.size(), 1, got.data());
  }
  got.assign(w.size(), T(0));
  if (op == "gradient") return gradient(&p, w.data(), w.size(), 1, got.data());
  return prox(&p, w.data(), w.size(), 1, decode64(args.at("step")), got.data());
}

template <class T>
void check_test(const json& test, int& checked) {
  const PenaltyData p = decode_penalty(test);
  std::vector<T> got;
  const int status = run_test<T>(test, p.c, got);
  const std::string id = test.at("id");
  ++checked;
  if (test.contains("expected_error")) {
    EXPECT_EQ(std::string(regpen_strerror(status)), test.at("expected_error").get<std::string>())
        << id;
    return;
  }
  ASSERT_EQ(status, REGPEN_OK) << id << ": " << regpen_strerror(status);
  const json& expected = test.at("expected");
  std::vector<T> want = expected.is_array() ? decode_array<T>(expected)
                                            : std::vector<T>{decode<T>(expected.get<std::string>())};
  ASSERT_EQ(got.size(), want.size()) << id;
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_TRUE(same_bits(got[i], want[i])) << id << " [" << i << "]: got " << got[i] << " want "
                                            << want[i];
}

class Vectors : public ::testing::TestWithParam<std::string> {};

// Why a test cannot run through the typed C ABI, or "" when it can.
std::string skip_reason(const json& test) {
  if (test.contains("arg_dtypes")) {
    for (const auto& [arg, dtype] : test.at("arg_dtypes").items())
      if (dtype.get<std::string>().rfind("int", 0) == 0) return "integer elements (integer_input)";
    return "mixed dtypes (mixed_dtype)";
  }
  // A multi-dimensional test is its flat C-order data to the C ABI (reductions over all
  // elements, factors in C order, elementwise results flat); only a loss whose y_true and y_pred
  // shapes differ with equal sizes cannot be told apart.
  if (test.contains("shapes")) {
    const json& shapes = test.at("shapes");
    if (shapes.value("y_true", json()) != shapes.value("y_pred", json()))
      return "y_true and y_pred shapes that differ (ndarray; a flat C array has no shape)";
  }
  for (const auto& [arg, value] : test.at("args").items())
    if (value.is_object()) return "generated inputs (generator implemented in Python)";
  return "";
}

TEST_P(Vectors, EveryVectorMatchesBits) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  const std::filesystem::path dir = REGPEN_VECTORS_DIR;
  int checked = 0;
  std::map<std::string, int> skipped;
  for (const char* file :
       {"value.json", "gradient.json", "prox.json", "loss.json", "l1_regularization.json"}) {
    std::ifstream in(dir / file);
    if (!in && std::string(file) == "l1_regularization.json") {
      std::ifstream manifest(dir / "manifest.json");
      const std::string version = json::parse(manifest).value("suite_version", "");
      // Suite 1.0 has no l1_regularization operation; from 2.0 on the file must be there.
      ASSERT_EQ(version.rfind("1.", 0), 0u) << "missing " << (dir / file) << " in suite " << version;
      skipped["l1_regularization.json (suite " + version + " has no such operation)"] += 1;
      continue;
    }
    ASSERT_TRUE(in) << "missing " << (dir / file) << ": generate the vectors with `make vectors`";
    const json suite = json::parse(in);
    for (const auto& group : suite.at("groups")) {
      for (const auto& test : group.at("tests")) {
        const std::string reason = skip_reason(test);
        if (!reason.empty()) {
          ++skipped[reason];
          continue;
        }
        if (test.at("dtype") == "float64") {
          check_test<double>(test, checked);
        } else {
          check_test<float>(test, checked);
        }
      }
    }
  }
  // The suite has thousands of numeric vectors; a handful would mean the files were truncated.
  EXPECT_GT(checked, 1000);
  std::cout << "[ " << GetParam() << " ] " << checked << " vectors checked\n";
  for (const auto& [reason, count] : skipped)
    std::cout << "[ " << GetParam() << " ] skipped " << count << ": " << reason << "\n";
}

INSTANTIATE_TEST_SUITE_P(EachIsa, Vectors, ::testing::ValuesIn(available_isas()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace regpen::test
