#!/usr/bin/env python3
"""The layer rule of DESIGN §1, checked on every #include.

    core <- db <- store <- api <- server ;  importer uses core + db only.

A file may include headers of its own layer and of the layers below it, never
above: `store/` including `api/...` or `importer/` including `store/...` fails
this test with `file:line: includes "x" (layer L may use only ...)`.
src/main.cc is the one place that wires server and importer together.

    check_layers.py ROOT        check the tree (exit 1 on a wrong arrow)
    check_layers.py --self-test show that a wrong include is caught
"""
import pathlib
import re
import sys
import tempfile

import source_check

# layer -> the layers its files may include
ALLOWED = {
    "core": {"core"},
    "db": {"core", "db"},
    "store": {"core", "db", "store"},
    "api": {"core", "db", "store", "api"},
    "server": {"core", "db", "store", "api", "server"},
    "importer": {"core", "db", "importer"},
}
# where each layer's files live, relative to the root
HOMES = {
    "core": "src/core", "db": "src/db", "store": "src/store",
    "api": "src/api", "server": "src/server", "importer": "importer",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCE_SUFFIXES = {".h", ".cc", ".in"}


def layer_of_include(target):
    """The layer a quoted include names ("store/search.h" -> store)."""
    first = target.split("/", 1)[0]
    if first == "importer":
        return "importer"
    return first if first in ALLOWED else None


def check(root):
    root = pathlib.Path(root)
    problems, files = [], 0
    for layer, home in HOMES.items():
        for path in sorted((root / home).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            files += 1
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                target_layer = layer_of_include(match.group(1))
                if target_layer and target_layer not in ALLOWED[layer]:
                    uses = ", ".join(sorted(ALLOWED[layer]))
                    problems.append(
                        f"{path.relative_to(root)}:{number}: includes \"{match.group(1)}\" "
                        f"(layer {layer} may use only {uses})")
    return files, problems


def self_test():
    """A tree with one wrong arrow must fail, and the same tree without it pass."""
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for home in HOMES.values():
            (root / home).mkdir(parents=True, exist_ok=True)
        (root / "src/store/search.cc").write_text('#include "store/search.h"\n#include "db/database.h"\n')
        (root / "importer/load.cc").write_text('#include "core/csv.h"\n')
        _, clean = check(root)
        (root / "importer/load.cc").write_text('#include "core/csv.h"\n#include "store/search.h"\n')
        _, wrong = check(root)
    expected = ['importer/load.cc:2: includes "store/search.h" (layer importer may use only core, db, importer)']
    if clean or wrong != expected:
        print(f"self-test failed: clean tree gave {clean}, wrong tree gave {wrong}")
        return 1
    print("self-test: a wrong include is reported as", wrong[0])
    return 0


def main(argv):
    return source_check.main(argv, check, self_test, __doc__, "wrong-layer includes")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
