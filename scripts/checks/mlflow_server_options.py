"""Compares the `mlflow server` options mlc accepts (the `server.value_options` fields and
the `server.flag_options` values of `mlc doc`, generated from stdlib/mlflow/options.mlc)
with the options of the real `mlflow server` command.

Usage: mlflow_server_options.py MLC_DOC_MARKDOWN VERSION
Run with the Python of a virtualenv where MLflow VERSION is installed. Options mlc marks
"Added in MLflow X" (X newer than VERSION) must not exist in VERSION; every other option
must match one of VERSION's, with a compatible type, and VERSION must have no other.
"""
import re
import sys

import mlflow.cli


def mlc_options(markdown):
    values, flags = {}, set()
    for line in markdown.splitlines():
        # Cells are separated by `|`; a `\|` inside a cell (a union type) is not a separator.
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) < 4:
            continue
        key = cells[0].strip("`*")
        if key.startswith("server.value_options."):
            added = re.search(r"Added in MLflow ([0-9]+(?:\.[0-9]+)*)", cells[-1])
            values[key.split(".", 2)[2]] = (cells[1].strip("`"), added.group(1) if added else None)
        elif key == "server.flag_options":
            flags = set(re.findall(r'"([a-z_]+)"', cells[1]))
    return values, flags


def real_options():
    command = mlflow.cli.cli.commands["server"]
    values, flags = {}, set()
    for param in command.params:
        if getattr(param, "is_flag", False):
            for opt in list(param.opts) + list(param.secondary_opts):
                if opt.startswith("--"):
                    flags.add(opt[2:].replace("-", "_"))
        else:
            values[param.name] = param.type.name
    return values, flags


def compatible(mlc_type, click_type):
    integer = mlc_type.startswith("Int") or mlc_type.startswith("Port")
    if click_type.startswith("integer"):
        return integer
    # Text options take any rendering; mlc may narrow them (workers :: Int(1..)).
    return True


def version_key(text):
    return tuple(int(part) for part in text.split("."))


def main():
    markdown = open(sys.argv[1], encoding="utf-8").read()
    version = sys.argv[2]
    mlc_values, mlc_flags = mlc_options(markdown)
    real_values, real_flags = real_options()
    problems = []
    if not mlc_values or not mlc_flags:
        problems.append("no server.value_options / server.flag_options rows in `mlc doc`")
    for key, (mlc_type, added) in sorted(mlc_values.items()):
        if added and version_key(added) > version_key(version):
            if key in real_values:
                problems.append(f"{key} is marked 'Added in MLflow {added}' but MLflow {version} has it")
            continue
        if key not in real_values:
            problems.append(f"mlc accepts server.value_options.{key}, which `mlflow server` {version} does not have")
        elif not compatible(mlc_type, real_values[key]):
            problems.append(f"server.value_options.{key}: mlc types it `{mlc_type}`, MLflow takes {real_values[key]}")
    for key in sorted(set(real_values) - set(mlc_values)):
        problems.append(f"`mlflow server --{key.replace('_', '-')}` ({real_values[key]}) is missing from server.value_options")
    for flag in sorted(mlc_flags - real_flags):
        problems.append(f"mlc accepts the flag {flag}, which `mlflow server` {version} does not have")
    for flag in sorted(real_flags - mlc_flags):
        problems.append(f"the flag --{flag.replace('_', '-')} of `mlflow server` is missing from server.flag_options")
    if problems:
        print(f"mlc's `mlflow server` options differ from MLflow {version}:")
        for problem in problems:
            print(f"  {problem}")
        sys.exit(1)
    print(f"mlflow server options: mlc's {len(mlc_values)} value options and {len(mlc_flags)} flags match MLflow {version}")


if __name__ == "__main__":
    main()
