#!/usr/bin/env python3
"""The importer's own arrows (issue 14), checked on every #include and on the
import_run SQL, as check_layers.py checks the layers between libraries:

  - the loader (importer/load/) is below the pipeline: it never includes the
    headers of the import above it (import.h, import_run.h, cli.h,
    report.h, publish.h);
  - the loader's private headers (everything in importer/load/ but load.h
    and load_result.h) are included only by importer/load/ itself (and
    bench/import_floor.cc, which loads the same full text; and tests);
  - cli.cc parses arguments and prints: it opens no database and builds no
    new file (the lifecycle is import.h's ImportInto), so it includes
    neither db/ nor importer/new_database.h;
  - the import_run table's SQL is in importer/import_run.cc only.

    check_importer_layout.py ROOT        check the tree (exit 1 on a problem)
    check_importer_layout.py --self-test show that each rule catches a break
"""
import pathlib
import re
import sys
import tempfile

import source_check

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
# SQL naming the table: a string literal with a statement on import_run.
IMPORT_RUN_SQL = re.compile(r'"[^"]*\b(FROM|INTO|UPDATE|JOIN)\s+import_run\b', re.IGNORECASE)
SOURCE_SUFFIXES = {".h", ".cc"}

PIPELINE_HEADERS = {"importer/import.h", "importer/import_run.h", "importer/cli.h",
                    "importer/report.h", "importer/publish.h"}
LOADER_PUBLIC = {"importer/load/load.h", "importer/load/load_result.h"}
LOADER_PRIVATE_USERS = ("importer/load/", "bench/import_floor.cc", "tests/")
CLI_FORBIDDEN = ("db/", "importer/new_database.h")
IMPORT_RUN_HOME = "importer/import_run.cc"


def problems_of(rel, text):
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{rel}:{number}"
        match = INCLUDE.match(line)
        if match:
            target = match.group(1)
            if rel.startswith("importer/load/") and target in PIPELINE_HEADERS:
                out.append(f'{where}: includes "{target}" (the loader may not include the '
                           "import pipeline above it)")
            if (target.startswith("importer/load/") and target not in LOADER_PUBLIC
                    and not rel.startswith(LOADER_PRIVATE_USERS)):
                out.append(f'{where}: includes "{target}" (private to importer/load/; '
                           "use importer/load/load.h)")
            if rel == "importer/cli.cc" and target.startswith(CLI_FORBIDDEN):
                out.append(f'{where}: includes "{target}" (cli.cc parses and prints; the '
                           "database is import.h's ImportInto)")
        if IMPORT_RUN_SQL.search(line) and rel.startswith("importer/") and rel != IMPORT_RUN_HOME:
            out.append(f"{where}: import_run SQL outside {IMPORT_RUN_HOME}")
    return out


def check(root):
    root = pathlib.Path(root)
    problems, files = [], 0
    for home in ("importer", "bench", "src", "tests"):
        for path in sorted((root / home).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            files += 1
            rel = path.relative_to(root).as_posix()
            problems += problems_of(rel, path.read_text(errors="replace"))
    return files, problems


def self_test():
    """A clean tree passes; each break of a rule is reported, and only it."""
    clean = {
        "importer/load/load.cc": '#include "importer/load/load_statements.h"\n',
        "importer/import.cc": '#include "importer/load/load.h"\n#include "importer/import_run.h"\n',
        "importer/import_run.cc": 'const char* k = "SELECT id FROM import_run";\n',
        "importer/cli.cc": '#include "importer/import.h"\n',
        "bench/import_floor.cc": '#include "importer/load/load_statements.h"\n',
    }
    breaks = {
        "importer/load/load_flush.cc": ('#include "importer/import.h"\n',
                                        'importer/load/load_flush.cc:1: includes "importer/import.h"'),
        "importer/report.h": ('#include "importer/load/pending.h"\n',
                              'importer/report.h:1: includes "importer/load/pending.h"'),
        "importer/cli.cc": ('#include "importer/new_database.h"\n',
                            'importer/cli.cc:1: includes "importer/new_database.h"'),
        "importer/publish.cc": ('auto s = "SELECT max(id) FROM import_run";\n',
                                "importer/publish.cc:1: import_run SQL outside"),
    }

    def run(files):
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            for rel, text in files.items():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text)
            return check(root)[1]

    if run(clean):
        print(f"self-test failed: the clean tree gave {run(clean)}")
        return 1
    for rel, (text, expected) in breaks.items():
        found = run({**clean, rel: text})
        if len(found) != 1 or not found[0].startswith(expected):
            print(f"self-test failed: breaking {rel} gave {found}, expected {expected}...")
            return 1
        print("self-test: caught", found[0])
    return 0


def main(argv):
    return source_check.main(argv, check, self_test, __doc__, "problems in the importer's layout")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
