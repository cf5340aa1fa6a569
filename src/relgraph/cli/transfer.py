"""`relgraph import` and `relgraph export`: stakeholders, relationships and interactions as
CSV or JSON Lines (formats in `relgraph.transfer.formats`).

    relgraph export --what stakeholders --format csv --output stakeholders.csv
    relgraph import stakeholders.csv --what stakeholders
    relgraph export --what interactions | gzip > interactions.jsonl.gz

Exit codes of `import`:

    0  every row is imported
    1  nothing is written: the file has bad rows (listed on stderr) or cannot be read
    2  usage error
    3  --skip-bad: the good rows are imported, the bad ones (listed) are skipped
    4  a write failed midway: the rows before it are in; running the import again
       completes it (every write is idempotent by id)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from relgraph.cli import settings_from, storage_options
from relgraph.config import Settings
from relgraph.errors import RelgraphError
from relgraph.transfer.formats import Format, Kind
from relgraph.transfer.importer import BATCH, FileRejected, ImportAborted, ImportReport, format_of

#: bad rows printed; the rest are counted
SHOWN_BAD = 50

EXIT_OK, EXIT_REJECTED, EXIT_SKIPPED, EXIT_ABORTED = 0, 1, 3, 4

_KINDS = [k.value for k in Kind]
_FORMATS = [f.value for f in Format]


def _format_for_output(output: str, fmt: str | None) -> Format:
    if fmt:
        return Format(fmt)
    if output != "-" and Path(output).suffix.lower() == ".csv":
        return Format.CSV
    return Format.JSONL


# -- export ----------------------------------------------------------------------------


async def _export(settings: Settings, kind: Kind, fmt: Format, write: Any) -> int:
    from relgraph.store.factory import open_store
    from relgraph.transfer.export import export

    async with open_store(settings) as store:
        return await export(store, kind, fmt, write)


@click.command("export")
@click.option("--what", type=click.Choice(_KINDS), required=True, help="What to export.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default=None,
              help="csv or jsonl [default: from the output's extension, else jsonl].")
@click.option("--output", "-o", default="-", show_default=True,
              type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (replaced only once the export is complete), or - for stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@storage_options
def export_command(what: str, fmt: str | None, output: str, quiet: bool, **storage: Any) -> None:
    """Export stakeholders, relationships or interactions as CSV or JSON Lines, in id order.

    Rows hold the fields the import takes, so an exported file imports back unchanged.
    """
    settings = settings_from(**storage)
    kind, form = Kind(what), _format_for_output(output, fmt)
    try:
        if output == "-":
            stream = sys.stdout.buffer
            count = asyncio.run(_export(settings, kind, form, lambda text: stream.write(text.encode("utf-8"))))
            stream.flush()
        else:
            target = Path(output)
            handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                               dir=target.parent if str(target.parent) else ".")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                    count = asyncio.run(_export(settings, kind, form, out.write))
                os.chmod(partial, 0o644)
                os.replace(partial, target)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    if not quiet:
        where = "stdout" if output == "-" else output
        click.echo(f"Exported {count:,} {kind.value} to {where} ({form.value}).", err=True)


# -- import ----------------------------------------------------------------------------


async def _import(settings: Settings, path: Path, kind: Kind, fmt: Format | None, *, skip_bad: bool,
                  check_only: bool, batch: int, progress: bool) -> ImportReport:
    from relgraph.store.factory import open_store
    from relgraph.transfer.importer import import_file

    async with open_store(settings) as store:
        return await import_file(store, path, kind, fmt, skip_bad=skip_bad, check_only=check_only, batch=batch,
                                 progress=progress)


def _spool_stdin(fmt: str | None) -> Path:
    if not fmt:
        raise click.UsageError("reading stdin (-) needs --format csv or jsonl")
    handle, name = tempfile.mkstemp(prefix="relgraph-import-", suffix=f".{fmt}")
    with os.fdopen(handle, "wb") as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 20)
    return Path(name)


def _list_bad(report: ImportReport) -> None:
    for bad in report.bad[:SHOWN_BAD]:
        click.echo(str(bad), err=True)
    more = report.bad_count - min(len(report.bad), SHOWN_BAD)
    if more > 0:
        click.echo(f"... and {more:,} more bad rows", err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--what", type=click.Choice(_KINDS), required=True, help="What the file holds.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default=None,
              help="csv or jsonl [default: from the file's extension: .csv, or .jsonl/.ndjson/.json].")
@click.option("--skip-bad", is_flag=True,
              help="Import the good rows and report the bad ones (exit code 3 when some are skipped). "
                   "Without it a file is all or nothing.")
@click.option("--check", "check_only", is_flag=True,
              help="Only validate the file and check it against the store; write nothing.")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH, show_default=True,
              help="Rows per write.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; bad rows are still listed.")
@storage_options
def import_command(file: str, what: str, fmt: str | None, skip_bad: bool, check_only: bool, batch: int,
                   quiet: bool, **storage: Any) -> None:
    """Import stakeholders, relationships or interactions from a CSV or JSON Lines FILE (- for stdin).

    Every row is validated, and the stakeholders it names must exist in the store (import
    stakeholders first, then relationships and interactions). Bad rows are listed with
    their line numbers and reasons. By default the whole file is checked before anything
    is written, and nothing is written if any row is bad.

    Rows are written in batches, idempotently by id (stakeholders and relationships are
    updated, interactions already recorded are left as they are), so a re-run of an
    interrupted import completes it. Exit codes: 0 all imported, 1 nothing written (bad
    rows or unreadable file), 2 usage, 3 bad rows skipped (--skip-bad), 4 interrupted
    midway (run it again).
    """
    settings = settings_from(**storage)
    kind = Kind(what)
    if file != "-":
        try:  # before the database is opened: a typo should not wait for a server start
            format_of(file, fmt)
            if not Path(file).is_file():
                raise FileRejected(f"no such file: {file!r}")
        except RelgraphError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(EXIT_REJECTED)
    spooled = _spool_stdin(fmt) if file == "-" else None
    path = spooled or Path(file)
    progress = not quiet and sys.stderr.isatty()
    try:
        report = asyncio.run(
            _import(settings, path, kind, Format(fmt) if fmt else None, skip_bad=skip_bad, check_only=check_only,
                    batch=batch, progress=progress)
        )
    except ImportAborted as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(EXIT_ABORTED)
    except RelgraphError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(EXIT_REJECTED)
    finally:
        if spooled is not None:
            spooled.unlink(missing_ok=True)
    _list_bad(report)
    name = kind.value
    if check_only:
        if not quiet:
            verdict = f"{report.bad_count:,} bad" if report.bad_count else "all good"
            click.echo(f"Checked {report.rows:,} {name} in {report.seconds:.1f} s: {verdict}; nothing written.",
                       err=True)
        sys.exit(EXIT_REJECTED if report.bad_count else EXIT_OK)
    if report.bad_count and not skip_bad:
        click.echo(
            f"Nothing imported: {report.bad_count:,} of {report.rows:,} rows are bad. Fix them, or use "
            f"--skip-bad to import the {report.rows - report.bad_count:,} good rows.",
            err=True,
        )
        sys.exit(EXIT_REJECTED)
    if not quiet:
        rate = f" ({report.rows_per_second:,.0f} rows/s)" if report.seconds > 0 else ""
        skipped = f"; skipped {report.bad_count:,} bad rows" if report.bad_count else ""
        click.echo(f"Imported {report.written:,} {name} in {report.seconds:.1f} s{rate}{skipped}.", err=True)
    if report.bad_count:
        sys.exit(EXIT_SKIPPED)


#: `relgraph.cli` registers `command`; both commands are in `commands`, for a loader that
#: takes several from one module.
command = import_command
commands = (import_command, export_command)
