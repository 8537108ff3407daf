// kernels_avx2.cc - the AVX2 + FMA kernels (compiled with -mavx2 -mfma, used only when the CPU has both).
#include <immintrin.h>

namespace regpen::detail {
namespace {

struct Avx2Traits {
  using Reg = __m256d;
  static constexpr int kWidth = 4;
  static Reg load(const double* p) { return _mm256_loadu_pd(p); }
  static Reg load_f32(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
  static void store(double* p, Reg v) { _mm256_storeu_pd(p, v); }
  static Reg add(Reg a, Reg b) { return _mm256_add_pd(a, b); }
  static Reg sub(Reg a, Reg b) { return _mm256_sub_pd(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm256_mul_pd(a, b); }
  static Reg abs(Reg a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
  static Reg product_error(Reg a, Reg b, Reg p) { return _mm256_fmsub_pd(a, b, p); }
  static Reg to_f32_and_back(Reg a) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(a)); }
  static Reg fma_add(Reg a, Reg b) { return _mm256_fmadd_pd(a, _mm256_set1_pd(1.0), b); }
  static Reg fma_sub(Reg a, Reg b) { return _mm256_fnmadd_pd(b, _mm256_set1_pd(1.0), a); }
  static bool grew_less_than_double(Reg start, Reg end) {
    const Reg below = _mm256_cmp_pd(end, _mm256_add_pd(start, start), _CMP_LT_OQ);
    const Reg same = _mm256_cmp_pd(end, start, _CMP_EQ_OQ);
    return _mm256_movemask_pd(_mm256_or_pd(below, same)) == 0xf;
  }
  static constexpr bool kFusedAdd = true;
  static Reg mul_add(Reg a, Reg b, Reg c) { return _mm256_fmadd_pd(a, b, c); }
};

}  // namespace
}  // namespace regpen::detail

#include "kernels_impl.h"

namespace regpen::detail {
const Kernels kAvx2Kernels = make_kernels<Avx2Traits>("avx2");
}  // namespace regpen::detail
