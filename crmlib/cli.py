"""Command line: ``crmlib data …``, the instructor tools ``crmlib release | assign | grade``, the
language editions ``crmlib editions`` and the book ``crmlib book``."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmlib", description="CRM workbook tools")
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="bundled datasets")
    data_sub = data.add_subparsers(dest="action", required=True)
    data_sub.add_parser("list", help="list the bundled datasets")
    regen = data_sub.add_parser("regenerate", help="rewrite the committed CSVs from their generators")
    regen.add_argument("--out", default=None, help="folder to write to (default: the package's datasets/)")

    rel = sub.add_parser("release", help="student copies: solution cells removed, outputs cleared")
    rel.add_argument("src", help="a notebook or a folder of notebooks")
    rel.add_argument("--out", required=True, help="folder for the student copies")
    rel.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the student copies in --out are not current"
    )
    rel.add_argument(
        "--format",
        choices=["student", "nbgrader"],
        default="student",
        help="student copies (default), or nbgrader source notebooks: solution regions, locked test cells "
        "with the exercises' points (they keep the solutions: for nbgrader's source/ folder)",
    )

    asg = sub.add_parser("assign", help="one executed variant per student and the answer key")
    asg.add_argument("notebook", help="the parameterised notebook (with its solution cells)")
    asg.add_argument("--roster", required=True, help="CSV with student_id, name and optional parameter columns")
    asg.add_argument("--out", required=True, help="output folder (students/, instructor/, answer_key.csv)")
    asg.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="a parameter for every student (repeatable; -p seed N re-salts the per-student seeds)",
    )
    asg.add_argument("--workers", type=int, default=1, help="notebooks executed in parallel (default 1)")
    asg.add_argument("--no-progress", action="store_true", help="no progress bar")
    asg.add_argument(
        "--force", action="store_true", help="redo every student (by default only new, changed or unfinished ones)"
    )
    asg.add_argument("--timeout", default=600, help="seconds a cell may run before its student fails (default 600)")

    grd = sub.add_parser("grade", help="run submissions and score them against the answer key")
    grd.add_argument("submissions", help="a submitted notebook, a folder of them, or a Moodle or Canvas download (zip)")
    grd.add_argument("--key", required=True, help="answer_key.csv written by crmlib assign")
    grd.add_argument("--out", required=True, help="grades CSV to write")
    grd.add_argument("--workers", type=int, default=1, help="notebooks executed in parallel (default 1)")
    grd.add_argument("--no-progress", action="store_true", help="no progress bar")
    grd.add_argument(
        "--timeout", default=600, help="seconds a cell may run before it is stopped (default 600; the rest still runs)"
    )
    grd.add_argument(
        "--roster", help="the class list: names for the exports, and whose file is whose in an LMS download"
    )
    grd.add_argument(
        "--export",
        action="append",
        choices=["wide", "moodle", "canvas"],
        help="also write one row per student next to --out: wide (points per question and total), or the "
        "layout of Moodle's or Canvas's grade import (repeatable)",
    )
    grd.add_argument(
        "--assignment",
        help="the grade column of the moodle/canvas export: the grade item, or Canvas's 'Name (id)' of the assignment",
    )
    grd.add_argument("--feedback", metavar="DIR", help="write an HTML feedback page per student into DIR")
    grd.add_argument(
        "--feedback-lang", choices=["en", "zh"], help="language of the feedback pages (default: each student's)"
    )

    eds = sub.add_parser(
        "editions", help="the editions in other languages (notebooks/zh/ …), generated from the English notebooks"
    )
    eds.add_argument("--root", default=".", help="the workbook's folder (with notebooks/ and casework/)")
    eds.add_argument(
        "--lang", action="append", default=None, help="only this language (repeatable; default: every one but English)"
    )
    eds.add_argument("--check", action="store_true", help="write nothing; exit 1 if an edition or its text is stale")
    eds.add_argument(
        "--scaffold",
        metavar="NOTEBOOK",
        help="write or update the text file of an English notebook: a marker for each markdown cell, "
        "the English as a placeholder where a text is missing",
    )

    book = sub.add_parser("book", help="execute every chapter and case and build the HTML book (both editions)")
    book.add_argument("--out", default="build/book", help="folder of the site (default build/book)")
    book.add_argument("--root", default=".", help="the workbook's folder (with notebooks/ and casework/)")
    book.add_argument("--strict", action="store_true", help="Sphinx's warnings are errors (make book, the tests)")
    return parser


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
    >>> main(["assign", "no_such.ipynb", "--roster", "r.csv", "--out", "x"])
    crmlib: assign: field 'notebook' 'no_such.ipynb' is not a notebook file
    2
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    from crmlib._errors import CRMDataError

    try:
        return _run(args)
    except CRMDataError as exc:
        print(f"crmlib: {str(exc).splitlines()[0] if str(exc) else exc}", file=sys.stdout)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C: one line, no traceback
        print(_interrupted(args, argv, exc), file=sys.stdout)
        return 130


def _interrupted(args: argparse.Namespace, argv: list[str], exc: KeyboardInterrupt) -> str:
    """The line Ctrl-C leaves: what is done and the command that goes on from there."""
    import shlex

    from crmlib.instructor import Interrupted

    if isinstance(exc, Interrupted):  # resuming redoes only the unfinished students: no --force
        again = shlex.join(["crmlib", *(a for a in argv if a != "--force")])
        return f"crmlib: {exc}; resume with: {again}"
    what = {"grade": f"{args.out} not written", "assign": "nothing finished"}.get(args.command, "stopped")
    return f"crmlib: interrupted ({what}); run again with: {shlex.join(['crmlib', *argv])}"


def _run(args: argparse.Namespace) -> int:
    if args.command == "data":
        from crmlib import datasets

        if args.action == "list":
            for name in datasets.list_datasets():
                print(name)
            return 0
        for path in datasets.regenerate(args.out):
            print(f"wrote {path}")
        return 0
    if args.command == "book":
        from crmlib import book

        return book.main(["--out", args.out, "--root", args.root] + (["--strict"] if args.strict else []))
    if args.command == "editions":
        return _editions(args)
    from crmlib import instructor

    if args.command == "release":
        if args.check:
            problems = instructor.check_release(args.src, args.out, format=args.format)
            for p in problems:
                print(p)
            print("student copies are current" if not problems else f"{len(problems)} problem(s)")
            return 1 if problems else 0
        for path in instructor.release(args.src, args.out, format=args.format):
            print(f"released {path}")
        return 0
    if args.command == "assign":
        res = instructor.assign(
            args.notebook,
            args.roster,
            args.out,
            parameters=instructor.parse_assignments(args.parameter),
            workers=args.workers,
            progress=not args.no_progress,
            timeout=args.timeout,
            force=args.force,
        )
        _roster_notes(args)
        print(
            f"{res['stem']}: {res['done']} executed, {res['skipped']} skipped (already complete), "
            f"{len(res['failed'])} failed of {res['students']} students; key: {res['key']}"
        )
        by_reason: dict[str, list[str]] = {}
        for sid, why in res["redone"].items():
            by_reason.setdefault(why, []).append(sid)
        for why, sids in by_reason.items():
            print(f"redone ({why}): {', '.join(sids)}")
        for sid, err in res["failed"].items():
            print(f"FAILED {sid}: {err}")
        return 1 if res["failed"] else 0
    from crmlib import lms

    roster = lms.read_roster(args.roster, func="grade") if args.roster else None
    table = instructor.grade(
        args.submissions,
        args.key,
        args.out,
        workers=args.workers,
        progress=not args.no_progress,
        timeout=args.timeout,
        roster=roster,
    )
    questions = table[table["question"] != ""].assign(
        auto=lambda t: t["points"].where(t["kind"] != "memo", 0.0),
        memo=lambda t: t["points"].where(t["kind"] == "memo", 0.0),
    )
    per = questions.groupby("student_id", sort=False).agg(
        earned=("earned", "sum"),
        auto=("auto", "sum"),
        memo=("memo", "sum"),
        status=("status", lambda s: ", ".join(sorted(set(s)))),
    )
    for sid, row in per.iterrows():
        by_hand = f" + memos worth {row['memo']:g} to grade by hand" if row["memo"] else ""
        print(f"{sid}: {row['earned']:g} of {row['auto']:g} points{by_hand} ({row['status']})")
    for _, row in table[table["question"] == ""].iterrows():
        print(f"{row['student_id']}: {row['status']}: {row['detail']}")
    print(f"wrote {args.out}")
    memos = instructor.memos_path(args.out)
    if (questions["kind"] == "memo").any():
        print(f"wrote {memos} (the memos to grade by hand, with their rubric)")
    return _lms_outputs(args, table, roster, memos)


def _lms_outputs(args: argparse.Namespace, table, roster, memos) -> int:
    """The exports and feedback pages ``crmlib grade`` writes besides its grades table."""
    from pathlib import Path

    from crmlib import lms

    out = Path(args.out)
    scores = lms.read_memo_scores(memos)
    for layout in dict.fromkeys(args.export or []):
        path = out.with_name(f"{out.stem}_{layout}.csv")
        lms.export_grades(table, path, layout, roster=roster, assignment=args.assignment, memos=scores)
        print(f"wrote {path} ({layout} layout, UTF-8 with BOM)")
    if args.feedback:
        written = lms.write_feedback(table, args.feedback, roster=roster, lang=args.feedback_lang, memos=scores)
        print(f"wrote {sum(p.suffix == '.html' for p in written)} feedback page(s) into {args.feedback}")
        for p in written:
            if p.suffix == ".zip":
                print(f"wrote {p} (for Moodle: Upload multiple feedback files in a zip)")
    return 0


def _roster_notes(args: argparse.Namespace) -> None:
    """Print what reading the roster noted (columns kept aside, headers mapped)."""
    from pathlib import Path

    from crmlib import lms
    from crmlib.params import SPECS

    for note in lms.read_roster(args.roster, SPECS.get(Path(args.notebook).stem), func="assign").notes:
        print(f"roster: {note}")


def _editions(args: argparse.Namespace) -> int:
    from crmlib import editions

    if args.scaffold:
        for lang in args.lang or [x for x in editions.LANGUAGES if x != editions.SOURCE_LANG]:
            print(f"wrote {editions.scaffold(args.scaffold, lang)}")
        return 0
    if args.check:
        report = editions.check_editions(args.root, args.lang)
    else:
        report = editions.write_editions(args.root, args.lang)
    for path in report.written:
        print(f"wrote {path}")
    for note in report.notes:
        print(note)
    for problem in report.problems:
        print(problem)
    n = len(report.written) + len(report.current)
    if report.problems:
        print(f"{len([p for p in report.problems if not p.startswith(' ')])} problem(s); {n} edition(s) current")
        return 1
    print(f"{n} edition(s) current, {len(report.notes)} notebook(s) without an edition yet")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
