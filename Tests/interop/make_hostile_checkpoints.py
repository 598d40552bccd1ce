"""Writes hostile torch.save-style checkpoints into OUT_DIR, each of which a safe reader must
refuse without running anything or writing any output, plus control.pth, made by the same
writer and valid, so the tests know a refusal is for the reason planted:

    make_hostile_checkpoints.py OUT_DIR

Pure Python (pickle opcodes written by hand, zipfile), so it runs from .venv without torch.
The opcodes and layout are those torch.save writes: protocol 2, a dict of
torch._utils._rebuild_tensor_v2 calls whose storages are persistent ids
("storage", torch.FloatStorage, key, "cpu", element count), in `archive/data/<key>`.
MARKER names a file the os.system payload would create if it ever ran.
"""
import os
import struct
import sys
import warnings
import zipfile

warnings.filterwarnings("ignore", "Duplicate name")   # duplicate_entries.pth is meant to have one


def string(text):
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def integer(value):
    if -2**31 <= value < 2**31:
        return b"J" + struct.pack("<i", value)
    width = 8 if -2**63 <= value < 2**63 else 16   # LONG1, two's complement
    return b"\x8a" + bytes([width]) + value.to_bytes(width, "little", signed=True)


def global_(module, name):
    return b"c" + f"{module}\n{name}\n".encode()


def tuple_(*items):
    return b"(" + b"".join(items) + b"t"


def tensor(key, count, size, stride, offset=0, storage="FloatStorage", dtype=None):
    """_rebuild_tensor_v2 of a typed storage, or with `dtype` _rebuild_tensor_v3 of an untyped one."""
    storage_type = global_("torch", storage) if dtype is None else global_("torch.storage", "UntypedStorage")
    storage_id = tuple_(string("storage"), storage_type, string(key), string("cpu"), integer(count)) + b"Q"
    hooks = global_("collections", "OrderedDict") + b")R"
    arguments = [storage_id, integer(offset), tuple_(*map(integer, size)), tuple_(*map(integer, stride)), b"\x89", hooks]
    if dtype is None:
        return global_("torch._utils", "_rebuild_tensor_v2") + tuple_(*arguments) + b"R"
    return global_("torch._utils", "_rebuild_tensor_v3") + tuple_(*arguments, global_("torch", dtype)) + b"R"


def state_dict(*pairs):
    return b"\x80\x02}(" + b"".join(string(name) + value for name, value in pairs) + b"u."


def archive(path, pickle, storages, stored=True, extra_entries=()):
    """torch.save's entries; with stored=False the storages are deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        out.writestr("archive/data.pkl", pickle)
        out.writestr("archive/byteorder", b"little")
        for key, data in storages.items():
            out.writestr(f"archive/data/{key}", data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        out.writestr("archive/version", b"3\n")
        for name, data in extra_entries:
            out.writestr(name, data)


def main(out, marker):
    weights = struct.pack("<6f", *range(6))
    archive(f"{out}/control.pth", state_dict(("weight", tensor("0", 6, [2, 3], [3, 1]))), {"0": weights})

    half = struct.pack("<4e", 0, 1, 2, 3)
    archive(f"{out}/control_v3.pth", state_dict(("weight", tensor("0", 8, [2, 2], [2, 1], dtype="float16"))), {"0": half})

    command = tuple_(string(f"touch {marker}"))
    archive(f"{out}/os_system.pth", state_dict(("weight", global_("os", "system") + command + b"R")), {})
    archive(f"{out}/builtin_eval.pth",
            state_dict(("weight", global_("__builtin__", "eval") + tuple_(string(f"open('{marker}', 'w')")) + b"R")), {})
    stack_global = string("builtins") + string("eval") + b"\x93"
    archive(f"{out}/builtins_eval.pth",
            state_dict(("weight", stack_global + tuple_(string(f"open('{marker}', 'w')")) + b"R")), {})
    archive(f"{out}/unexpected_module.pth",
            state_dict(("weight", global_("torch.nn.modules.linear", "Linear") + b")R")), {})
    archive(f"{out}/storage_too_large.pth", state_dict(("weight", tensor("0", 1_000_000, [1000, 1000], [1000, 1]))),
            {"0": weights})
    archive(f"{out}/view_past_storage.pth", state_dict(("weight", tensor("0", 6, [2, 3], [3, 1], offset=1))), {"0": weights})
    archive(f"{out}/negative_stride.pth", state_dict(("weight", tensor("0", 6, [2, 3], [-3, 1], offset=5))), {"0": weights})
    archive(f"{out}/overflowing_stride.pth", state_dict(("weight", tensor("0", 6, [4, 3], [2**62, 1]))), {"0": weights})
    archive(f"{out}/huge_integer.pth", state_dict(("weight", tensor("0", 6, [2, 3], [2**64, 1]))), {"0": weights})
    archive(f"{out}/broadcast.pth", state_dict(("weight", tensor("0", 6, [1 << 30, 6], [0, 1]))), {"0": weights})
    archive(f"{out}/self_reference.pth", b"\x80\x02]q\x00h\x00a.", {})
    archive(f"{out}/changed_after_nesting.pth", b"\x80\x02]q\x00]h\x00a0K\x01a.", {})
    archive(f"{out}/too_many_opcodes.pth", b"\x80\x02" + b"N0" * 4_000_001 + b"N.", {})
    archive(f"{out}/deep_nesting.pth", b"\x80\x02" + b"]" * 10_000 + b"a" * 9_999 + b".", {})
    archive(f"{out}/duplicate_keys.pth",
            state_dict(("weight", tensor("0", 6, [2, 3], [3, 1])), ("weight", tensor("0", 6, [2, 3], [3, 1]))), {"0": weights})
    archive(f"{out}/duplicate_entries.pth", state_dict(("weight", tensor("0", 6, [2, 3], [3, 1]))), {"0": weights},
            extra_entries=[("archive/data/0", weights)])

    # A zip bomb: 64 MiB of zeros deflate to about 64 KiB; the entry says so honestly here,
    # and a second file declares an inflated size of 4 GiB - 1 for a 16-byte entry.
    archive(f"{out}/zip_bomb.pth", state_dict(("weight", tensor("0", 16 << 20, [16 << 20], [1]))),
            {"0": bytes(64 << 20)}, stored=False)
    archive(f"{out}/absurd_size.pth", state_dict(("weight", tensor("0", 4, [4], [1]))), {"0": bytes(16)})
    with open(f"{out}/absurd_size.pth", "r+b") as file:
        contents = bytearray(file.read())
        name = b"archive/data/0"
        for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            position = 0
            while (position := contents.find(signature, position)) >= 0:
                name_offset = position + (30 if signature == b"PK\x03\x04" else 46)
                if contents[name_offset:name_offset + len(name)] == name:
                    contents[position + size_offset:position + size_offset + 4] = struct.pack("<I", 0xFFFFFFFE)
                    contents[position + size_offset - 4:position + size_offset] = struct.pack("<I", 0xFFFFFFFE)
                position += 4
        file.seek(0)
        file.write(contents)

    with open(f"{out}/control.pth", "rb") as file:
        whole = file.read()
    with open(f"{out}/truncated.pth", "wb") as file:
        file.write(whole[:len(whole) // 2])
    with open(f"{out}/legacy.pth", "wb") as file:
        file.write(b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.")   # the magic number the old format starts with


if __name__ == "__main__":
    main(sys.argv[1], os.path.join(sys.argv[1], "MARKER"))
