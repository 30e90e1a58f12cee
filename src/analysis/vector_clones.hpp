// Function multiversioning for the analysis hot loops: an AVX2 clone where the CPU has it, a baseline one otherwise.
#pragma once

// GCC only: clang (the fuzz and sanitizer builds) mangles multiversioned member functions differently,
// so there the plain baseline build is used. Both clones give bit-identical results (only additions,
// maxima and contraction-free products), so the choice never changes an analysis.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RESOUND_ANALYSIS_VECTOR_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define RESOUND_ANALYSIS_VECTOR_CLONES
#endif
