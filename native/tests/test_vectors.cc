// test_vectors.cc - runs every golden vector of conformance/vectors (value, gradient, prox, loss)
// through the C ABI on every ISA this CPU has, and compares bits or error codes.
//
// Tests flagged mixed_dtype are skipped: a typed C signature cannot express them (the bindings
// check dtypes before calling the C ABI, and the harness covers them there).
#include <gtest/gtest.h>

#include <bit>
#include <filesystem>
#include <fstream>
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

PenaltyData decode_penalty(const json& p) {
  PenaltyData out;
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
  const PenaltyData p = decode_penalty(test.at("penalty"));
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

TEST_P(Vectors, EveryVectorMatchesBits) {
  IsaScope isa(GetParam());
  ASSERT_TRUE(isa.ok);
  const std::filesystem::path dir = REGPEN_VECTORS_DIR;
  int checked = 0, skipped = 0;
  for (const char* file : {"value.json", "gradient.json", "prox.json", "loss.json"}) {
    std::ifstream in(dir / file);
    ASSERT_TRUE(in) << "missing " << (dir / file) << ": generate the vectors with `make vectors`";
    const json suite = json::parse(in);
    for (const auto& group : suite.at("groups")) {
      for (const auto& test : group.at("tests")) {
        if (test.contains("arg_dtypes")) {
          ++skipped;
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
  std::cout << "[ " << GetParam() << " ] " << checked << " vectors checked, " << skipped
            << " mixed-dtype vectors skipped\n";
}

INSTANTIATE_TEST_SUITE_P(EachIsa, Vectors, ::testing::ValuesIn(available_isas()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace regpen::test
