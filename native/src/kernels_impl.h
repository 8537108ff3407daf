// kernels_impl.h - the kernel algorithms, written once over a small vector type and compiled once
// per ISA file with that file's target flags.
//
// Everything here has internal linkage (an unnamed namespace), so each ISA file gets its own copy
// and the linker can never substitute an AVX-512 instantiation into the portable path.
//
// An ISA file defines a traits type V before including this header:
//   V::Reg, V::kWidth (binary64 lanes), load(const double*), load_f32(const float*) (widens kWidth
//   binary32 values exactly), store(double*, Reg), add, sub, mul, abs;
//   product_error(a, b, p) = fma(a, b, -p), the exact error of p = fl(a * b) unless it underflows;
//   to_f32_and_back(Reg): binary64 values rounded once to binary32 and widened (RN32 of a factor);
//   fma_add(a, b) = fma(a, 1, b) and fma_sub(a, b) = fma(-b, 1, a): the same bits as a + b and
//   a - b (the product by 1 is exact, so the single rounding is that of the sum), issued on the
//   multiply-add units so that adds are spread over twice as many execution ports;
//   grew_less_than_double(start, end): every lane has end < 2 * start or end == start.
//   kFusedAdd: whether mul_add(a, b, c) = fma(a, b, c) is one instruction (FastTwoSum runs then
//   add a square to the lane sum with one rounding; see native/DESIGN.md).
#ifndef REGPEN_KERNELS_IMPL_H
#define REGPEN_KERNELS_IMPL_H

#include <cmath>
#include <cstring>
#include <limits>

#include "kernels.h"
#include "regpen.h"

