#!/usr/bin/env python3
"""Exit codes by name only (src/core/exit_code.h), never as bare numbers.

Every `carefinder <command>` returns exit_code::kUsage, kNoInput, ...; a
`return 64;` (or `? 73 : 66`, `kUsageError = 64`) creeping back into src/ or
importer/ fails this test with `file:line: exit code 64 as a number (use
exit_code::kUsage from core/exit_code.h)`. The command files (main.cc, serve.cc,
export.cc, *_cli.cc, importer/cli.cc, publish.cc, report.cc) may not return
0, 1 or 2 as numbers either.

    check_exit_codes.py ROOT        check the tree (exit 1 on a bare exit code)
    check_exit_codes.py --self-test show that a bare exit code is caught
"""
import pathlib
import re
import sys
import tempfile

import source_check

NAMES = {0: "kOk", 1: "kRejected", 2: "kFileError", 64: "kUsage", 65: "kDataErr",
         66: "kNoInput", 69: "kUnavailable", 70: "kSoftware", 73: "kCantCreate",
         75: "kTempFail"}
SYSEXITS = range(64, 79)  # <sysexits.h>: EX_USAGE .. EX_CONFIG
HOMES = ["src", "importer"]
NAMED_HERE = "src/core/exit_code.h"
# The files whose functions return a process's exit code.
COMMAND_FILES = re.compile(r"(^src/main\.cc$|_cli\.cc$|^src/server/serve\.cc$|^src/api/export\.cc$"
                           r"|^importer/(cli|publish|report)\.cc$)")
# A number where an exit code goes: returned, a branch of ?:, after a comma
# operator (`return f(), 64;`), or given to an int constant.
NUMBER_AS_CODE = re.compile(r"(?:\breturn\s+|\?\s*|:\s*(?=\d+\s*;)|,\s*(?=\d+\s*;)|"
                            r"\bint\s+k[A-Z]\w*\s*=\s*|,\s*k[A-Z]\w*\s*=\s*)(\d+)\b(?!\s*[.\w<>*/+\-])")
COMMENT = re.compile(r"//.*$")


def problems_in(relative, text):
    command_file = bool(COMMAND_FILES.search(relative))
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code_part = COMMENT.sub("", line)
        if code_part.lstrip().startswith(("*", "\"")):
            continue
        for match in NUMBER_AS_CODE.finditer(code_part):
            value = int(match.group(1))
            if value in SYSEXITS or (command_file and value in NAMES):
                name = NAMES.get(value, "a named constant")
                found.append(f"{relative}:{number}: exit code {value} as a number "
                             f"(use exit_code::{name} from core/exit_code.h)")
    return found


def check(root):
    root = pathlib.Path(root)
    problems, files = [], 0
    for home in HOMES:
        for path in sorted((root / home).rglob("*")):
            if path.suffix not in {".h", ".cc"} or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            if relative == NAMED_HERE:
                continue
            files += 1
            problems += problems_in(relative, path.read_text(errors="replace"))
    return files, problems


def self_test():
    """A command returning a bare 64 must fail; the same file with the name pass."""
    named = ('int Run() {\n  if (bad) return exit_code::kUsage;\n  return exit_code::kOk;\n}\n'
             'int Size() { return 64; }\n')
    bare = ('int Run() {\n  if (bad) return 64;\n  return ok ? 0 : 73;\n}\n'
            'constexpr int kUsageError = 64, kIoError = 70;\n')
    other = 'int Width() { return 64; }\nint Zero() { return 0; }\n'
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "src/api").mkdir(parents=True)
        (root / "src/api/search_cli.cc").write_text(named.replace("return 64", "return kWidth"))
        (root / "src/api/other.cc").write_text(other.replace("64", "kWidth"))
        _, clean = check(root)
        (root / "src/api/search_cli.cc").write_text(bare)
        (root / "src/api/other.cc").write_text(other)
        _, wrong = check(root)
    expected = [
        "src/api/other.cc:1: exit code 64 as a number (use exit_code::kUsage from core/exit_code.h)",
        "src/api/search_cli.cc:2: exit code 64 as a number (use exit_code::kUsage from core/exit_code.h)",
        "src/api/search_cli.cc:3: exit code 0 as a number (use exit_code::kOk from core/exit_code.h)",
        "src/api/search_cli.cc:3: exit code 73 as a number (use exit_code::kCantCreate from core/exit_code.h)",
        "src/api/search_cli.cc:5: exit code 64 as a number (use exit_code::kUsage from core/exit_code.h)",
        "src/api/search_cli.cc:5: exit code 70 as a number (use exit_code::kSoftware from core/exit_code.h)",
    ]
    if clean or wrong != expected:
        print(f"self-test failed: clean tree gave {clean}, wrong tree gave {wrong}")
        return 1
    print("self-test: a bare exit code is reported as", wrong[1])
    return 0


def main(argv):
    return source_check.main(argv, check, self_test, __doc__, "bare exit codes")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
