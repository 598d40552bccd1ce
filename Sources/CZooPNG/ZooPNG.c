#include "ZooPNG.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} memory_source;

static void read_from_memory(png_structp png, png_bytep out, size_t length) {
    memory_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        png_error(png, "the file ends before the image data does (truncated)");
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static void record_error(png_structp png, png_const_charp message) {
    zoo_png_layout *layout = png_get_error_ptr(png);
    snprintf(layout->message, sizeof layout->message, "%s", message);
    png_longjmp(png, 1);
}

// Warnings concern ancillary chunks libpng then ignores, as Pillow ignores them.
static void ignore_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

// Asks libpng for the layout described in ZooPNG.h; returns 0, or -1 for a layout this
// shim does not produce (which the transformations below rule out).
static int request_layout(png_structp png, png_infop info, zoo_png_layout *layout) {
    png_uint_32 width, height;
    int depth, color, interlace;
    png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
    layout->stored_row_bytes = png_get_rowbytes(png, info);
    int wholeGray16 = color == PNG_COLOR_TYPE_GRAY && depth == 16;
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if ((color & PNG_COLOR_MASK_ALPHA) || color == PNG_COLOR_TYPE_PALETTE) png_set_strip_alpha(png);
    if (depth == 16 && !wholeGray16) png_set_strip_16(png);
    if (wholeGray16) {
        uint16_t probe = 1;
        if (*(uint8_t *)&probe == 1) png_set_swap(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    layout->width = width;
    layout->height = height;
    layout->channels = png_get_channels(png, info);
    layout->bytes_per_sample = wholeGray16 ? 2 : 1;
    if ((layout->channels != 1 && layout->channels != 3) || png_get_bit_depth(png, info) != 8 * layout->bytes_per_sample
        || png_get_rowbytes(png, info) != (size_t)width * layout->channels * layout->bytes_per_sample) {
        snprintf(layout->message, sizeof layout->message, "unexpected decoded layout (%d channels, %d bits)",
                 layout->channels, png_get_bit_depth(png, info));
        return -1;
    }
    return 0;
}

static int decode(const uint8_t *data, size_t size, uint8_t *pixels, size_t capacity, zoo_png_layout *layout) {
    memset(layout, 0, sizeof *layout);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        snprintf(layout->message, sizeof layout->message, "not a PNG file (no PNG signature)");
        return -1;
    }
    memory_source source = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, layout, record_error, ignore_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(layout->message, sizeof layout->message, "out of memory");
        return -1;
    }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &source, read_from_memory);
    png_read_info(png, info);
    int status = request_layout(png, info, layout);
    if (status == 0 && pixels) {
        size_t rowBytes = (size_t)layout->width * layout->channels * layout->bytes_per_sample;
        if (layout->height == 0 || rowBytes > capacity / layout->height) {
            snprintf(layout->message, sizeof layout->message, "the pixel buffer is too small");
            status = -1;
        } else {
            rows = malloc(sizeof(png_bytep) * layout->height);
            if (!rows) png_error(png, "out of memory");
            for (uint32_t row = 0; row < layout->height; row++) rows[row] = pixels + row * rowBytes;
            png_read_image(png, rows);
        }
    }
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return status;
}

int zoo_png_read_layout(const uint8_t *data, size_t size, zoo_png_layout *layout) {
    return decode(data, size, NULL, 0, layout);
}

int zoo_png_decode(const uint8_t *data, size_t size, uint8_t *pixels, size_t capacity, zoo_png_layout *layout) {
    return decode(data, size, pixels, capacity, layout);
}
