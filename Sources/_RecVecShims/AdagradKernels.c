// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// GRU4Rec's Adagrad step with momentum (RecVecCore's AdagradParameter) on 8 or 16 floats at a time,
// for x86-64 CPUs with AVX2 or AVX-512 (each function with its own target attribute; see
// MatrixKernels.c for how one is chosen). The Swift loop it replaces runs element by element: the
// square root and the division of each element stay scalar there.
//
// Multiplications and additions are not fused (FP_CONTRACT off), and each operation is the Swift
// loop's, in its order: the results are the same, bit for bit, whichever variant runs.

#include "RecVecShims.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)

typedef float rv_f8 __attribute__((ext_vector_type(8)));
typedef float rv_f16 __attribute__((ext_vector_type(16)));

// acc += g²; then v = μ·v − η·g/√(acc + ε), w += v (momentum > 0), or w −= η·g/√(acc + ε).
#define RV_ADAGRAD(VT)                                                                                            \
    const float epsilon = 1e-6f;                                                                                  \
    const long width = (long)(sizeof(VT) / sizeof(float));                                                        \
    long i = 0;                                                                                                   \
    if (momentum > 0) {                                                                                           \
        for (; i + width <= count; i += width) {                                                                  \
            VT g, a, v, w;                                                                                        \
            __builtin_memcpy(&g, gradient + i, sizeof(VT));                                                       \
            __builtin_memcpy(&a, accumulator + i, sizeof(VT));                                                    \
            __builtin_memcpy(&v, velocity + i, sizeof(VT));                                                       \
            __builtin_memcpy(&w, value + i, sizeof(VT));                                                          \
            a = a + g * g;                                                                                        \
            v = momentum * v - learningRate * g / __builtin_elementwise_sqrt(a + epsilon);                        \
            w = w + v;                                                                                            \
            __builtin_memcpy(accumulator + i, &a, sizeof(VT));                                                    \
            __builtin_memcpy(velocity + i, &v, sizeof(VT));                                                       \
            __builtin_memcpy(value + i, &w, sizeof(VT));                                                          \
        }                                                                                                         \
        for (; i < count; i++) {                                                                                  \
            float g = gradient[i];                                                                                \
            float a = accumulator[i] + g * g;                                                                     \
            accumulator[i] = a;                                                                                   \
            float v = momentum * velocity[i] - learningRate * g / __builtin_elementwise_sqrt(a + epsilon);        \
            velocity[i] = v;                                                                                      \
            value[i] = value[i] + v;                                                                              \
        }                                                                                                         \
    } else {                                                                                                      \
        for (; i + width <= count; i += width) {                                                                  \
            VT g, a, w;                                                                                           \
            __builtin_memcpy(&g, gradient + i, sizeof(VT));                                                       \
            __builtin_memcpy(&a, accumulator + i, sizeof(VT));                                                    \
            __builtin_memcpy(&w, value + i, sizeof(VT));                                                          \
            a = a + g * g;                                                                                        \
            w = w - learningRate * g / __builtin_elementwise_sqrt(a + epsilon);                                   \
            __builtin_memcpy(accumulator + i, &a, sizeof(VT));                                                    \
            __builtin_memcpy(value + i, &w, sizeof(VT));                                                          \
        }                                                                                                         \
        for (; i < count; i++) {                                                                                  \
            float g = gradient[i];                                                                                \
            float a = accumulator[i] + g * g;                                                                     \
            accumulator[i] = a;                                                                                   \
            value[i] = value[i] - learningRate * g / __builtin_elementwise_sqrt(a + epsilon);                     \
        }                                                                                                         \
    }

__attribute__((target("avx2,fma"))) static void rv256_adagrad(
    float *value, const float *gradient, float *accumulator, float *velocity, long count, float learningRate,
    float momentum) {
    RV_ADAGRAD(rv_f8)
}

__attribute__((target("avx512f,avx2,fma"))) static void rv512_adagrad(
    float *value, const float *gradient, float *accumulator, float *velocity, long count, float learningRate,
    float momentum) {
    RV_ADAGRAD(rv_f16)
}

void recvec_adagrad(int level, float *value, const float *gradient, float *accumulator, float *velocity, long count,
                    float learningRate, float momentum) {
    if (level >= 2) rv512_adagrad(value, gradient, accumulator, velocity, count, learningRate, momentum);
    else rv256_adagrad(value, gradient, accumulator, velocity, count, learningRate, momentum);
}

#else

void recvec_adagrad(int level, float *value, const float *gradient, float *accumulator, float *velocity, long count,
                    float learningRate, float momentum) {
    (void)level, (void)value, (void)gradient, (void)accumulator, (void)velocity, (void)count;
    (void)learningRate, (void)momentum;
    __builtin_trap();
}

#endif
