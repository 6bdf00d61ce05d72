"""The command line the source checks beside this file share:

    check_X.py ROOT          check the tree at ROOT; exit 1 on any problem
    check_X.py --self-test   show that the check catches what it must

Each check gives `check(root) -> (files read, [problem lines])`, a
`self_test() -> exit code` and the name of what it counts."""


def main(argv, check, self_test, usage, counted):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(usage)
        return 64
    files, problems = check(argv[1])
    for p in problems:
        print(p)
    if files == 0:
        print(f"no source files under {argv[1]}: wrong root?")
        return 1
    print(f"{files} files checked, {len(problems)} {counted}")
    return 1 if problems else 0
