#ifndef ZOO_KERNELS_H
#define ZOO_KERNELS_H

#include <stddef.h>

// Kernels that oneDNN has no fast path for, written in C so that one function can be
// compiled for several instruction sets and picked when the library loads (clang's
// target_clones): AVX-512 on the machines we measure on, AVX2 or SSE2 elsewhere. Swift has
// no per-function target selection, and a package-wide -mavx512f would crash older CPUs.

// Matrix-vector products for a few vectors at once, streaming each row of W once per eight
// vectors:
//   y[b*ldy + r] = dot(W[r, 0..<k], x[b*ldx .. +k]) (+ bias[r]), then max(·, 0) if relu,
// for rows r in [row_begin, row_end) of W, whose rows start ldw floats apart, and b < batch.
// Made for small-batch fully connected layers and LSTM time steps, which are bound by the
// speed at which W's bytes arrive, not by arithmetic: rows that start on 64-byte
// boundaries (ldw a multiple of 16, W aligned) and k a multiple of 16 read fastest.
// bias may be NULL.
void zoo_gemv_rows(const float *w, size_t ldw, size_t k, size_t row_begin, size_t row_end,
                   const float *x, size_t ldx, size_t batch,
                   const float *bias, int relu, float *y, size_t ldy);

// Activations fused into a kernel's stores, or applied by zoo_activate.
enum { ZOO_ACTIVATION_NONE = 0, ZOO_ACTIVATION_RELU, ZOO_ACTIVATION_SIGMOID, ZOO_ACTIVATION_TANH };

// y[i] = activation(x[i]) for i < count; x and y may be the same array. Sigmoid and tanh
// to about 1e-7 absolute; NaN stays NaN. Our Swift SIMD code compiles to SSE only, which
// made these about four times slower (LSTM gates, LeNet-style sigmoid layers).
void zoo_activate(const float *x, float *y, size_t count, int activation);

// Convolution of one input channel (a grayscale image), stride 1, no dilation:
//   y[o, r, c] = act(bias[o] + sum_{i<kh, j<kw} w[o, i, j] * x[r + i - pad_top, c + j - pad_left])
// (x read as 0 outside its in_h x in_w plane), for output rows r in [row_begin, row_end) of
// one image; y is [oc, out_h, out_w] (NCHW), or [out_h, out_w, oc] if channels_last.
// oneDNN's kernels vectorise over input channels and leave most lanes idle when there is
// one; this one vectorises over output columns. Each output row reads its kh input rows
// from a zero-padded tile on the stack of kh * tile_width floats, at most
// ZOO_CONV_SINGLE_CHANNEL_MAX_TILE (32 KiB: small next to the stacks it runs on, OpenMP
// workers' or the caller's, a Dispatch thread's 512 KiB at least): check with
// zoo_conv_single_channel_tile_width before calling.
#define ZOO_CONV_SINGLE_CHANNEL_MAX_TILE 8192
size_t zoo_conv_single_channel_tile_width(size_t out_w, size_t kw);
void zoo_conv_single_channel(const float *x, size_t in_h, size_t in_w, size_t pad_top, size_t pad_left,
                             const float *w, size_t oc, size_t kh, size_t kw, const float *bias, int activation,
                             size_t row_begin, size_t row_end, size_t out_h, size_t out_w, int channels_last,
                             float *y);

// Fused attention, one query row against one block of keys (flash-attention's online
// softmax; the Swift kernel keeps the running maximum and sum):
//   scores[j] = scale * dot(q, k[j * k_stride .. + depth]) for j < count;
//   zoo_attention_exponentiate: scores[j] = exp(scores[j] - maximum) (exactly 0 below
//   e^-87.3, so -inf gives 0), returning their sum;
//   acc[d] = acc[d] * rescale + sum_j p[j] * v[j * v_stride + d] for d < depth.
void zoo_attention_scores(const float *q, const float *k, size_t k_stride, size_t count, size_t depth, float scale,
                          float *scores);
float zoo_attention_exponentiate(float *scores, size_t count, float maximum);
void zoo_attention_accumulate(const float *p, const float *v, size_t v_stride, size_t count, size_t depth, float rescale,
                              float *acc);

#endif
