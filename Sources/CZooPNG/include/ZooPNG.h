// Decoding PNG files from memory with libpng, with every libpng error returned as a message
// instead of a longjmp: libpng reports errors by longjmp, which must never cross Swift frames,
// so each entry point sets its jump target here, in C, and returns -1 when libpng jumps to it.
#ifndef MODELZOO_ZOOPNG_H
#define MODELZOO_ZOOPNG_H
#include <stddef.h>
#include <stdint.h>

/// The pixels a PNG decodes to here, as Pillow reads it and `convert("RGB")`/`convert("L")`
/// then sees it: 8-bit grayscale (1 channel) or RGB (3 channels; palettes expanded without
/// their tRNS transparency, alpha dropped, 16-bit samples cut to their high byte), or 16-bit
/// grayscale kept whole (1 channel, 2 bytes per sample in native byte order), which the
/// caller narrows as Pillow's I;16 → L conversion does. Rows are packed, top to bottom.
typedef struct {
    uint32_t width;
    uint32_t height;
    int channels;
    int bytes_per_sample;
    /// The bytes of one row as the file stores it (before any transformation), which
    /// bounds how large an image a file of a given size can hold.
    size_t stored_row_bytes;
    /// Why decoding failed, when a function returns -1.
    char message[200];
} zoo_png_layout;

/// Reads the header and fills `layout`; 0 on success, -1 with `layout->message` set.
int zoo_png_read_layout(const uint8_t *data, size_t size, zoo_png_layout *layout);

/// Decodes the whole image into `pixels` (at least height · width · channels ·
/// bytes_per_sample bytes, `capacity`); 0 on success, -1 with `layout->message` set.
int zoo_png_decode(const uint8_t *data, size_t size, uint8_t *pixels, size_t capacity, zoo_png_layout *layout);

#endif
