// OpenSSL's libcrypto, for its message digests (SHA-256 of weights). Swift imports the
// EVP functions directly; nothing needs re-exporting.
#ifndef MODELZOO_COPENSSL_SHIM_H
#define MODELZOO_COPENSSL_SHIM_H
#include <openssl/evp.h>

#endif
