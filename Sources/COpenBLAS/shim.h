// OpenBLAS's CBLAS interface (also declares openblas_set_num_threads, openblas_get_config and
// openblas_get_corename).
#include <cblas.h>
