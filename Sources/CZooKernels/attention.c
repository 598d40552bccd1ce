#include <math.h>
#include <string.h>
#include "ZooKernels.h"
#include "vector_math.h"

// The loops live in always-inline helpers outside the cloned functions (see activation.c).

// Loads the first count (< 16) floats of p into a vector of zeros.
static inline __attribute__((always_inline)) vec16 load_partial(const float *p, size_t count) {
    vec16 v = {0};
    memcpy(&v, p, count * sizeof(float));
    return v;
}

// The sum of the 16 lanes, halving the vector each step.
static inline __attribute__((always_inline)) float sum16(vec16 v) {
    typedef float vec8 __attribute__((vector_size(32), aligned(4)));
    typedef float vec4 __attribute__((vector_size(16), aligned(4)));
    vec8 half = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    vec4 quarter = __builtin_shufflevector(half, half, 0, 1, 2, 3) + __builtin_shufflevector(half, half, 4, 5, 6, 7);
    return (quarter[0] + quarter[2]) + (quarter[1] + quarter[3]);
}

static inline __attribute__((always_inline)) float dot(const float *a, const float *b, size_t depth) {
    vec16 sum = {0};
    size_t d = 0;
    for (; d + 16 <= depth; d += 16) sum += *(const vec16 *)(a + d) * *(const vec16 *)(b + d);
    if (d < depth) sum += load_partial(a + d, depth - d) * load_partial(b + d, depth - d);
    return sum16(sum);
}

static inline __attribute__((always_inline)) void scores_all(const float *q, const float *k, size_t k_stride, size_t count,
                                                             size_t depth, float scale, float *scores) {
    size_t j = 0;
    // Eight keys at a time share each load of q and keep eight sums in flight.
    for (; j + 8 <= count; j += 8) {
        vec16 s[8] = {{0}};
        size_t d = 0;
        for (; d + 16 <= depth; d += 16) {
            vec16 x = *(const vec16 *)(q + d);
            for (int r = 0; r < 8; r++) s[r] += x * *(const vec16 *)(k + (j + r) * k_stride + d);
        }
        if (d < depth) {
            size_t rest = depth - d;
            vec16 x = load_partial(q + d, rest);
            for (int r = 0; r < 8; r++) s[r] += x * load_partial(k + (j + r) * k_stride + d, rest);
        }
        for (int r = 0; r < 8; r++) scores[j + r] = sum16(s[r]) * scale;
    }
    for (; j < count; j++) scores[j] = dot(q, k + j * k_stride, depth) * scale;
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void zoo_attention_scores(const float *q, const float *k, size_t k_stride, size_t count, size_t depth, float scale,
                          float *scores) {
    scores_all(q, k, k_stride, count, depth, scale, scores);
}

static inline __attribute__((always_inline)) float exponentiate_all(float *s, size_t count, float maximum) {
    vec16 sum = {0};
    size_t j = 0;
    for (; j + 16 <= count; j += 16) {
        vec16 x = *(const vec16 *)(s + j) - maximum;
        // zoo_exp16 gives a tiny number below -87.3; masked keys (-inf) must weigh exactly 0.
        int16v tiny = x < -87.3f;
        vec16 e = (vec16)(~tiny & (int16v)zoo_exp16(x));
        *(vec16 *)(s + j) = e;
        sum += e;
    }
    float total = sum16(sum);
    for (; j < count; j++) {
        s[j] = expf(s[j] - maximum);
        total += s[j];
    }
    return total;
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
float zoo_attention_exponentiate(float *scores, size_t count, float maximum) {
    return exponentiate_all(scores, count, maximum);
}

static inline __attribute__((always_inline)) void accumulate_all(const float *p, const float *v, size_t v_stride, size_t count,
                                                                 size_t depth, float rescale, float *acc) {
    for (size_t d = 0; d < depth; d += 16) {
        size_t n = depth - d < 16 ? depth - d : 16;
        // Four independent sums over the keys, so that the adds do not wait on each other.
        vec16 a0 = (n == 16 ? *(const vec16 *)(acc + d) : load_partial(acc + d, n)) * rescale, a1 = {0}, a2 = {0}, a3 = {0};
        size_t j = 0;
        if (n == 16) {
            for (; j + 4 <= count; j += 4) {
                const float *row = v + j * v_stride + d;
                a0 += p[j] * *(const vec16 *)row;
                a1 += p[j + 1] * *(const vec16 *)(row + v_stride);
                a2 += p[j + 2] * *(const vec16 *)(row + 2 * v_stride);
                a3 += p[j + 3] * *(const vec16 *)(row + 3 * v_stride);
            }
            for (; j < count; j++) a0 += p[j] * *(const vec16 *)(v + j * v_stride + d);
        } else {
            for (; j < count; j++) a0 += p[j] * load_partial(v + j * v_stride + d, n);
        }
        vec16 a = (a0 + a1) + (a2 + a3);
        if (n == 16) *(vec16 *)(acc + d) = a;
        else memcpy(acc + d, &a, n * sizeof(float));
    }
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void zoo_attention_accumulate(const float *p, const float *v, size_t v_stride, size_t count, size_t depth, float rescale,
                              float *acc) {
    accumulate_all(p, v, v_stride, count, depth, rescale, acc);
}
