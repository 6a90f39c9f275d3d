"""Generate the site file's JSON Schema and key reference from the pydantic model.

    python -m eas_lb.tools.site_schema            # rewrite docs/site-file.schema.json and the
                                                  # generated table in docs/site-file.md
    python -m eas_lb.tools.site_schema --check    # exit 1 when either is out of date

The model in `eas_lb/inputs/site_models.py` is the single source: editors validate and complete a
site file with the schema (`# yaml-language-server: $schema=...`), and the reference lists every
key with its type, default and description. Only the part of `docs/site-file.md` between the markers is
generated; the prose and examples around it are written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eas_lb.inputs.site_schema import REFERENCE_FILE, SCHEMA_FILE, render_reference, schema_text
from lborg_support.command_line import run_program

DOCS = Path(__file__).resolve().parents[2] / "docs"


@click.command(help=__doc__, context_settings={"max_content_width": 110})
@click.option(
    "--docs", type=click.Path(path_type=Path), default=DOCS, help="documentation folder (default: docs/)"
)
@click.option("--check", is_flag=True, help="only report out-of-date files; exit 1 if any")
def _command(docs: Path, check: bool) -> int:
    reference_path = docs / REFERENCE_FILE
    wanted = {
        docs / SCHEMA_FILE: schema_text(),
        reference_path: render_reference(reference_path.read_text(encoding="utf-8")),
    }
    stale = [path for path, text in wanted.items() if not path.is_file() or path.read_text() != text]
    if check:
        for path in stale:
            print(f"out of date: {path}; regenerate with python -m eas_lb.tools.site_schema", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_program(_command, argv, "python -m eas_lb.tools.site_schema")


if __name__ == "__main__":
    raise SystemExit(main())
