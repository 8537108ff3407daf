// dot_fma.cc - the Dot2 lanes compiled with AVX2 and FMA (std::fma becomes one vfmadd; the lanes
// vectorize). Same operations as the portable kernel, so the same bits.
#include "dot_impl.h"

namespace regpen::detail {
void dot_lanes_fma(const double* a, const double* b, size_t n, DotLanes* out) {
  dot_lanes_impl(a, b, n, out);
}
}  // namespace regpen::detail
