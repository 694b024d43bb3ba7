// LAPACKE with complex numbers as a struct {double real, imag}. Both macros are needed:
// without HAVE_LAPACK_CONFIG_H, LAPACK_COMPLEX_STRUCTURE is ignored and complex pointers
// import as OpaquePointer.
#define HAVE_LAPACK_CONFIG_H
#define LAPACK_COMPLEX_STRUCTURE
#include <lapacke.h>
