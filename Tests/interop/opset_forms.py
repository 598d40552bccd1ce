"""Prints, from the onnx package's operator schemas, each operator's form at every opset it
exists at: its attributes and how many inputs it takes (min, max; -1 for no limit).

usage: opset_forms.py MAX_OPSET OP ...
"""
import json
import sys

import onnx.defs
from onnx.defs import OpSchema

max_opset = int(sys.argv[1])
forms = {}
for op in sys.argv[2:]:
    forms[op] = {}
    for opset in range(1, max_opset + 1):
        try:
            schema = onnx.defs.get_schema(op, max_inclusive_version=opset, domain="")
        except onnx.defs.SchemaError:
            continue
        options = [formal.option for formal in schema.inputs]
        variadic = OpSchema.FormalParameterOption.Variadic in options
        forms[op][opset] = {
            "attributes": sorted(schema.attributes),
            "inputs": [sum(option == OpSchema.FormalParameterOption.Single for option in options) + variadic,
                       -1 if variadic else len(options)],
        }
print(json.dumps(forms))
