"""Bulk import and export of stakeholders, relationships and interactions (CSV, JSON Lines).

`export` writes a kind's rows in id order; `import_file` validates a whole file, checks it
against the store and writes it in batches, all or nothing unless told to skip bad rows.
An exported file imports back into an empty store, and exporting that store again gives
the same bytes.
"""

from relgraph.transfer.export import EXPORT_PAGE, export, export_rows, export_text
from relgraph.transfer.formats import FIELDS, Format, Kind
from relgraph.transfer.importer import (
    BATCH,
    BadRow,
    FileRejected,
    ImportAborted,
    ImportReport,
    format_of,
    import_file,
    read_batches,
)

__all__ = [
    "BATCH",
    "EXPORT_PAGE",
    "FIELDS",
    "BadRow",
    "FileRejected",
    "Format",
    "ImportAborted",
    "ImportReport",
    "Kind",
    "export",
    "export_rows",
    "export_text",
    "format_of",
    "import_file",
    "read_batches",
]
