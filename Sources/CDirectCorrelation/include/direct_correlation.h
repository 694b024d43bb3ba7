// A direct stride-1 correlation of a padded multi-channel grid with a packed kernel, written with
// AVX-512 intrinsics (float32: 16 output columns per register; float64: 8), for the operator's
// small-channel layers where neither a gemm per tap nor Winograd's transforms reach the FMA
// units. The functions are compiled for AVX-512F whatever the build's target and must only be
// called when `specbench_direct_available()` says the CPU and the OS support it.
#ifndef SPECBENCH_DIRECT_CORRELATION_H
#define SPECBENCH_DIRECT_CORRELATION_H

// Output channels per packed block (one accumulator register each).
#define SPECBENCH_DIRECT_BLOCK 16

// 1 when this CPU and OS run AVX-512F code (cpuid and XCR0), else 0 (also on other architectures).
int specbench_direct_available(void);

// out[o][r][c] = Σ_{i, dy, dx} K[o][i][dy][dx] · in[i][r + dy][c + dx] for the output channels of
// blocks [blockBegin, blockEnd) and the output rows [rowBegin, rowEnd).
//   in: `inputChannels` channels `channelStride` scalars apart, rows `rowStride` apart; every
//       read lies in rows r + dy < outputHeight + kh − 1 and columns c + dx < outputWidth + kw − 1.
//   packed: per block of 16 output channels, [block][i][dy·kw + dx][16] (zeros past cout).
//   out: `outputChannels` channels of outputHeight × outputWidth, row-major, written (not added).
void specbench_direct_correlation_f32(
    const float *in, long channelStride, long rowStride, const float *packed,
    int inputChannels, int kernelHeight, int kernelWidth, int outputChannels,
    float *out, int outputHeight, int outputWidth,
    int blockBegin, int blockEnd, int rowBegin, int rowEnd);

// The same in float64 (8 output columns per register).
void specbench_direct_correlation_f64(
    const double *in, long channelStride, long rowStride, const double *packed,
    int inputChannels, int kernelHeight, int kernelWidth, int outputChannels,
    double *out, int outputHeight, int outputWidth,
    int blockBegin, int blockEnd, int rowBegin, int rowEnd);

#endif
