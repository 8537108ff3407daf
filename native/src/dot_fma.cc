// dot_fma.cc - the Dot2 lanes compiled with AVX2 and FMA (std::fma becomes one vfmadd; the lanes
// vectorize). Same operations as the portable kernel, so the same bits.
#include "dot_impl.h"

namespace regpen::detail {
bool dot_approx_fma(const double* a, const double* b, size_t n, double ea, double eb,
                    Approx* out) {
  return dot_approx_impl(a, b, n, ea, eb, out);
}
}  // namespace regpen::detail
