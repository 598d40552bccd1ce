"""Writes the images ZooImage's decoder is tested on against Pillow: scikit-learn's two sample
photos (china.jpg, flower.jpg, copied from the installed package), JPEGs with every EXIF
orientation (little- and big-endian), grayscale and CMYK JPEGs (written by Pillow), a YCCK JPEG (by libjpeg-turbo), and PNGs of every colour type
and bit depth, palettes with transparency and Adam7-interlaced files (written by the small
PNG encoder below, since Pillow writes neither 16-bit colour nor interlaced PNGs). Pillow
then reads every one as the reference (pil_image_reference.py).

Also writes hostile files into OUT_DIR/hostile, which must be refused with a clear error or
(damaged metadata only) decoded as if the metadata were absent: huge.png and huge.jpg declare
100000x100000 and 65000x65000 pixels in under 1 KB, forged.png 10000x10000 RGB pixels (within
the pixel limit, beyond what its bytes can inflate to), truncated.jpg (china.jpg) and
truncated.png stop half way,
corrupt.jpg has its entropy-coded data overwritten, bad-exif.jpg has an IFD offset past the
end of its Exif segment, empty.png is empty and text.png is not an image.

usage: .venv/bin/python Tests/interop/make_image_fixtures.py OUT_DIR   (prints the file names)
"""
import ctypes
import ctypes.util
import os
import shutil
import struct
import sys
import zlib

import numpy as np
import sklearn.datasets
from PIL import Image

