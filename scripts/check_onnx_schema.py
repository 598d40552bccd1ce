#!/usr/bin/env python3
"""Checks that Schemas/onnx.proto is wire-compatible with the installed onnx package.

Compiles our schema to a FileDescriptorSet with protoc-c (--descriptor_set_out) and
compares it with onnx.onnx_ml_pb2.DESCRIPTOR: every message and enum (nested ones
included) must exist in ours with the same fields (name, number, type, type name,
label, packed option, oneof membership, default) and the same enum values. Reserved
numbers and names are compared too. Anything extra in ours is also reported.

Run with the project venv:  .venv/bin/python scripts/check_onnx_schema.py
"""

import os
import shutil
import subprocess
import sys
import tempfile

import onnx
import onnx.onnx_ml_pb2
from google.protobuf import descriptor_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = os.path.join(ROOT, "Schemas")
SCHEMA = "onnx.proto"

FDP = descriptor_pb2.FieldDescriptorProto
TYPE_NAMES = {v: k for k, v in FDP.Type.items()}
LABEL_NAMES = {v: k for k, v in FDP.Label.items()}


def load_ours():
    protoc = shutil.which("protoc-c")
    if protoc is None:
        sys.exit("check_onnx_schema: protoc-c not found (apt-get install protobuf-c-compiler)")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "onnx.desc")
        subprocess.run(
            [protoc, "--proto_path=" + SCHEMA_DIR, "--descriptor_set_out=" + out,
             os.path.join(SCHEMA_DIR, SCHEMA)],
            check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    if len(fds.file) != 1:
        sys.exit("check_onnx_schema: expected one file in the descriptor set, got %d" % len(fds.file))
    return fds.file[0]


def load_onnx():
    fdp = descriptor_pb2.FileDescriptorProto()
    onnx.onnx_ml_pb2.DESCRIPTOR.CopyToProto(fdp)
    return fdp


def collect(fdp):
    """Maps fully qualified names to message / enum descriptor protos."""
    messages, enums = {}, {}
    prefix = "." + fdp.package if fdp.package else ""

    def walk(msg, scope):
        name = scope + "." + msg.name
        messages[name] = msg
        for e in msg.enum_type:
            enums[name + "." + e.name] = e
        for nested in msg.nested_type:
            walk(nested, name)

    for e in fdp.enum_type:
        enums[prefix + "." + e.name] = e
    for m in fdp.message_type:
        walk(m, prefix)
    return messages, enums


def field_signature(msg, f):
    oneof = msg.oneof_decl[f.oneof_index].name if f.HasField("oneof_index") else None
    return {
        "number": f.number,
        "type": TYPE_NAMES[f.type],
        "type_name": f.type_name or None,
        "label": LABEL_NAMES[f.label],
        "packed": f.options.packed if f.options.HasField("packed") else None,
        "oneof": oneof,
        "default": f.default_value if f.HasField("default_value") else None,
    }


def reserved(msg_or_enum):
    return (sorted((r.start, r.end) for r in msg_or_enum.reserved_range),
            sorted(msg_or_enum.reserved_name))


def compare(theirs, ours):
    diffs = []
    their_msgs, their_enums = collect(theirs)
    our_msgs, our_enums = collect(ours)

    if ours.package != theirs.package:
        diffs.append("package: ours %r, onnx %r" % (ours.package, theirs.package))
    our_syntax = ours.syntax or "proto2"
    their_syntax = theirs.syntax or "proto2"
    if our_syntax != their_syntax:
        diffs.append("syntax: ours %r, onnx %r" % (our_syntax, their_syntax))

    n_fields = 0
    for name, tm in their_msgs.items():
        om = our_msgs.get(name)
        if om is None:
            diffs.append("message %s: missing" % name)
            continue
        our_fields = {f.name: f for f in om.field}
        for tf in tm.field:
            n_fields += 1
            of = our_fields.pop(tf.name, None)
            if of is None:
                diffs.append("field %s.%s (= %d): missing" % (name, tf.name, tf.number))
                continue
            ts, os_ = field_signature(tm, tf), field_signature(om, of)
            for key in ts:
                if ts[key] != os_[key]:
                    diffs.append("field %s.%s: %s is %r in ours, %r in onnx"
                                 % (name, tf.name, key, os_[key], ts[key]))
        for extra in our_fields.values():
            diffs.append("field %s.%s (= %d): not in onnx" % (name, extra.name, extra.number))
        if reserved(tm) != reserved(om):
            diffs.append("message %s: reserved %r in ours, %r in onnx" % (name, reserved(om), reserved(tm)))
    for name in our_msgs.keys() - their_msgs.keys():
        diffs.append("message %s: not in onnx" % name)

    for name, te in their_enums.items():
        oe = our_enums.get(name)
        if oe is None:
            diffs.append("enum %s: missing" % name)
            continue
        tv = {v.name: v.number for v in te.value}
        ov = {v.name: v.number for v in oe.value}
        for vname, number in tv.items():
            if vname not in ov:
                diffs.append("enum value %s.%s (= %d): missing" % (name, vname, number))
            elif ov[vname] != number:
                diffs.append("enum value %s.%s: %d in ours, %d in onnx" % (name, vname, ov[vname], number))
        for vname in ov.keys() - tv.keys():
            diffs.append("enum value %s.%s (= %d): not in onnx" % (name, vname, ov[vname]))
        if [v.name for v in te.value] != [v.name for v in oe.value] and set(tv) == set(ov):
            diffs.append("enum %s: values declared in a different order" % name)
        if reserved(te) != reserved(oe):
            diffs.append("enum %s: reserved %r in ours, %r in onnx" % (name, reserved(oe), reserved(te)))
    for name in our_enums.keys() - their_enums.keys():
        diffs.append("enum %s: not in onnx" % name)

    return diffs, len(their_msgs), n_fields, len(their_enums)


def main():
    diffs, n_msgs, n_fields, n_enums = compare(load_onnx(), load_ours())
    if diffs:
        print("%s differs from onnx %s (onnx-ml) in %d place(s):" % (SCHEMA, onnx.__version__, len(diffs)))
        for d in sorted(diffs):
            print("  " + d)
        return 1
    print("%s matches onnx %s: %d messages, %d fields, %d enums"
          % (SCHEMA, onnx.__version__, n_msgs, n_fields, n_enums))
    return 0


if __name__ == "__main__":
    sys.exit(main())
