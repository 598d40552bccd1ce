"""Validates zoo manifests against Schemas/zoo-manifest.schema.json with the jsonschema
package (draft 2020-12), after checking that the schema itself is valid.

usage: validate_manifests.py SCHEMA MANIFEST...
prints {"<manifest>": ["<error>", ...], ...}: an empty list for each valid manifest
"""
import json
import sys

from jsonschema import Draft202012Validator


def main():
    with open(sys.argv[1]) as file:
        schema = json.load(file)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    report = {}
    for path in sys.argv[2:]:
        with open(path) as file:
            manifest = json.load(file)
        report[path] = [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                        for error in sorted(validator.iter_errors(manifest), key=lambda error: list(map(str, error.path)))]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