WIDTH, HEIGHT = 29, 18  # odd and unequal, so a wrong flip, transpose or subsampling shows
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def picture(channels=3, maximum=255, seed=0):
    """Smooth gradients plus noise: every row and column differs, as JPEG likes."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    noise = np.random.default_rng(seed).integers(0, maximum // 8 + 1, size=(HEIGHT, WIDTH, channels))
    planes = [(x * (c + 3) + y * (7 - 2 * c)) % (WIDTH + HEIGHT) for c in range(channels)]
    values = np.stack(planes, axis=-1) * maximum // (WIDTH + HEIGHT) + noise
    return np.clip(values, 0, maximum)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_rows(samples, depth):
    """Rows of samples [h, w * channels] as PNG scanlines (filter 0) of `depth` bits each."""
    rows = []
    for row in samples:
        if depth == 16:
            data = row.astype(">u2").tobytes()
        elif depth == 8:
            data = row.astype(np.uint8).tobytes()
        else:
            bits = np.unpackbits(row.astype(np.uint8)[:, None], axis=1)[:, 8 - depth:].reshape(-1)
            data = np.packbits(bits).tobytes()
        rows.append(b"\0" + data)
    return b"".join(rows)


def write_png(path, samples, depth, color_type, interlaced=False, palette=None, transparency=None):
    """samples: [h, w, channels] integer array (palette indices for color_type 3)."""
    height, width, channels = samples.shape
    if interlaced:
        data = b"".join(pack_rows(samples[y0::dy, x0::dx].reshape(-1, len(range(x0, width, dx)) * channels), depth)
                        for x0, y0, dx, dy in ADAM7 if x0 < width and y0 < height)
    else:
        data = pack_rows(samples.reshape(height, width * channels), depth)
    chunks = [png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, int(interlaced)))]
    if palette is not None:
        chunks.append(png_chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1))))
    if transparency is not None:
        chunks.append(png_chunk(b"tRNS", transparency))
    chunks += [png_chunk(b"IDAT", zlib.compress(data, 9)), png_chunk(b"IEND", b"")]
    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n" + b"".join(chunks))


def write_ycck_jpeg(path, cmyk):
    """A YCCK JPEG (Adobe marker, transform 2), which Pillow cannot write: libjpeg-turbo's
    TurboJPEG compresses CMYK pixels to YCCK (the library ZooImage decodes with, from apt)."""
    turbojpeg = ctypes.CDLL(ctypes.util.find_library("turbojpeg") or "libturbojpeg.so.0")
    turbojpeg.tjInitCompress.restype = ctypes.c_void_p
    handle = ctypes.c_void_p(turbojpeg.tjInitCompress())
    pixels = np.ascontiguousarray(cmyk, dtype=np.uint8)
    output, size = ctypes.POINTER(ctypes.c_ubyte)(), ctypes.c_ulong(0)
    TJPF_CMYK, TJSAMP_420 = 11, 2
    status = turbojpeg.tjCompress2(handle, pixels.ctypes.data_as(ctypes.c_void_p), WIDTH, 0, HEIGHT, TJPF_CMYK,
                                   ctypes.byref(output), ctypes.byref(size), TJSAMP_420, 90, 0)
    assert status == 0, "tjCompress2 failed"
    with open(path, "wb") as file:
        file.write(ctypes.string_at(output, size.value))
    turbojpeg.tjFree(output)
    turbojpeg.tjDestroy(handle)


def write_jpegs(out):
    names = []
    rgb = Image.fromarray(picture().astype(np.uint8), "RGB")
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"orientation-{orientation}.jpg"
        rgb.save(os.path.join(out, name), quality=90, exif=exif.tobytes())
        names.append(name)
    # Pillow writes little-endian EXIF; cameras also write big-endian ("MM") TIFF headers.
    rgb.save(os.path.join(out, "plain.jpg"), quality=90)
    with open(os.path.join(out, "plain.jpg"), "rb") as file:
        plain = file.read()
    os.remove(os.path.join(out, "plain.jpg"))
    tiff = b"MM\0*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
    app1 = b"Exif\0\0" + tiff
    with open(os.path.join(out, "orientation-6-big-endian.jpg"), "wb") as file:
        file.write(plain[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + plain[2:])
    names.append("orientation-6-big-endian.jpg")
    rgb.save(os.path.join(out, "subsampling-444.jpg"), quality=95, subsampling=0)
    rgb.save(os.path.join(out, "progressive.jpg"), quality=80, progressive=True)
    Image.fromarray(picture(1)[:, :, 0].astype(np.uint8), "L").save(os.path.join(out, "grayscale.jpg"), quality=90)
    cmyk = Image.fromarray(picture(4, seed=1).astype(np.uint8), "CMYK")
    cmyk.save(os.path.join(out, "cmyk.jpg"), quality=90)
    write_ycck_jpeg(os.path.join(out, "ycck.jpg"), picture(4, seed=7))
    return names + ["subsampling-444.jpg", "progressive.jpg", "grayscale.jpg", "cmyk.jpg", "ycck.jpg"]


def write_pngs(out):
    written = []

    def png(name, *arguments, **keywords):
        write_png(os.path.join(out, name), *arguments, **keywords)
        written.append(name)

    for depth in (1, 2, 4, 8, 16):
        png(f"gray-{depth}.png", picture(1, 2 ** depth - 1), depth, 0)
    # 16-bit grayscale whose values span 0..65535: Pillow's I;16 → L clips above 255.
    png("gray-16-low.png", picture(1, 400, seed=2), 16, 0)
    png("gray-8-trns.png", picture(1), 8, 0, transparency=struct.pack(">H", 77))
    png("gray-alpha-8.png", picture(2), 8, 4)
    png("gray-alpha-16.png", picture(2, 65535), 16, 4)
    png("rgb-8.png", picture(3), 8, 2)
    png("rgb-16.png", picture(3, 65535), 16, 2)
    png("rgba-8.png", picture(4), 8, 6)
    png("rgba-16.png", picture(4, 65535), 16, 6)
    palette = np.random.default_rng(3).integers(0, 256, size=(16, 3))
    for depth in (1, 2, 4, 8):
        png(f"palette-{depth}.png", picture(1, 2 ** min(depth, 4) - 1, seed=4), depth, 3, palette=palette[: 2 ** min(depth, 4)])
    png("palette-trns.png", picture(1, 15, seed=5), 8, 3, palette=palette, transparency=bytes(range(0, 160, 10)))
    png("rgb-8-interlaced.png", picture(3), 8, 2, interlaced=True)
    png("rgba-16-interlaced.png", picture(4, 65535), 16, 6, interlaced=True)
    png("palette-4-interlaced.png", picture(1, 15, seed=6), 4, 3, interlaced=True, palette=palette)
    return written


def write_hostile(out, sample_jpeg, photo, sample_png):
    hostile = os.path.join(out, "hostile")
    os.makedirs(hostile, exist_ok=True)
    write_png(os.path.join(hostile, "huge.png"), np.zeros((1, 1, 1)), 8, 0)
    with open(os.path.join(hostile, "huge.png"), "rb") as file:
        data = bytearray(file.read())
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    data[8:33] = png_chunk(b"IHDR", ihdr)
    files = {"huge.png": bytes(data)}
    data[8:33] = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 10000, 10000, 8, 2, 0, 0, 0))
    files["forged.png"] = bytes(data)
    with open(sample_jpeg, "rb") as file:
        jpeg = bytearray(file.read())
    sof = jpeg.index(b"\xff\xc0")
    huge = bytearray(jpeg[:1000])
    huge[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    files["huge.jpg"] = bytes(huge)
    with open(photo, "rb") as file:
        whole_photo = file.read()
    files["truncated.jpg"] = whole_photo[: len(whole_photo) // 2]
    scan = jpeg.index(b"\xff\xda")
    corrupt = bytearray(jpeg)
    corrupt[scan + 40:-2] = bytes((index * 37) % 251 for index in range(len(jpeg) - 2 - scan - 40))
    files["corrupt.jpg"] = bytes(corrupt)
    exif_at = jpeg.index(b"Exif\0\0")
    bad_exif = bytearray(jpeg)
    bad_exif[exif_at + 10:exif_at + 14] = struct.pack("<I", 0x7FFFFFF0)  # IFD0 offset far past the end
    files["bad-exif.jpg"] = bytes(bad_exif)
    with open(sample_png, "rb") as file:
        png = file.read()
    files["truncated.png"] = png[: len(png) // 2]
    files["empty.png"] = b""
    files["text.png"] = b"not an image at all\n"
    for name, data in files.items():
        with open(os.path.join(hostile, name), "wb") as file:
            file.write(data)


def copy_sample_photos(out):
    names = ["china.jpg", "flower.jpg"]
    for name in names:
        shutil.copy(os.path.join(os.path.dirname(sklearn.datasets.__file__), "images", name), out)
    return names


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    names = copy_sample_photos(out) + write_jpegs(out) + write_pngs(out)
    write_hostile(out, os.path.join(out, "orientation-6.jpg"), os.path.join(out, "china.jpg"), os.path.join(out, "rgb-8.png"))
    print("\n".join(names))


if __name__ == "__main__":
    main()
