// ARPACK-NG's C interface (Debian: libarpack2-dev, headers in /usr/include/arpack, found via
// pkg-config "arpack"). Only the real symmetric driver, dsaupd_c/dseupd_c, is called; the complex
// drivers' `_Complex` arguments are not imported by Swift and are not used.
#include <arpack.h>
