// test_util.h - helpers shared by the native tests: bit comparison and the ISAs this CPU runs.
#ifndef REGPEN_TEST_UTIL_H
#define REGPEN_TEST_UTIL_H

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "regpen.h"

namespace regpen::test {

// Bit equality as spec 2.0 defines it: every bit, NaN included (+0 and -0 differ, and a NaN
// matches only the same NaN; outputs are always the canonical positive quiet NaN).
template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

inline std::vector<std::string> available_isas() {
  std::vector<std::string> names;
  for (const char* name : {"scalar", "avx2", "avx512"})
    if (regpen_isa_available(name)) names.emplace_back(name);
  return names;
}

// Overloads of the C ABI by element type, so that tests can be written once as templates.
inline int value(const regpen_penalty* p, const double* w, size_t n, ptrdiff_t s, double* o) {
  return regpen_value_f64(p, w, n, s, o);
}
inline int value(const regpen_penalty* p, const float* w, size_t n, ptrdiff_t s, float* o) {
  return regpen_value_f32(p, w, n, s, o);
}
inline int gradient(const regpen_penalty* p, const double* w, size_t n, ptrdiff_t s, double* o) {
  return regpen_gradient_f64(p, w, n, s, o);
}
inline int gradient(const regpen_penalty* p, const float* w, size_t n, ptrdiff_t s, float* o) {
  return regpen_gradient_f32(p, w, n, s, o);
}
inline int prox(const regpen_penalty* p, const double* w, size_t n, ptrdiff_t s, double step,
                double* o) {
  return regpen_prox_f64(p, w, n, s, step, o);
}
inline int prox(const regpen_penalty* p, const float* w, size_t n, ptrdiff_t s, double step,
                float* o) {
  return regpen_prox_f32(p, w, n, s, step, o);
}
inline int loss(const regpen_penalty* p, const double* y, size_t ny, const double* q, size_t nq,
                const double* w, size_t nw, double* o) {
  return regpen_loss_f64(p, y, ny, 1, q, nq, 1, w, nw, 1, o);
}
inline int loss(const regpen_penalty* p, const float* y, size_t ny, const float* q, size_t nq,
                const float* w, size_t nw, float* o) {
  return regpen_loss_f32(p, y, ny, 1, q, nq, 1, w, nw, 1, o);
}

// Selects an ISA for the lifetime of the object, then restores the start-up choice.
struct IsaScope {
  explicit IsaScope(const std::string& name) { ok = regpen_set_isa(name.c_str()) == REGPEN_OK; }
  ~IsaScope() { regpen_set_isa("auto"); }
  bool ok;
};

}  // namespace regpen::test

#endif  // REGPEN_TEST_UTIL_H
