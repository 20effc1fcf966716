"""Command line: ``crmlib data regenerate`` (more sub-commands come with the instructor tools)."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Run the ``crmlib`` command; returns the exit status (2 with a one-line message on bad input).

    >>> import contextlib, io
    >>> buf = io.StringIO()
    >>> with contextlib.redirect_stdout(buf):
    ...     status = main(["data", "list"])
    >>> status, {"prospects", "retail_transactions"} <= set(buf.getvalue().split())
    (0, True)
    >>> import tempfile, pathlib
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     main(["data", "regenerate", "--out", f.name])
    crmlib: regenerate: field 'out' ... exists and is not a folder
    2
    """
    parser = argparse.ArgumentParser(prog="crmlib", description="CRM workbook tools")
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="bundled datasets")
    data_sub = data.add_subparsers(dest="action", required=True)
    data_sub.add_parser("list", help="list the bundled datasets")
    regen = data_sub.add_parser("regenerate", help="rewrite the committed CSVs from their generators")
    regen.add_argument("--out", default=None, help="folder to write to (default: the package's datasets/)")
    args = parser.parse_args(argv)
    from crmlib import datasets
    if args.action == "list":
        for name in datasets.list_datasets():
            print(name)
        return 0
    from crmlib._errors import CRMDataError
    try:
        written = datasets.regenerate(args.out)
    except CRMDataError as exc:
        print(f"crmlib: {exc}", file=sys.stdout)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
