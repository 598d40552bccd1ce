// 16-float vector helpers shared by the kernels in this directory (not part of the API).
#ifndef ZOO_VECTOR_MATH_H
#define ZOO_VECTOR_MATH_H

#include "ZooKernels.h"

// The helpers take and return 64-byte vectors by value; they are always inlined, so the
// calling convention clang warns about for the AVX2 and SSE clones never applies.
#pragma clang diagnostic ignored "-Wpsabi"

// 16 floats; aligned(4) makes a dereference an unaligned load. Lowered to one AVX-512,
// two AVX2 or four SSE registers depending on the clone being compiled.
typedef float vec16 __attribute__((vector_size(64), aligned(4)));
typedef int int16v __attribute__((vector_size(64), aligned(4)));

// e^x by Cephes' expf polynomial after x = n·ln2 + r, |r| ≤ ln2/2 (about 1 ulp); adding
// 1.5·2²³ rounds n into the low mantissa bits. Unlike the Swift VectorMath.exp it has no
// fix-ups at the ends (NaN becomes a number, x in [88.38, 88.7] gives +inf early, below
// -87.3 a tiny number instead of 0): good for sigmoid and tanh, which saturate there and
// restore NaN themselves, not as an Exp kernel.
static inline __attribute__((always_inline)) vec16 zoo_exp16(vec16 x) {
    vec16 c = __builtin_elementwise_min(__builtin_elementwise_max(x, (vec16){0} - 87.3f), (vec16){0} + 88.7f);
    vec16 shifted = c * 1.442695040888963f + 12582912.0f;
    vec16 n = shifted - 12582912.0f;
    vec16 r = c - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    vec16 p = (vec16){0} + 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    vec16 polynomial = p * r * r + r + 1;
    int16v exponent = (((int16v)shifted - 0x4B400000) + 127) << 23;
    return polynomial * (vec16)exponent;
}

// NaN lanes of x replace the same lanes of value (max and min drop NaNs).
static inline __attribute__((always_inline)) vec16 zoo_keep_nan(vec16 x, vec16 value) {
    int16v nan = x != x;
    return (vec16)((nan & (int16v)x) | (~nan & (int16v)value));
}

// One of the ZOO_ACTIVATION_* functions.
static inline __attribute__((always_inline)) vec16 zoo_activate16(int activation, vec16 x) {
    switch (activation) {
    case ZOO_ACTIVATION_RELU: return zoo_keep_nan(x, __builtin_elementwise_max(x, (vec16){0}));
    case ZOO_ACTIVATION_SIGMOID: return zoo_keep_nan(x, 1 / (1 + zoo_exp16(-x)));
    case ZOO_ACTIVATION_TANH: {
        // sign(x)·(1 − 2/(e^{2|x|} + 1)): within about 1e-7 absolute. Below |x| = 1/16 that
        // subtraction cancels (tiny inputs would give 0), so there tanh's series to x⁷ is
        // used, within 1e-10 relative.
        vec16 a = __builtin_elementwise_abs(x), a2 = a * a;
        vec16 series = a * (1 + a2 * (-1.0f / 3 + a2 * (2.0f / 15 + a2 * (-17.0f / 315))));
        int16v small = a < 0.0625f;
        vec16 large = 1 - 2 / (zoo_exp16(2 * a) + 1);
        vec16 magnitude = (vec16)((small & (int16v)series) | (~small & (int16v)large));
        int16v sign = (int16v)x & (int)0x80000000;
        return zoo_keep_nan(x, (vec16)((int16v)magnitude | sign));
    }
    default: return x;
    }
}

#endif
