// dispatch.cc - picks the kernel table: the best ISA the CPU supports, ordered best to worst,
// capped at start-up by the environment variable REGPEN_ISA and switchable by regpen_set_isa.
//
// An ISA can be compiled out with -DREGPEN_HAVE_AVX512=0 (or AVX2) for compilers without it.
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "kernels.h"
#include "regpen.h"

namespace regpen::detail {
namespace {

struct Candidate {
  const Kernels* kernels;
  bool (*supported)();
};

bool always() { return true; }

#if REGPEN_HAVE_AVX2
bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

#if REGPEN_HAVE_AVX512
bool has_avx512() {
  __builtin_cpu_init();
  // GCC's check also requires the OS to save the AVX-512 state (XGETBV), not only CPUID bits.
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#endif

// Best first: dispatch takes the first supported entry at or below the cap.
const Candidate kCandidates[] = {
#if REGPEN_HAVE_AVX512
    {&kAvx512Kernels, &has_avx512},
#endif
#if REGPEN_HAVE_AVX2
    {&kAvx2Kernels, &has_avx2},
#endif
    {&kPortableKernels, &always},
};

const Candidate* find(const char* name) {
  for (const Candidate& c : kCandidates)
    if (std::strcmp(c.kernels->name, name) == 0) return &c;
  return nullptr;
}

// The start-up choice: the best supported ISA, but no better than REGPEN_ISA when it names one
// this build knows (an unknown value is ignored, as a cap that cannot be read).
const Kernels* startup_choice() {
  const char* cap = std::getenv("REGPEN_ISA");
  bool capped = cap != nullptr && find(cap) != nullptr;
  bool reached = !capped;
  for (const Candidate& c : kCandidates) {
    if (!reached && std::strcmp(c.kernels->name, cap) == 0) reached = true;
    if (reached && c.supported()) return c.kernels;
  }
  return &kPortableKernels;
}

const Kernels* startup() {
  static const Kernels* const choice = startup_choice();
  return choice;
}

std::atomic<const Kernels*> g_active{nullptr};

}  // namespace

const Kernels& active_kernels() {
  const Kernels* k = g_active.load(std::memory_order_relaxed);
  if (k == nullptr) {
    k = startup();
    g_active.store(k, std::memory_order_relaxed);
  }
  return *k;
}

}  // namespace regpen::detail

using regpen::detail::g_active;

extern "C" {

REGPEN_API int regpen_set_isa(const char* name) {
  using namespace regpen::detail;
  if (name == nullptr) return REGPEN_E_INVALID_ARGUMENT;
  if (std::strcmp(name, "auto") == 0) {
    g_active.store(startup(), std::memory_order_relaxed);
    return REGPEN_OK;
  }
  const Candidate* c = find(name);
  if (c == nullptr || !c->supported()) return REGPEN_E_INVALID_ARGUMENT;
  g_active.store(c->kernels, std::memory_order_relaxed);
  return REGPEN_OK;
}

REGPEN_API const char* regpen_isa(void) { return regpen::detail::active_kernels().name; }

REGPEN_API int regpen_isa_available(const char* name) {
  if (name == nullptr) return 0;
  const regpen::detail::Candidate* c = regpen::detail::find(name);
  return c != nullptr && c->supported() ? 1 : 0;
}

}  // extern "C"
