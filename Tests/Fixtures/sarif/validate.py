#!/usr/bin/env python3
"""Validate a JSON document (e.g. a SARIF log) against a JSON schema, offline.

Usage:
    python3 validate.py [--formats] SCHEMA FILE

Exit status:
    0  FILE is valid against SCHEMA ("valid" is printed)
    1  FILE is invalid; each error is printed as "PATH: message", where PATH is
       the JSON path of the offending value in FILE (e.g. $.runs[0].results[0].level)
    2  usage error, unreadable/unparsable SCHEMA or FILE, an invalid SCHEMA, a
       SCHEMA that needs a remote $ref, or the jsonschema package is missing

The validator class is chosen from the schema's own "$schema" (draft-04 for the
OASIS SARIF 2.1.0 schema). No network access is ever made: any $ref that is not
inside SCHEMA itself is reported as an error (exit 2) instead of being fetched.

"format" keywords (uri, date-time, ...) are annotations only by default, so the
result does not depend on which optional format-checking packages are installed.
--formats turns on jsonschema's format checker for the formats it can check here.
"""

import json
import sys

USAGE = "usage: python3 validate.py [--formats] SCHEMA FILE"


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def load_json(path, what):
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        fail(f"error: cannot read {what} {path}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        fail(f"error: {what} {path} is not UTF-8: {error}")
    except json.JSONDecodeError as error:
        fail(f"error: {what} {path} is not valid JSON: {error}")


def main(argv):
    args = list(argv)
    check_formats = False
    if "--formats" in args:
        args.remove("--formats")
        check_formats = True
    if len(args) != 2 or any(a.startswith("-") for a in args):
        fail(USAGE)
    schema_path, file_path = args

    try:
        import jsonschema
        from jsonschema import validators
    except ImportError:
        fail("error: the Python package 'jsonschema' is not installed")

    schema = load_json(schema_path, "schema")
    instance = load_json(file_path, "file")

    validator_class = validators.validator_for(schema, default=None)
    if validator_class is None:
        fail(f"error: schema {schema_path} has an unknown or missing \"$schema\": "
             f"{schema.get('$schema') if isinstance(schema, dict) else schema!r}")
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        fail(f"error: schema {schema_path} is not a valid schema: {error.message}")

    kwargs = {}
    try:
        # jsonschema >= 4.18: an explicit registry whose retrieve never touches
        # the network; the schema's own "$id"/"id" still resolves internal refs.
        import referencing
        import referencing.exceptions

        def no_remote(uri):
            raise referencing.exceptions.NoSuchResource(ref=uri)

        kwargs["registry"] = referencing.Registry(retrieve=no_remote)
    except ImportError:
        # Older jsonschema: a RefResolver with no remote handlers.
        kwargs["resolver"] = jsonschema.RefResolver.from_schema(
            schema, handlers={"http": None, "https": None})
    if check_formats:
        kwargs["format_checker"] = validator_class.FORMAT_CHECKER

    validator = validator_class(schema, **kwargs)
    try:
        errors = sorted(validator.iter_errors(instance),
                        key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Exception as error:  # a $ref that could not be resolved locally
        if type(error).__name__ in ("Unresolvable", "RefResolutionError",
                                    "_WrappedReferencingError", "NoSuchResource"):
            fail(f"error: schema {schema_path} needs a $ref that is not inside it "
                 f"(no network access is made): {error}")
        raise

    if not errors:
        print("valid")
        return 0
    for error in errors:
        print(f"{error.json_path}: {error.message}")
        # anyOf/oneOf failures: show why the closest alternative failed.
        if error.context:
            best = jsonschema.exceptions.best_match(error.context)
            if best is not None:
                print(f"    {best.json_path}: {best.message}")
    print(f"{len(errors)} error(s) in {file_path}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
