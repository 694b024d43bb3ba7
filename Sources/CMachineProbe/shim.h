// What the CPU says about itself (cpuid, xgetbv) and two timing loops that measure its clock and
// its floating-point throughput directly. Header only: static inline functions compiled into the
// importing Swift module. On other architectures every function reports "unknown" (0).
#include <stdint.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

// cpuid leaf/subleaf into regs[0..3] = eax, ebx, ecx, edx. Returns 0 when the leaf is above the
// highest the CPU supports (regs then zero) or on other architectures.
static inline int specbench_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#if defined(__x86_64__)
    return __get_cpuid_count(leaf, subleaf, &regs[0], &regs[1], &regs[2], &regs[3]);
#else
    (void)leaf; (void)subleaf;
    return 0;
#endif
}

// XCR0: which register states the operating system saves (bit 1 SSE, 2 AVX, 5-7 AVX-512).
// Only call when cpuid says OSXSAVE (leaf 1, ecx bit 27); 0 on other architectures.
static inline uint64_t specbench_xgetbv0(void) {
#if defined(__x86_64__)
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
#else
    return 0;
#endif
}

// 64 × `rounds` dependent integer additions: one per cycle on every x86-64 core, so the
// elapsed time gives the clock the core runs at (cpuinfo's MHz is unreliable under hypervisors).
static inline uint64_t specbench_dependent_adds(uint64_t rounds) {
    uint64_t x = rounds;
#if defined(__x86_64__)
    for (uint64_t i = 0; i < rounds; i++) {
        __asm__ volatile(
            ".rept 64\n\t"
            "addq $1, %0\n\t"
            ".endr"
            : "+r"(x));
    }
#endif
    return x;
}

// 12 independent vector FMA chains × `rounds` (enough to cover a 4-cycle latency on two FMA
// pipes), each FMA 2 × lanes floating-point operations in double precision. `width` is 512
// (zmm, AVX-512F) or 256 (ymm, FMA3); call only when the CPU and OS support it. Returns a value
// derived from the registers so the loop cannot be removed. R is the register prefix.
#define SPECBENCH_FMA_CHAINS(R)                                                          \
    "vxorpd %%xmm0, %%xmm0, %%xmm0\n\t"   "vxorpd %%xmm1, %%xmm1, %%xmm1\n\t"            \
    "vxorpd %%xmm2, %%xmm2, %%xmm2\n\t"   "vxorpd %%xmm3, %%xmm3, %%xmm3\n\t"            \
    "vxorpd %%xmm4, %%xmm4, %%xmm4\n\t"   "vxorpd %%xmm5, %%xmm5, %%xmm5\n\t"            \
    "vxorpd %%xmm6, %%xmm6, %%xmm6\n\t"   "vxorpd %%xmm7, %%xmm7, %%xmm7\n\t"            \
    "vxorpd %%xmm8, %%xmm8, %%xmm8\n\t"   "vxorpd %%xmm9, %%xmm9, %%xmm9\n\t"            \
    "vxorpd %%xmm10, %%xmm10, %%xmm10\n\t" "vxorpd %%xmm11, %%xmm11, %%xmm11\n\t"        \
    "vxorpd %%xmm12, %%xmm12, %%xmm12\n\t" "vxorpd %%xmm13, %%xmm13, %%xmm13\n\t"        \
    "1:\n\t"                                                                              \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "0\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "1\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "2\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "3\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "4\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "5\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "6\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "7\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "8\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "9\n\t"                                     \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "10\n\t"                                    \
    "vfmadd231pd %%" R "12, %%" R "13, %%" R "11\n\t"                                    \
    "decq %1\n\t"                                                                         \
    "jnz 1b\n\t"                                                                          \
    "vaddpd %%" R "0, %%" R "11, %%" R "0\n\t"                                           \
    "vmovsd %%xmm0, %0\n\t"                                                               \
    "vzeroupper\n\t"

static inline double specbench_fma_chains(uint64_t rounds, int width) {
#if defined(__x86_64__)
    double out = 0;
    if (width == 512) {
        __asm__ volatile(SPECBENCH_FMA_CHAINS("zmm")
            : "=m"(out), "+r"(rounds)
            :
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
              "xmm10", "xmm11", "xmm12", "xmm13", "cc", "memory");
    } else {
        __asm__ volatile(SPECBENCH_FMA_CHAINS("ymm")
            : "=m"(out), "+r"(rounds)
            :
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
              "xmm10", "xmm11", "xmm12", "xmm13", "cc", "memory");
    }
    return out;
#else
    (void)rounds; (void)width;
    return 0;
#endif
}
