// Umbrella header for oneDNN (Debian libdnnl-dev 2.6, C API) as seen from Swift.
// No logic lives here: only the library header, the OpenMP entry points the
// thread-count option and our parallel kernels need, and constants whose C macros Swift cannot import.
#ifndef ZOO_CDNNL_SHIM_H
#define ZOO_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>   // dnnl_status2str, dnnl_cpu_isa2str, ...

// libdnnl is built with the OpenMP (libgomp) runtime, so its thread count is the
// OpenMP one, and the executor runs its own parallel kernels on the same OpenMP
// team (GOMP_parallel is what `#pragma omp parallel` compiles to) so that they
// never compete with oneDNN's idle workers, which spin between regions.
// Debian keeps <omp.h> in GCC's private include directory
// (/usr/lib/gcc/x86_64-linux-gnu/12/include), which Swift's clang does not
// search, so the prototypes are declared here instead; the module
// map links "gomp" (libgomp.so from GCC's library directory) to resolve them.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
int omp_get_num_threads(void);
int omp_get_thread_num(void);
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
void GOMP_barrier(void);   // `#pragma omp barrier`

// DNNL_MEMORY_ALLOCATE is a pointer cast macro, which Swift does not import.
static inline void *cdnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

#endif
