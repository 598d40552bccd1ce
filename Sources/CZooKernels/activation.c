#include <string.h>
#include "ZooKernels.h"
#include "vector_math.h"

// The loop lives outside the cloned function: clang rejects passing 64-byte vectors by
// value from a function compiled for AVX-512 to one compiled for the default target, even
// an always-inline one, unless another inlined function sits between them.
static inline __attribute__((always_inline)) void activate_all(const float *x, float *y, size_t count, int activation) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) *(vec16 *)(y + i) = zoo_activate16(activation, *(const vec16 *)(x + i));
    if (i < count) {
        vec16 tail = {0};
        memcpy(&tail, x + i, (count - i) * sizeof(float));
        tail = zoo_activate16(activation, tail);
        memcpy(y + i, &tail, (count - i) * sizeof(float));
    }
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void zoo_activate(const float *x, float *y, size_t count, int activation) {
    activate_all(x, y, count, activation);
}
