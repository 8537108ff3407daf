// kernels_portable.cc - the portable kernels ("scalar"): plain C++ with no target flags.
//
// This is the reference the ISA files are tested against; it runs on any CPU.
#include <cmath>

namespace regpen::detail {
namespace {

struct ScalarTraits {
  using Reg = double;
  static constexpr int kWidth = 1;
  static Reg load(const double* p) { return *p; }
  static Reg load_f32(const float* p) { return static_cast<double>(*p); }
  static void store(double* p, Reg v) { *p = v; }
  static Reg add(Reg a, Reg b) { return a + b; }
  static Reg sub(Reg a, Reg b) { return a - b; }
  static Reg mul(Reg a, Reg b) { return a * b; }
  static Reg abs(Reg a) { return std::fabs(a); }
  // Without SIMD there is no second kind of port to balance: plain add and subtract.
  static Reg fma_add(Reg a, Reg b) { return a + b; }
  static Reg fma_sub(Reg a, Reg b) { return a - b; }
  // std::fma is the correctly rounded fused multiply-add (a libm call or one instruction).
  static Reg product_error(Reg a, Reg b, Reg p) { return std::fma(a, b, -p); }
  static Reg to_f32_and_back(Reg a) { return static_cast<double>(static_cast<float>(a)); }
  static bool grew_less_than_double(Reg start, Reg end) {
    return end < start + start || end == start;
  }
  // std::fma is a library call without -mfma: squares are added to the lane sums after rounding.
  static constexpr bool kFusedAdd = false;
};

}  // namespace
}  // namespace regpen::detail

#include "kernels_impl.h"

namespace regpen::detail {
const Kernels kPortableKernels = make_kernels<ScalarTraits>("scalar");
}  // namespace regpen::detail
