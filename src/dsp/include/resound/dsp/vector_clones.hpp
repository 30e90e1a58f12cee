// Function multiversioning for hot loops: a vector-unit clone where the CPU has it, a baseline clone otherwise.
#pragma once

// The clone is chosen once at load time (an ifunc resolver), so a given machine always runs the same arithmetic:
// block splits, seeks and repeated runs stay bit-identical. ISO C++ mode keeps floating-point contraction off, so
// unless a macro says FMA, both clones compute the same bits (vector bodies and scalar tails alike).
//
// - RESOUND_VECTOR_CLONES_AVX2: adds only the "avx2" target; the arch stays the default, so small inline helpers
//   (fast_sin, lerp, …) still inline into the clone. For loops built from such helpers.
// - RESOUND_VECTOR_CLONES_HASWELL: the whole Haswell feature set (AVX2, FMA, BMI…: x86-64-v3), no contraction.
// - RESOUND_VECTOR_CLONES_HASWELL_FMA: the same, with fused multiply-adds allowed (faster; still identical on a
//   given machine, which is what block-size independence needs, but not between machines).
//
// The Haswell clones name the x86-64-v3 level, not "arch=haswell": GCC dispatches "arch=NAME" clones with
// __builtin_cpu_is(NAME), i.e. only on that exact Intel core (not Skylake, not any AMD), so the baseline clone ran
// almost everywhere; an ISA level is dispatched on the CPU's features.
//
// GCC only: clang (the fuzz builds) mangles multiversioned member functions differently, so there — and on other
// architectures — the plain baseline build is used.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RESOUND_VECTOR_CLONES_AVX2 __attribute__((target_clones("avx2", "default")))
#define RESOUND_VECTOR_CLONES_HASWELL __attribute__((target_clones("arch=x86-64-v3", "default")))
#define RESOUND_VECTOR_CLONES_HASWELL_FMA \
  __attribute__((target_clones("arch=x86-64-v3", "default"), optimize("fp-contract=fast")))
#else
#define RESOUND_VECTOR_CLONES_AVX2
#define RESOUND_VECTOR_CLONES_HASWELL
#define RESOUND_VECTOR_CLONES_HASWELL_FMA
#endif
