#ifndef ZOO_KERNELS_H
#define ZOO_KERNELS_H

#include <stddef.h>

// Kernels that oneDNN has no fast path for, written in C so that one function can be
// compiled for several instruction sets and picked when the library loads (clang's
// target_clones): AVX-512 on the machines we measure on, AVX2 or SSE2 elsewhere. Swift has
// no per-function target selection, and a package-wide -mavx512f would crash older CPUs.

// Matrix-vector products for a few vectors at once, streaming each row of W once:
//   y[b*ldy + r] = dot(W[r, 0..<k], x[b*ldx .. +k]) (+ bias[r]), then max(·, 0) if relu,
// for rows r in [row_begin, row_end) of W, whose rows start ldw floats apart, and b < batch.
// Made for batch-1 fully connected layers and LSTM time steps, which are bound by the
// speed at which W's bytes arrive, not by arithmetic: rows that start on 64-byte
// boundaries (ldw a multiple of 16, W aligned) and k a multiple of 16 read fastest.
// bias may be NULL.
void zoo_gemv_rows(const float *w, size_t ldw, size_t k, size_t row_begin, size_t row_end,
                   const float *x, size_t ldx, size_t batch,
                   const float *bias, int relu, float *y, size_t ldy);

#endif
