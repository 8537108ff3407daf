// probes.cc - the benchmark baselines of probes.h, one AVX-512 and one AVX2 version of each
// plain sum chosen at run time, so the comparison is against the best plain loop this CPU runs.
#include "probes.h"

#include "regpen.h"
#include "sums.h"

#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace regpen::bench {
namespace {

__attribute__((target("avx512f"))) double abs_sum_avx512(const double* w, size_t n, bool square) {
  __m512d acc[4] = {_mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd(),
                    _mm512_setzero_pd()};
  const __m512i magnitude = _mm512_set1_epi64(0x7fffffffffffffffLL);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int u = 0; u < 4; ++u) {
      const __m512d x = _mm512_loadu_pd(w + i + 8 * u);
      const __m512d t = square ? _mm512_mul_pd(x, x)
                               : _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(x), magnitude));
      acc[u] = _mm512_add_pd(acc[u], t);
    }
  }
  double s = _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(acc[0], acc[1]), _mm512_add_pd(acc[2], acc[3])));
  for (; i < n; ++i) s += square ? w[i] * w[i] : std::fabs(w[i]);
  return s;
}

__attribute__((target("avx2"))) double abs_sum_avx2(const double* w, size_t n, bool square) {
  __m256d acc[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(),
                    _mm256_setzero_pd()};
  const __m256d sign = _mm256_set1_pd(-0.0);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    for (int u = 0; u < 4; ++u) {
      const __m256d x = _mm256_loadu_pd(w + i + 4 * u);
      acc[u] = _mm256_add_pd(acc[u], square ? _mm256_mul_pd(x, x) : _mm256_andnot_pd(sign, x));
    }
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, _mm256_add_pd(_mm256_add_pd(acc[0], acc[1]), _mm256_add_pd(acc[2], acc[3])));
  double s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < n; ++i) s += square ? w[i] * w[i] : std::fabs(w[i]);
  return s;
}

double plain_sum(const double* w, size_t n, bool square) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return abs_sum_avx512(w, n, square);
  if (__builtin_cpu_supports("avx2")) return abs_sum_avx2(w, n, square);
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += square ? w[i] * w[i] : std::fabs(w[i]);
  return s;
}

// The probe reads the doubles' storage as 64-bit words; may_alias makes that access well defined.
typedef uint64_t __attribute__((may_alias)) Word;

// Integer addition is associative, so the compiler vectorizes this loop for each clone.
__attribute__((target_clones("avx512f", "avx2", "default"))) uint64_t word_sum(const Word* p,
                                                                                size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += p[i];
  return s;
}

}  // namespace

double plain_abs_sum(const double* w, size_t n) { return plain_sum(w, n, false); }
double plain_square_sum(const double* w, size_t n) { return plain_sum(w, n, true); }

double read_probe(const double* w, size_t n) {
  return static_cast<double>(word_sum(reinterpret_cast<const Word*>(w), n));
}

void copy_probe(const double* w, size_t n, double* out) { std::memcpy(out, w, n * sizeof(double)); }

double spec1_value(int kind, double l1, double l2, const double* w, size_t n) {
  using namespace regpen::detail;
  const Kernels& k = active_kernels();
  double s1 = 0.0, s2 = 0.0;
  weight_sums<double>(k, w, n, 1, nullptr, 0.0, kind != REGPEN_L2 ? &s1 : nullptr,
                      kind != REGPEN_L1 ? &s2 : nullptr);
  if (kind == REGPEN_L1) return l1 * s1;
  if (kind == REGPEN_L2) return l2 * s2;
  return l1 * s1 + l2 * s2;
}

double spec1_loss(int kind, double l1, double l2, const double* y, const double* p, size_t n,
                  const double* w, size_t n_w) {
  const double sse =
      regpen::detail::rounded_residual_square_sum<double>(regpen::detail::active_kernels(), y, 1,
                                                          p, 1, n);
  return sse / static_cast<double>(n) + spec1_value(kind, l1, l2, w, n_w);
}

}  // namespace regpen::bench
