// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// The FMA peak of one core (docs/benchmarks.md, "kernels near the limit"): ten independent chains of
// 256-bit fused multiply-adds, timed in process CPU time. Not part of the package build:
//
//     clang -O2 Benchmarks/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

__attribute__((target("avx2,fma"))) int main(void) {
    __m256 a[10];
    for (int i = 0; i < 10; i++) a[i] = _mm256_set1_ps(1.0f + i * 1e-7f);
    __m256 b = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-8f);
    long m = 200000000;
    clock_t t0 = clock();
    for (long i = 0; i < m; i++) {
        for (int k = 0; k < 10; k++) a[k] = _mm256_fmadd_ps(a[k], b, c);
        __asm__ volatile("" : "+x"(a[0]), "+x"(a[1]), "+x"(a[2]), "+x"(a[3]), "+x"(a[4]), "+x"(a[5]), "+x"(a[6]),
                         "+x"(a[7]), "+x"(a[8]), "+x"(a[9]));
    }
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    __m256 sum = a[0];
    for (int k = 1; k < 10; k++) sum = _mm256_add_ps(sum, a[k]);
    float o[8];
    _mm256_storeu_ps(o, sum);
    printf("%.2f G FMA instructions/s, %.1f GFLOP/s (checksum %f)\n", m * 10.0 / s / 1e9, m * 10.0 * 16 / s / 1e9,
           o[0]);
    return 0;
}
