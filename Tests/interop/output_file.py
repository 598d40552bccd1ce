"""The file `zoo run --output DIR` writes an output to (Sources/ZooCLI/OutputFileName.swift):
DIR/<name>.npy, each UTF-8 byte outside A-Z a-z 0-9 . _ - and a leading '.' as %XX, the
empty name as '%'."""
import os

KEPT = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


def output_file(directory, name):
    if not name:
        return os.path.join(directory, "%.npy")
    escaped = "".join(chr(byte) if byte in KEPT and not (index == 0 and byte == ord(".")) else f"%{byte:02X}"
                      for index, byte in enumerate(name.encode()))
    return os.path.join(directory, escaped + ".npy")
