// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// The FMA peak of one core (docs/benchmarks.md, "kernels near the limit"): ten independent chains of
// 256-bit fused multiply-adds, and of 512-bit ones when the CPU has AVX-512, timed in process CPU
// time. Not part of the package build:
//
//     clang -O2 Benchmarks/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define CHAINS 10
static const long rounds = 200000000;

static void report(const char *what, double seconds, int lanes, float checksum) {
    double fmas = rounds * (double)CHAINS / seconds;
    printf("%s: %.2f G FMA instructions/s, %.1f GFLOP/s (checksum %f)\n", what, fmas / 1e9,
           fmas * lanes * 2 / 1e9, checksum);
}

__attribute__((target("avx2,fma"))) static void peak256(void) {
    __m256 a[CHAINS];
    for (int i = 0; i < CHAINS; i++) a[i] = _mm256_set1_ps(1.0f + i * 1e-7f);
    __m256 b = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-8f);
    clock_t t0 = clock();
    for (long i = 0; i < rounds; i++) {
        for (int k = 0; k < CHAINS; k++) a[k] = _mm256_fmadd_ps(a[k], b, c);
        __asm__ volatile("" : "+x"(a[0]), "+x"(a[1]), "+x"(a[2]), "+x"(a[3]), "+x"(a[4]), "+x"(a[5]), "+x"(a[6]),
                         "+x"(a[7]), "+x"(a[8]), "+x"(a[9]));
    }
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    __m256 sum = a[0];
    for (int k = 1; k < CHAINS; k++) sum = _mm256_add_ps(sum, a[k]);
    float o[8];
    _mm256_storeu_ps(o, sum);
    report("256-bit (AVX2)", s, 8, o[0]);
}

__attribute__((target("avx512f"))) static void peak512(void) {
    __m512 a[CHAINS];
    for (int i = 0; i < CHAINS; i++) a[i] = _mm512_set1_ps(1.0f + i * 1e-7f);
    __m512 b = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-8f);
    clock_t t0 = clock();
    for (long i = 0; i < rounds; i++) {
        for (int k = 0; k < CHAINS; k++) a[k] = _mm512_fmadd_ps(a[k], b, c);
        __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5]), "+v"(a[6]),
                         "+v"(a[7]), "+v"(a[8]), "+v"(a[9]));
    }
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    __m512 sum = a[0];
    for (int k = 1; k < CHAINS; k++) sum = _mm512_add_ps(sum, a[k]);
    report("512-bit (AVX-512)", s, 16, _mm512_reduce_add_ps(sum) / 16);
}

int main(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) peak256();
    if (__builtin_cpu_supports("avx512f")) peak512();
    return 0;
}