namespace regpen::detail {
namespace {

// How the terms are formed from the loaded values x (and factors f).
enum class Term {
  kAbs,              // |x|
  kSquare,           // x*x, binary64: TwoProd error from an fma
  kExactSquare,      // x*x of a widened binary32 value: exact in binary64
  kFactorAbs,        // f*|x|: TwoProd error from an fma (exact in binary64 for binary32 inputs)
  kFactorSquare,     // f*x*x, binary64: x*x = q + eq exactly, then f*q = p + ep exactly, f*eq rounded
  kFactorExactSquare // f*x*x of binary32 values: x*x exact, then one TwoProd
};

// Knuth's TwoSum: s + e == a + b exactly, for any finite a and b (6 operations, no branch).
// Only s = a + b is on the loop-carried path; three of the other five run on the FMA units.
template <class V>
inline void two_sum(typename V::Reg a, typename V::Reg b, typename V::Reg& s, typename V::Reg& e) {
  using Reg = typename V::Reg;
  s = V::add(a, b);
  const Reg bb = V::fma_sub(s, a);
  const Reg t = V::sub(s, bb);
  e = V::fma_add(V::fma_sub(a, t), V::sub(b, bb));
}

// One Sum2 step of lane (s, c): adds the term of x (with factor f). The term's main part p goes
// through TwoSum; its TwoProd error parts join the TwoSum error in c.
template <class V, Term kTerm>
inline void step(typename V::Reg x, typename V::Reg f, typename V::Reg& s, typename V::Reg& c) {
  using Reg = typename V::Reg;
  Reg e;
  if constexpr (kTerm == Term::kAbs) {
    two_sum<V>(s, V::abs(x), s, e);
    c = V::add(c, e);
  } else if constexpr (kTerm == Term::kExactSquare) {
    two_sum<V>(s, V::mul(x, x), s, e);
    c = V::add(c, e);
  } else if constexpr (kTerm == Term::kSquare) {
    const Reg p = V::mul(x, x);
    const Reg perr = V::product_error(x, x, p);
    two_sum<V>(s, p, s, e);
    c = V::add(c, V::add(e, perr));
  } else if constexpr (kTerm == Term::kFactorAbs) {
    const Reg a = V::abs(x);
    const Reg p = V::mul(f, a);
    const Reg perr = V::product_error(f, a, p);
    two_sum<V>(s, p, s, e);
    c = V::add(c, V::add(e, perr));
  } else if constexpr (kTerm == Term::kFactorExactSquare) {
    const Reg q = V::mul(x, x);
    const Reg p = V::mul(f, q);
    const Reg perr = V::product_error(f, q, p);
    two_sum<V>(s, p, s, e);
    c = V::add(c, V::add(e, perr));
  } else {
    const Reg q = V::mul(x, x);
    const Reg qerr = V::product_error(x, x, q);
    const Reg p = V::mul(f, q);
    const Reg perr = V::add(V::product_error(f, q, p), V::mul(f, qerr));
    two_sum<V>(s, p, s, e);
    c = V::add(c, V::add(e, perr));
  }
}

// Dekker's FastTwoSum step of lane (s, c), valid only while s >= the term (see accumulate):
// with s >= p >= 0, t = fl(s_new - s) is exact and p - t is the exact error of s_new = fl(s + p),
// the same s_new and error that TwoSum gives, in 3 operations instead of 6. Where the term has
// a TwoProd error, the error sum is formed as one rounding of (exact product - t), which equals
// fl(e + perr) of step() because both e and perr are exact (to within the underflow allowance).
template <class V, Term kTerm>
inline void fast_step(typename V::Reg x, typename V::Reg f, typename V::Reg& s,
                      typename V::Reg& c) {
  using Reg = typename V::Reg;
  if constexpr (kTerm == Term::kAbs) {
    // Two of the four adds on the multiply-add units (fma_add, fma_sub: same bits).
    const Reg p = V::abs(x);
    const Reg sum = V::add(s, p);
    c = V::fma_add(c, V::sub(p, V::fma_sub(sum, s)));
    s = sum;
  } else if constexpr ((kTerm == Term::kSquare || kTerm == Term::kExactSquare) && V::kFusedAdd) {
    // s_new = fl(s + x*x) with the exact square; x*x - t is then the exact error of that one
    // rounding (the same bits as below for binary32 squares, which are exact anyway).
    const Reg sum = V::mul_add(x, x, s);
    c = V::add(c, V::product_error(x, x, V::sub(sum, s)));
    s = sum;
  } else if constexpr (kTerm == Term::kExactSquare) {
    const Reg p = V::mul(x, x);
    const Reg sum = V::add(s, p);
    c = V::add(c, V::sub(p, V::fma_sub(sum, s)));
    s = sum;
  } else if constexpr (kTerm == Term::kSquare) {
    const Reg sum = V::add(s, V::mul(x, x));
    c = V::add(c, V::product_error(x, x, V::sub(sum, s)));
    s = sum;
  } else if constexpr (kTerm == Term::kFactorAbs) {
    const Reg a = V::abs(x);
    const Reg sum = V::add(s, V::mul(f, a));
    c = V::add(c, V::product_error(f, a, V::sub(sum, s)));
    s = sum;
  } else if constexpr (kTerm == Term::kFactorExactSquare) {
    const Reg q = V::mul(x, x);
    const Reg sum = V::add(s, V::mul(f, q));
    c = V::add(c, V::product_error(f, q, V::sub(sum, s)));
    s = sum;
  } else {
    // The factored binary64 square keeps step()'s error sum, formed from the exact e = p - t.
    const Reg q = V::mul(x, x);
    const Reg qerr = V::product_error(x, x, q);
    const Reg p = V::mul(f, q);
    const Reg perr = V::add(V::product_error(f, q, p), V::mul(f, qerr));
    const Reg sum = V::add(s, p);
    c = V::add(c, V::add(V::sub(p, V::sub(sum, s)), perr));
    s = sum;
  }
}

template <class V, class T>
inline typename V::Reg load_any(const T* p) {
  if constexpr (sizeof(T) == sizeof(double)) {
    return V::load(p);
  } else {
    return V::load_f32(p);
  }
}

// The number of independent accumulators per lane group: enough to hide the add latency.
constexpr int kUnroll = 4;

// Factors for binary32 inputs are rounded to binary32 first (spec section 1).
template <class V, class T>
inline typename V::Reg load_factor(const double* f) {
  if constexpr (sizeof(T) == sizeof(double)) {
    return V::load(f);
  } else {
    return V::to_f32_and_back(V::load(f));
  }
}

// Steps per lane of one FastTwoSum block (see accumulate).
constexpr int kFastSteps = 8;

// Sum2 over x[0..n) (with factors f when kFactor) into `first` (and `second`, when kBoth),
// updating lane state in place. A tail shorter than one block is zero-padded; zero terms leave
// the sums unchanged.
//
// Runs of kFastSteps blocks first try FastTwoSum (fast_step) and are kept only when every lane
// sum s grew by less than a factor of two over the run, or not at all. Terms are non-negative
// and s never decreases, so a term p > s would have made fl(s + p) >= 2s (and s_end >= 2 s_start,
// or s_start = s_end = 0 with only zero terms); passing the check thus proves s >= p at every
// step, where FastTwoSum gives TwoSum's exact result. A failed run is redone with TwoSum from the
// saved lane state, and the next run uses TwoSum directly (lane sums start at zero and grow
// fastest at first).
template <class V, class T, bool kFactor, Term kFirst, bool kBoth, Term kSecond>
void accumulate(const T* x, const double* f, size_t n, LaneSums& first, LaneSums* second) {
  using Reg = typename V::Reg;
  constexpr int W = V::kWidth;
  constexpr size_t kBlock = size_t{kUnroll} * W;
  constexpr size_t kFastRun = size_t{kFastSteps} * kBlock;
  Reg s1[kUnroll], c1[kUnroll], s2[kUnroll], c2[kUnroll];
  for (int u = 0; u < kUnroll; ++u) {
    s1[u] = V::load(first.s + u * W);
    c1[u] = V::load(first.c + u * W);
    if constexpr (kBoth) {
      s2[u] = V::load(second->s + u * W);
      c2[u] = V::load(second->c + u * W);
    }
  }
  auto block = [&](const T* xb, const double* fb) {
    for (int u = 0; u < kUnroll; ++u) {
      const Reg v = load_any<V>(xb + u * W);
      Reg g = v;  // unused without factors
      if constexpr (kFactor) g = load_factor<V, T>(fb + u * W);
      step<V, kFirst>(v, g, s1[u], c1[u]);
      if constexpr (kBoth) step<V, kSecond>(v, g, s2[u], c2[u]);
    }
  };
  auto fast_block = [&](const T* xb, const double* fb) {
    for (int u = 0; u < kUnroll; ++u) {
      const Reg v = load_any<V>(xb + u * W);
      Reg g = v;  // unused without factors
      if constexpr (kFactor) g = load_factor<V, T>(fb + u * W);
      fast_step<V, kFirst>(v, g, s1[u], c1[u]);
      if constexpr (kBoth) fast_step<V, kSecond>(v, g, s2[u], c2[u]);
    }
  };
  size_t i = 0;
  uint64_t blocks = 0;
  bool try_fast = false;
  for (; i + kFastRun <= n; i += kFastRun, blocks += kFastSteps) {
    const T* xr = x + i;
    const double* fr = kFactor ? f + i : nullptr;
    if (try_fast) {
      Reg s1_start[kUnroll], c1_start[kUnroll], s2_start[kUnroll], c2_start[kUnroll];
      for (int u = 0; u < kUnroll; ++u) {
        s1_start[u] = s1[u];
        c1_start[u] = c1[u];
        if constexpr (kBoth) {
          s2_start[u] = s2[u];
          c2_start[u] = c2[u];
        }
      }
      // A rolled loop: fully unrolled, GCC sinks the c updates past the check below and spills.
#pragma GCC unroll 1
      for (int k = 0; k < kFastSteps; ++k) {
        fast_block(xr + k * kBlock, kFactor ? fr + k * kBlock : nullptr);
      }
      bool exact = true;
      for (int u = 0; u < kUnroll; ++u) {
        exact &= V::grew_less_than_double(s1_start[u], s1[u]);
        if constexpr (kBoth) exact &= V::grew_less_than_double(s2_start[u], s2[u]);
      }
      if (exact) continue;
      for (int u = 0; u < kUnroll; ++u) {
        s1[u] = s1_start[u];
        c1[u] = c1_start[u];
        if constexpr (kBoth) {
          s2[u] = s2_start[u];
          c2[u] = c2_start[u];
        }
      }
      try_fast = false;
    } else {
      try_fast = true;
    }
    for (int k = 0; k < kFastSteps; ++k) {
      block(xr + k * kBlock, kFactor ? fr + k * kBlock : nullptr);
    }
  }
  for (; i + kBlock <= n; i += kBlock, ++blocks) block(x + i, kFactor ? f + i : nullptr);
  if (i < n) {
    T tail[kBlock];
    double tail_factors[kBlock];
    for (size_t k = 0; k < kBlock; ++k) {
      tail[k] = T(0);
      tail_factors[k] = 0.0;
    }
    std::memcpy(tail, x + i, (n - i) * sizeof(T));
    if constexpr (kFactor) std::memcpy(tail_factors, f + i, (n - i) * sizeof(double));
    block(tail, tail_factors);
    ++blocks;
  }
  for (int u = 0; u < kUnroll; ++u) {
    V::store(first.s + u * W, s1[u]);
    V::store(first.c + u * W, c1[u]);
    if constexpr (kBoth) {
      V::store(second->s + u * W, s2[u]);
      V::store(second->c + u * W, c2[u]);
    }
  }
  first.per_lane += blocks;
  if constexpr (kBoth) second->per_lane += blocks;
}

// The six kernels of SumKernels for one element type, in kernels.h's signature.
template <class V, class T, bool kFactor, Term kAbsTerm, Term kSquareTerm>
void sum_abs(const T* x, const double* f, size_t n, LaneSums* abs, LaneSums*) {
  accumulate<V, T, kFactor, kAbsTerm, false, kAbsTerm>(x, f, n, *abs, nullptr);
}
template <class V, class T, bool kFactor, Term kAbsTerm, Term kSquareTerm>
void sum_square(const T* x, const double* f, size_t n, LaneSums*, LaneSums* square) {
  accumulate<V, T, kFactor, kSquareTerm, false, kSquareTerm>(x, f, n, *square, nullptr);
}
template <class V, class T, bool kFactor, Term kAbsTerm, Term kSquareTerm>
void sum_both(const T* x, const double* f, size_t n, LaneSums* abs, LaneSums* square) {
  accumulate<V, T, kFactor, kAbsTerm, true, kSquareTerm>(x, f, n, *abs, square);
}

template <class V, class T>
constexpr SumKernels<T> make_sum_kernels() {
  constexpr bool k64 = sizeof(T) == sizeof(double);
  constexpr Term kSq = k64 ? Term::kSquare : Term::kExactSquare;
  constexpr Term kFactorSq = k64 ? Term::kFactorSquare : Term::kFactorExactSquare;
  return SumKernels<T>{&sum_abs<V, T, false, Term::kAbs, kSq>,
                       &sum_square<V, T, false, Term::kAbs, kSq>,
                       &sum_both<V, T, false, Term::kAbs, kSq>,
                       &sum_abs<V, T, true, Term::kFactorAbs, kFactorSq>,
                       &sum_square<V, T, true, Term::kFactorAbs, kFactorSq>,
                       &sum_both<V, T, true, Term::kFactorAbs, kFactorSq>};
}

// The elementwise operations, written as branch-free selects so that the compiler vectorizes
// them for the file's ISA. Each line is one IEEE step of spec section 3; no step is fused.

// Spec 2.0 B: every NaN written is the positive quiet NaN, whatever the input's sign and payload
// or the hardware's default NaN (x86 makes 0xfff8... for 0 * inf). A select on an isnan mask,
// which the compiler vectorizes as a compare and a blend.
template <class T>
inline T canonical(T x) {
  return x != x ? std::numeric_limits<T>::quiet_NaN() : x;
}

// The L1 subgradient: c if w > 0, -c if w < 0, +0 if w is a zero, NaN if w is NaN.
template <class T>
inline T l1_gradient(T c, T w) {
  T g = w > T(0) ? c : T(0);
  g = w < T(0) ? -c : g;
  return w != w ? w : g;
}

// Soft threshold: d = fl(|w| - t); NaN if d is NaN, copysign(d, w) if d > 0, else copysign(+0, w).
template <class T>
inline T soft_threshold(T w, T t) {
  const T d = std::fabs(w) - t;
  const T r = d > T(0) ? std::copysign(d, w) : std::copysign(T(0), w);
  return d != d ? d : r;
}

template <class T>
void gradient(const ElementCoefficients<T>& k, const T* w, const double* f, size_t n, T* out) {
  const T a = k.a, b = k.b;
  switch (k.kind) {
    case REGPEN_L1:
      if (f == nullptr) {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(l1_gradient(a, w[i]));
      } else {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(l1_gradient(T(a * static_cast<T>(f[i])), w[i]));
      }
      break;
    case REGPEN_L2:
      if (f == nullptr) {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(b * w[i]);
      } else {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(T(b * static_cast<T>(f[i])) * w[i]);
      }
      break;
    default:
      if (f == nullptr) {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(l1_gradient(a, w[i]) + T(b * w[i]));
      } else {
        for (size_t i = 0; i < n; ++i) {
          const T fi = static_cast<T>(f[i]);
          out[i] = canonical(l1_gradient(T(a * fi), w[i]) + T(T(b * fi) * w[i]));
        }
      }
      break;
  }
}

template <class T>
void prox(const ElementCoefficients<T>& k, const T* w, const double* f, size_t n, T* out) {
  const T a = k.a, b = k.b;
  switch (k.kind) {
    case REGPEN_L1:
      if (f == nullptr) {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(soft_threshold(w[i], a));
      } else {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(soft_threshold(w[i], T(a * static_cast<T>(f[i]))));
      }
      break;
    case REGPEN_L2: {
      if (f == nullptr) {
        const T d = T(1) + b;
        for (size_t i = 0; i < n; ++i) out[i] = canonical(w[i] / d);
      } else {
        for (size_t i = 0; i < n; ++i) out[i] = canonical(w[i] / T(T(1) + T(b * static_cast<T>(f[i]))));
      }
      break;
    }
    default: {
      if (f == nullptr) {
        const T d = T(1) + b;
        for (size_t i = 0; i < n; ++i) out[i] = canonical(soft_threshold(w[i], a) / d);
      } else {
        for (size_t i = 0; i < n; ++i) {
          const T fi = static_cast<T>(f[i]);
          out[i] = canonical(soft_threshold(w[i], T(a * fi)) / T(T(1) + T(b * fi)));
        }
      }
      break;
    }
  }
}

// The table of one ISA, built from its traits type.
template <class V>
constexpr Kernels make_kernels(const char* name) {
  return Kernels{name,
                 kUnroll * V::kWidth,
                 make_sum_kernels<V, double>(),
                 make_sum_kernels<V, float>(),
                 &gradient<double>,
                 &prox<double>,
                 &gradient<float>,
                 &prox<float>};
}

}  // namespace
}  // namespace regpen::detail

#endif  // REGPEN_KERNELS_IMPL_H
