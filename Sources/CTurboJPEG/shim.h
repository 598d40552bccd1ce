// libjpeg-turbo's TurboJPEG API: every call returns its error instead of exiting.
#ifndef MODELZOO_CTURBOJPEG_SHIM_H
#define MODELZOO_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
