#include "ZooKernels.h"
#include "vector_math.h"

typedef float vec8 __attribute__((vector_size(32)));
typedef float vec4 __attribute__((vector_size(16)));

// ROWS rows of W times BATCH vectors: ROWS·BATCH independent accumulators (at most 16),
// each row chunk loaded once for all vectors. ROWS and BATCH are constants at every call
// site, so the loops unroll and the accumulators stay in registers.
static inline __attribute__((always_inline)) void block(
    int ROWS, int BATCH, const float *w, size_t ldw, size_t k, const float *x, size_t ldx, float out[4][8]) {
    vec16 acc[4][8] = {{{0}}};
    size_t i = 0;
    for (; i + 16 <= k; i += 16) {
        vec16 xs[8];
        for (int b = 0; b < BATCH; b++) xs[b] = *(const vec16 *)(x + b * ldx + i);
        for (int r = 0; r < ROWS; r++) {
            vec16 wr = *(const vec16 *)(w + r * ldw + i);
            for (int b = 0; b < BATCH; b++) acc[r][b] += wr * xs[b];
        }
    }
    for (int r = 0; r < ROWS; r++) {
        for (int b = 0; b < BATCH; b++) {
            // Halving sums: four dependent adds per accumulator instead of sixteen.
            vec8 v8 = __builtin_shufflevector(acc[r][b], acc[r][b], 0, 1, 2, 3, 4, 5, 6, 7)
                    + __builtin_shufflevector(acc[r][b], acc[r][b], 8, 9, 10, 11, 12, 13, 14, 15);
            vec4 v4 = __builtin_shufflevector(v8, v8, 0, 1, 2, 3) + __builtin_shufflevector(v8, v8, 4, 5, 6, 7);
            float s = (v4[0] + v4[2]) + (v4[1] + v4[3]);
            for (size_t j = i; j < k; j++) s += w[r * ldw + j] * x[b * ldx + j];
            out[r][b] = s;
        }
    }
}

// `block` for 1 to 8 vectors, each count its own unrolled copy. Callers pass ROWS ≤ 2 when
// there are more than four vectors; the clamp below only keeps the compiler from building
// 4 x 8 blocks (32 accumulators) that no call reaches.
static inline __attribute__((always_inline)) void rows_times_vectors(
    int ROWS, size_t vectors, const float *w, size_t ldw, size_t k, const float *x, size_t ldx, float out[4][8]) {
    switch (vectors) {
    case 8: block(ROWS <= 2 ? ROWS : 2, 8, w, ldw, k, x, ldx, out); break;
    case 7: block(ROWS <= 2 ? ROWS : 2, 7, w, ldw, k, x, ldx, out); break;
    case 6: block(ROWS <= 2 ? ROWS : 2, 6, w, ldw, k, x, ldx, out); break;
    case 5: block(ROWS <= 2 ? ROWS : 2, 5, w, ldw, k, x, ldx, out); break;
    case 4: block(ROWS, 4, w, ldw, k, x, ldx, out); break;
    case 3: block(ROWS, 3, w, ldw, k, x, ldx, out); break;
    case 2: block(ROWS, 2, w, ldw, k, x, ldx, out); break;
    default: block(ROWS, 1, w, ldw, k, x, ldx, out); break;
    }
}

static inline void store(int rows, int batch, float out[4][8], size_t row, const float *bias, int relu,
                         float *y, size_t ldy) {
    for (int r = 0; r < rows; r++) {
        for (int b = 0; b < batch; b++) {
            float v = out[r][b] + (bias ? bias[row + r] : 0);
            y[b * ldy + row + r] = relu && v < 0 ? 0 : v;
        }
    }
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void zoo_gemv_rows(const float *w, size_t ldw, size_t k, size_t row_begin, size_t row_end,
                   const float *x, size_t ldx, size_t batch,
                   const float *bias, int relu, float *y, size_t ldy) {
    float out[4][8];
    for (size_t b0 = 0; b0 < batch; b0 += 8) {
        size_t vectors = batch - b0 < 8 ? batch - b0 : 8;
        const float *xb = x + b0 * ldx;
        float *yb = y + b0 * ldy;
        // Four rows at a time for up to four vectors, two for more: sixteen accumulators.
        size_t row = row_begin;
        if (vectors <= 4) {
            for (; row + 4 <= row_end; row += 4) {
                rows_times_vectors(4, vectors, w + row * ldw, ldw, k, xb, ldx, out);
                store(4, (int)vectors, out, row, bias, relu, yb, ldy);
            }
        } else {
            for (; row + 2 <= row_end; row += 2) {
                rows_times_vectors(2, vectors, w + row * ldw, ldw, k, xb, ldx, out);
                store(2, (int)vectors, out, row, bias, relu, yb, ldy);
            }
        }
        for (; row < row_end; row++) {
            rows_times_vectors(1, vectors, w + row * ldw, ldw, k, xb, ldx, out);
            store(1, (int)vectors, out, row, bias, relu, yb, ldy);
        }
    }
}
