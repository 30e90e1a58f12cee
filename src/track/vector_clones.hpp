// Function multiversioning for the track engine's hot loops: an AVX2 clone where the CPU has it, a baseline one otherwise.
#pragma once

// "avx2" rather than "arch=haswell": the arch stays the default, so inline helpers (fast_sin, lerp…) still inline
// into the clone. The clone is chosen once at load time. ISO C++ mode keeps floating-point contraction off, so both
// clones compute the same bits (vector and scalar tails too): block splits and seeks stay exact.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define RESOUND_TRACK_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RESOUND_TRACK_VECTOR_CLONES
#endif
