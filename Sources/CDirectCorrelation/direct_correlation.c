// See include/direct_correlation.h. One register per output channel of a block of 16 holds a
// run of output columns of one row; for every input channel and tap the run of inputs is loaded
// once and multiplied into all 16 with the tap's weights broadcast from the packed kernel
// (contiguous per (block, channel, tap)): 16 FMAs per load, so the loop is bound by the FMA
// units. Column runs past the output's width are masked.
#include "direct_correlation.h"
#include <stdint.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int specbench_direct_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(1, 0, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27))) return 0;  // OSXSAVE
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    uint64_t xcr0 = ((uint64_t)hi << 32) | lo;
    if ((xcr0 & 0xE6) != 0xE6) return 0;  // SSE, AVX, opmask, ZMM0-15 and ZMM16-31 state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 16)) ? 1 : 0;  // AVX512F
}

#define BLOCK SPECBENCH_DIRECT_BLOCK

// One kernel per precision, written once: SCALAR, its register type, columns per register, the
// mask type and the intrinsics' suffix (ps: float32, pd: float64).
#define SPECBENCH_DIRECT_KERNEL(NAME, SCALAR, VECTOR, LANES, MASK, FULL, SUFFIX)                        \
    __attribute__((target("avx512f")))                                                               \
    void NAME(const SCALAR *in, long channelStride, long rowStride, const SCALAR *packed,           \
              int inputChannels, int kernelHeight, int kernelWidth, int outputChannels,             \
              SCALAR *out, int outputHeight, int outputWidth,                                       \
              int blockBegin, int blockEnd, int rowBegin, int rowEnd) {                             \
        const int taps = kernelHeight * kernelWidth;                                                \
        const long plane = (long)outputHeight * outputWidth;                                        \
        for (int block = blockBegin; block < blockEnd; block++) {                                   \
            const int first = block * BLOCK;                                                        \
            const int live = outputChannels - first < BLOCK ? outputChannels - first : BLOCK;      \
            const SCALAR *weights = packed + (long)block * inputChannels * taps * BLOCK;            \
            for (int r = rowBegin; r < rowEnd; r++) {                                               \
                for (int c = 0; c < outputWidth; c += LANES) {                                      \
                    const int left = outputWidth - c;                                               \
                    const MASK mask = left >= LANES ? (MASK)FULL : (MASK)((1u << left) - 1);        \
                    VECTOR acc[BLOCK];                                                              \
                    for (int j = 0; j < BLOCK; j++) acc[j] = _mm512_setzero_##SUFFIX();             \
                    const SCALAR *w = weights;                                                      \
                    for (int i = 0; i < inputChannels; i++) {                                       \
                        const SCALAR *base = in + i * channelStride + r * rowStride + c;            \
                        for (int dy = 0; dy < kernelHeight; dy++) {                                 \
                            const SCALAR *row = base + dy * rowStride;                              \
                            for (int dx = 0; dx < kernelWidth; dx++, w += BLOCK) {                  \
                                const VECTOR x = _mm512_maskz_loadu_##SUFFIX(mask, row + dx);       \
                                for (int j = 0; j < BLOCK; j++)                                     \
                                    acc[j] = _mm512_fmadd_##SUFFIX(_mm512_set1_##SUFFIX(w[j]), x, acc[j]); \
                            }                                                                       \
                        }                                                                           \
                    }                                                                               \
                    SCALAR *target = out + (long)first * plane + (long)r * outputWidth + c;        \
                    /* A constant trip count keeps the accumulators in registers (a loop to */     \
                    /* `live` made the compiler keep them in memory). */                            \
                    for (int j = 0; j < BLOCK; j++)                                                 \
                        if (j < live) _mm512_mask_storeu_##SUFFIX(target + j * plane, mask, acc[j]); \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
    }

SPECBENCH_DIRECT_KERNEL(specbench_direct_correlation_f32, float, __m512, 16, __mmask16, 0xFFFF, ps)
SPECBENCH_DIRECT_KERNEL(specbench_direct_correlation_f64, double, __m512d, 8, __mmask8, 0xFF, pd)

#else

int specbench_direct_available(void) { return 0; }

void specbench_direct_correlation_f32(
    const float *in, long channelStride, long rowStride, const float *packed,
    int inputChannels, int kernelHeight, int kernelWidth, int outputChannels,
    float *out, int outputHeight, int outputWidth,
    int blockBegin, int blockEnd, int rowBegin, int rowEnd) {
    (void)in; (void)channelStride; (void)rowStride; (void)packed; (void)inputChannels; (void)kernelHeight;
    (void)kernelWidth; (void)outputChannels; (void)out; (void)outputHeight; (void)outputWidth;
    (void)blockBegin; (void)blockEnd; (void)rowBegin; (void)rowEnd;
}

void specbench_direct_correlation_f64(
    const double *in, long channelStride, long rowStride, const double *packed,
    int inputChannels, int kernelHeight, int kernelWidth, int outputChannels,
    double *out, int outputHeight, int outputWidth,
    int blockBegin, int blockEnd, int rowBegin, int rowEnd) {
    (void)in; (void)channelStride; (void)rowStride; (void)packed; (void)inputChannels; (void)kernelHeight;
    (void)kernelWidth; (void)outputChannels; (void)out; (void)outputHeight; (void)outputWidth;
    (void)blockBegin; (void)blockEnd; (void)rowBegin; (void)rowEnd;
}

#endif
