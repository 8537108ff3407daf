// kernels_avx512.cc - the AVX-512 kernels (compiled with -mavx512f -mavx512dq and friends, used
// only when the CPU and the OS support AVX-512F and AVX-512DQ).
#include <immintrin.h>

// GCC 12 reports _mm512_undefined_pd() inside _mm512_cvtps_pd as maybe-uninitialized; the
// intrinsic writes every lane, so the warning is a false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace regpen::detail {
namespace {

struct Avx512Traits {
  using Reg = __m512d;
  static constexpr int kWidth = 8;
  static Reg load(const double* p) { return _mm512_loadu_pd(p); }
  static Reg load_f32(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
  static void store(double* p, Reg v) { _mm512_storeu_pd(p, v); }
  static Reg add(Reg a, Reg b) { return _mm512_add_pd(a, b); }
  static Reg sub(Reg a, Reg b) { return _mm512_sub_pd(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_pd(a, b); }
  // Clearing the sign bit with an integer AND (AVX-512F) is the exact absolute value.
  static Reg abs(Reg a) {
    const __m512i magnitude = _mm512_set1_epi64(0x7fffffffffffffffLL);
    return _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a), magnitude));
  }
  static Reg product_error(Reg a, Reg b, Reg p) { return _mm512_fmsub_pd(a, b, p); }
  static Reg to_f32_and_back(Reg a) { return _mm512_cvtps_pd(_mm512_cvtpd_ps(a)); }
  static Reg fma_add(Reg a, Reg b) { return _mm512_fmadd_pd(a, _mm512_set1_pd(1.0), b); }
  static Reg fma_sub(Reg a, Reg b) { return _mm512_fnmadd_pd(b, _mm512_set1_pd(1.0), a); }
  static bool grew_less_than_double(Reg start, Reg end) {
    const __mmask8 below = _mm512_cmp_pd_mask(end, _mm512_add_pd(start, start), _CMP_LT_OQ);
    const __mmask8 same = _mm512_cmp_pd_mask(end, start, _CMP_EQ_OQ);
    return static_cast<__mmask8>(below | same) == 0xff;
  }
  static constexpr bool kFusedAdd = true;
  static Reg mul_add(Reg a, Reg b, Reg c) { return _mm512_fmadd_pd(a, b, c); }
};

}  // namespace
}  // namespace regpen::detail

#include "kernels_impl.h"

namespace regpen::detail {
const Kernels kAvx512Kernels = make_kernels<Avx512Traits>("avx512");
}  // namespace regpen::detail
