// Function multiversioning for the effects' hot loops: an AVX2/FMA clone where the CPU has it, a baseline one otherwise.
#pragma once

// The clone is chosen once at load time, so a given machine always runs the same arithmetic.
// RESOUND_FX_VECTOR_CLONES keeps ISO C++'s "no contraction" rule, so both clones give the same
// bits; RESOUND_FX_VECTOR_CLONES_FMA allows fused multiply-adds (faster, and still the same on a
// given machine — what block-size independence needs).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RESOUND_FX_VECTOR_CLONES __attribute__((target_clones("arch=haswell", "default")))
#define RESOUND_FX_VECTOR_CLONES_FMA __attribute__((target_clones("arch=haswell", "default"), optimize("fp-contract=fast")))
#else
#define RESOUND_FX_VECTOR_CLONES
#define RESOUND_FX_VECTOR_CLONES_FMA
#endif
