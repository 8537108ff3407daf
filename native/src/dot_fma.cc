// dot_fma.cc - the Dot2 lanes with AVX2 and FMA: two vectors of four lanes (eight lanes, two
// independent dependency chains per accumulator), the same operations per lane as the portable
// kernel (dot_impl.h). The result is the same correctly rounded value on every ISA.
#include <immintrin.h>

#include "dot_impl.h"

namespace regpen::detail {
namespace {

inline void step(__m256d a, __m256d b, __m256d& s, __m256d& c, __m256d& t, __m256d abs_mask) {
  const __m256d p = _mm256_mul_pd(a, b);
  const __m256d e = _mm256_fmsub_pd(a, b, p);  // a*b - p, exact unless it underflows
  const __m256d x = _mm256_add_pd(s, p);       // TwoSum(s, p) = (x, q)
  const __m256d bb = _mm256_sub_pd(x, s);
  const __m256d q = _mm256_add_pd(_mm256_sub_pd(s, _mm256_sub_pd(x, bb)), _mm256_sub_pd(p, bb));
  s = x;
  c = _mm256_add_pd(c, _mm256_add_pd(q, e));
  t = _mm256_add_pd(t, _mm256_and_pd(p, abs_mask));
}

void lanes_avx2(const double* a, const double* b, size_t n, DotLanes* out) {
  const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  __m256d s0 = _mm256_setzero_pd(), c0 = s0, t0 = s0, s1 = s0, c1 = s0, t1 = s0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    step(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i), s0, c0, t0, abs_mask);
    step(_mm256_loadu_pd(a + i + 4), _mm256_loadu_pd(b + i + 4), s1, c1, t1, abs_mask);
  }
  if (i + 4 <= n) {
    step(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i), s0, c0, t0, abs_mask);
    i += 4;
  }
  if (i < n) {  // the tail, zero-padded: 0 * 0 adds exact zeros
    double ta[4] = {}, tb[4] = {};
    for (size_t k = 0; i + k < n; ++k) {
      ta[k] = a[i + k];
      tb[k] = b[i + k];
    }
    step(_mm256_loadu_pd(ta), _mm256_loadu_pd(tb), s1, c1, t1, abs_mask);
  }
  _mm256_storeu_pd(out->s, s0);
  _mm256_storeu_pd(out->s + 4, s1);
  _mm256_storeu_pd(out->c, c0);
  _mm256_storeu_pd(out->c + 4, c1);
  _mm256_storeu_pd(out->t, t0);
  _mm256_storeu_pd(out->t + 4, t1);
  out->lanes = 8;
}

}  // namespace

bool dot_approx_fma(const double* a, const double* b, size_t n, double ea, double eb,
                    Approx* out) {
  return dot_approx_impl<lanes_avx2>(a, b, n, ea, eb, out);
}

}  // namespace regpen::detail
