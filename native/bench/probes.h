// probes.h - benchmark baselines measured in the same process as the kernels: plain (not
// correctly rounded) vectorized sums and memory-bandwidth probes. Not part of the C ABI.
#ifndef REGPEN_BENCH_PROBES_H
#define REGPEN_BENCH_PROBES_H

#include <cstddef>

namespace regpen::bench {

// Σ|w_i| and Σw_i² with plain SIMD accumulators: the speed of a sum that ignores rounding.
double plain_abs_sum(const double* w, size_t n);
double plain_square_sum(const double* w, size_t n);
// Reads every 64-bit word once (an integer sum, so nothing can be skipped): read bandwidth.
double read_probe(const double* w, size_t n);
// Copies w into out: the bandwidth an elementwise operation (one read, one write) can reach.
void copy_probe(const double* w, size_t n, double* out);

}  // namespace regpen::bench

#endif  // REGPEN_BENCH_PROBES_H
