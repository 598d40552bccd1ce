#include <string.h>
#include "ZooKernels.h"
#include "vector_math.h"

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
        for (int o = 0; o < CHANNELS; o++) acc[q][o] = zoo_activate16(activation, acc[q][o]);
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
            // in_w + pad_left ≤ tile_width for any valid geometry; the bound is a guard.
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
