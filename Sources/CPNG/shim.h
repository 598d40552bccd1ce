// libpng, for the CZooPNG shim only: libpng reports errors by longjmp, which Swift must not cross.
#ifndef MODELZOO_CPNG_SHIM_H
#define MODELZOO_CPNG_SHIM_H
#include <png.h>
#endif
