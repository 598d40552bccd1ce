#include <string.h>
#include "ZooKernels.h"

// The vector helpers below take and return 64-byte vectors by value; they are always
// inlined, so the calling convention clang warns about for the AVX2/SSE clones never applies.
#pragma clang diagnostic ignored "-Wpsabi"

// 16 floats; aligned(4) makes a dereference an unaligned load (see gemv.c).
typedef float vec16 __attribute__((vector_size(64), aligned(4)));
typedef int int16v __attribute__((vector_size(64), aligned(4)));

// e^x by Cephes' expf polynomial after x = n·ln2 + r, |r| ≤ ln2/2 (about 1 ulp), as in
// the Swift VectorMath.exp. Adding 1.5·2²³ rounds n into the low mantissa bits.
static inline __attribute__((always_inline)) vec16 exp16(vec16 x) {
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

// NaN lanes of x replace the same lanes of value (min/max above drop NaNs).
static inline __attribute__((always_inline)) vec16 keep_nan(vec16 x, vec16 value) {
    int16v nan = x != x;
    return (vec16)((nan & (int16v)x) | (~nan & (int16v)value));
}

static inline __attribute__((always_inline)) vec16 activate(int activation, vec16 x) {
    switch (activation) {
    case ZOO_ACTIVATION_RELU: return __builtin_elementwise_max(x, (vec16){0});
    case ZOO_ACTIVATION_SIGMOID: return keep_nan(x, 1 / (1 + exp16(-x)));
    case ZOO_ACTIVATION_TANH: {
        // sign(x)·(1 − 2/(e^{2|x|} + 1)): exact to about 1e-7 absolute, no cancellation.
        vec16 magnitude = 1 - 2 / (exp16(2 * __builtin_elementwise_abs(x)) + 1);
        int16v sign = (int16v)x & (int)0x80000000;
        return keep_nan(x, (vec16)((int16v)magnitude | sign));
    }
    default: return x;
    }
}

// CHANNELS output channels times CHUNKS runs of 16 columns (starting at cols[q]) of one
// output row, from a tile holding the kh input rows it reads. Per tap, CHUNKS input
// vectors and CHANNELS weights feed CHANNELS·CHUNKS independent FMAs: loads stop being
// the bottleneck (one weight per FMA ran at half the speed). y points at the row's first
// output; channel o of column c is at y[o·channel_step + c·column_step].
static inline __attribute__((always_inline)) void block(
    int CHUNKS, int CHANNELS, const float *tile, size_t tile_width, const float *w, size_t kh, size_t kw,
    const float *bias, int activation, const size_t cols[2], size_t lanes, float *y,
    size_t channel_step, size_t column_step) {
    vec16 acc[2][6];
    for (int o = 0; o < CHANNELS; o++) {
        float b = bias ? bias[o] : 0;
        for (int q = 0; q < CHUNKS; q++) acc[q][o] = (vec16){0} + b;
    }
    const size_t taps = kh * kw;
    for (size_t i = 0; i < kh; i++) {
        const float *row = tile + i * tile_width;
        for (size_t j = 0; j < kw; j++) {
            vec16 x[2];
            for (int q = 0; q < CHUNKS; q++) x[q] = *(const vec16 *)(row + cols[q] + j);
            for (int o = 0; o < CHANNELS; o++) {
                float weight = w[o * taps + i * kw + j];
                for (int q = 0; q < CHUNKS; q++) acc[q][o] += weight * x[q];
            }
        }
    }
    for (int q = 0; q < CHUNKS; q++) {
        for (int o = 0; o < CHANNELS; o++) acc[q][o] = activate(activation, acc[q][o]);
        if (column_step == 1 && lanes == 16) {
            for (int o = 0; o < CHANNELS; o++) *(vec16 *)(y + o * channel_step + cols[q]) = acc[q][o];
        } else {
            // Channels-last (or a short row): each column's channels are adjacent in y.
            float values[6][16];
            for (int o = 0; o < CHANNELS; o++) *(vec16 *)values[o] = acc[q][o];
            for (size_t l = 0; l < lanes; l++) {
                float *out = y + (cols[q] + l) * column_step;
                for (int o = 0; o < CHANNELS; o++) out[o * channel_step] = values[o][l];
            }
        }
    }
}

// `block` over all output channels, six at a time: twelve accumulators, two inputs and a
// weight take 15 of AVX-512's 32 registers (the AVX2 and SSE clones spill; they are for
// other machines' correctness, not speed).
static inline __attribute__((always_inline)) void all_channels(
    int CHUNKS, const float *tile, size_t tile_width, const float *w, size_t oc, size_t kh, size_t kw,
    const float *bias, int activation, const size_t cols[2], size_t lanes, float *y,
    size_t channel_step, size_t column_step) {
    for (size_t o0 = 0; o0 < oc; o0 += 6) {
        const float *wo = w + o0 * kh * kw, *bo = bias ? bias + o0 : NULL;
        float *yo = y + o0 * channel_step;
#define BLOCK(n) block(CHUNKS, n, tile, tile_width, wo, kh, kw, bo, activation, cols, lanes, yo, channel_step, column_step)
        switch (oc - o0 < 6 ? oc - o0 : 6) {
        case 1: BLOCK(1); break;
        case 2: BLOCK(2); break;
        case 3: BLOCK(3); break;
        case 4: BLOCK(4); break;
        case 5: BLOCK(5); break;
        default: BLOCK(6); break;
        }
#undef BLOCK
    }
}

size_t zoo_conv_single_channel_tile_width(size_t out_w, size_t kw) {
    size_t columns = out_w < 16 ? 16 : out_w;
    return columns + kw - 1;
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void zoo_conv_single_channel(const float *x, size_t in_h, size_t in_w, size_t pad_top, size_t pad_left,
                             const float *w, size_t oc, size_t kh, size_t kw, const float *bias, int activation,
                             size_t row_begin, size_t row_end, size_t out_h, size_t out_w, int channels_last,
                             float *y) {
    const size_t tile_width = zoo_conv_single_channel_tile_width(out_w, kw);
    float tile[ZOO_CONV_SINGLE_CHANNEL_MAX_TILE];
    const size_t channel_step = channels_last ? 1 : out_h * out_w, column_step = channels_last ? oc : 1;
    for (size_t r = row_begin; r < row_end; r++) {
        // The kh input rows this output row reads, zero where they fall into the padding.
        memset(tile, 0, kh * tile_width * sizeof(float));
        for (size_t i = 0; i < kh; i++) {
            size_t source_row = r + i;  // in padded coordinates
            if (source_row < pad_top || source_row - pad_top >= in_h) continue;
            size_t width = in_w < tile_width - pad_left ? in_w : tile_width - pad_left;
            memcpy(tile + i * tile_width + pad_left, x + (source_row - pad_top) * in_w, width * sizeof(float));
        }
        float *yr = y + r * out_w * column_step;
        if (out_w < 16) {
            size_t cols[2] = {0, 0};
            all_channels(1, tile, tile_width, w, oc, kh, kw, bias, activation, cols, out_w, yr, channel_step, column_step);
            continue;
        }
        // Runs of 32 columns, then the rest as one or two runs of 16 that may overlap the
        // previous ones (recomputing a few outputs is cheaper than a masked tail).
        size_t c = 0;
        for (; c + 32 <= out_w; c += 32) {
            size_t cols[2] = {c, c + 16};
            all_channels(2, tile, tile_width, w, oc, kh, kw, bias, activation, cols, 16, yr, channel_step, column_step);
        }
        if (c < out_w) {
            size_t cols[2] = {c, out_w - 16};
            if (out_w - c > 16) {
                all_channels(2, tile, tile_width, w, oc, kh, kw, bias, activation, cols, 16, yr, channel_step, column_step);
            } else {
                cols[0] = out_w - 16;
                all_channels(1, tile, tile_width, w, oc, kh, kw, bias, activation, cols, 16, yr, channel_step, column_step);
            }
        }
    }
}
