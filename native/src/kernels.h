// kernels.h - the interface between the drivers (regpen.cc) and the per-ISA kernel files.
//
// Each ISA file (kernels_portable.cc, kernels_avx2.cc, kernels_avx512.cc) fills one Kernels table;
// dispatch.cc picks the best table the CPU supports. Every kernel returns the same bits on every
// ISA: the reductions only feed the correctly rounded finish in sums.cc, and the elementwise
// kernels are sequences of single IEEE operations with no contraction.
#ifndef REGPEN_KERNELS_H
#define REGPEN_KERNELS_H

#include <cstddef>
#include <cstdint>

namespace regpen::detail {

// The state of a many-lane Sum2 accumulation (Ogita, Rump and Oishi): lane j holds an
// approximate sum s[j] and a running sum c[j] of the error terms of every TwoSum (and TwoProd)
// that updated s[j]. `per_lane` counts the terms each lane has received, padding included; the
// error bound in sums.cc needs it.
struct LaneSums {
  static constexpr int kMaxLanes = 64;
  double s[kMaxLanes];
  double c[kMaxLanes];
  int lanes;
  uint64_t per_lane;
  void reset(int lane_count) {
    lanes = lane_count;
    per_lane = 0;
    for (int j = 0; j < lane_count; ++j) s[j] = c[j] = 0.0;
  }
  // Adds the lanes of `other` as further lanes (the caller ensures they fit).
  void append(const LaneSums& other) {
    for (int j = 0; j < other.lanes; ++j) {
      s[lanes + j] = other.s[j];
      c[lanes + j] = other.c[j];
    }
    lanes += other.lanes;
    if (other.per_lane > per_lane) per_lane = other.per_lane;
  }
};

// Coefficients of the elementwise operations, already in the working format T (spec section 3).
// gradient: a = lam of the L1 part, b = fl(2 * lam) of the L2 part.
// prox:     a = fl(step * lam) of the L1 part, b = fl(step * fl(2 * lam)) of the L2 part.
// With factors, the per-element coefficients are fl(a * f_i) and fl(b * f_i), f_i rounded to T.
template <class T>
struct ElementCoefficients {
  int kind;  // REGPEN_L1, REGPEN_L2 or REGPEN_ELASTIC_NET
  T a;
  T b;
};

// Sum2 accumulation over contiguous x[0..n) (and factors f[0..n) for the factor kernels) into
// the lanes of `abs` (terms f*|x|) and/or `square` (terms f*x*x); the unused one is null.
template <class T>
using SumKernel = void (*)(const T* x, const double* f, size_t n, LaneSums* abs, LaneSums* square);

template <class T>
struct SumKernels {
  SumKernel<T> abs, square, both;                       // no factors (f ignored)
  SumKernel<T> factor_abs, factor_square, factor_both;  // with factors, f_i rounded to T first
};

template <class T>
using ElementKernel = void (*)(const ElementCoefficients<T>& k, const T* w, const double* factors,
                               size_t n, T* out);

struct Kernels {
  const char* name;
  int lanes;  // lanes of every LaneSums the reduction kernels update
  SumKernels<double> sums_f64;
  SumKernels<float> sums_f32;
  // Elementwise operations over contiguous input; factors may be null (all ones).
  ElementKernel<double> gradient_f64, prox_f64;
  ElementKernel<float> gradient_f32, prox_f32;
};

extern const Kernels kPortableKernels;
#if REGPEN_HAVE_AVX2
extern const Kernels kAvx2Kernels;
#endif
#if REGPEN_HAVE_AVX512
extern const Kernels kAvx512Kernels;
#endif

// The active table (dispatch.cc).
const Kernels& active_kernels();

}  // namespace regpen::detail

#endif  // REGPEN_KERNELS_H
