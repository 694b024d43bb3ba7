// FFTW 3 with fftw_complex as a plain double[2] (imported into Swift as a tuple).
// FFTW_NO_Complex must come first, or fftw_complex turns opaque once <complex.h> was seen.
#define FFTW_NO_Complex
#include <fftw3.h>
