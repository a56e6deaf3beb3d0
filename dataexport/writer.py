"""Complete data export (数据导出): everything Gugan holds for a school or a district, as one
ZIP the school can keep, archive or take elsewhere.

The ZIP holds one xlsx workbook (a sheet per table), the same tables as CSV files (UTF-8 with
a BOM, so Excel opens the Chinese text correctly), every attachment under ``files/`` and a
README.txt and manifest.json listing the tables, their row counts and the export time. Each
app describes its own tables in its ``dataexport_tables.py`` (core.export_tables holds the
pieces and the registry).

It is a background job (dataexport.jobs). Rows are streamed from the database (as values,
not model objects, where a table's columns allow: core.export_tables) into the workbook's
sheets (core.writers: a temporary file each) and straight into the ZIP, so the memory used does
not grow with the number of teachers. There is no fingerprint: telling whether *any* of these
tables changed costs about as much as the export, so each request makes a fresh file.

The file is shared with the school (its managers and the district office) or the district it
covers, so it holds what every one of them may see (core.job_files): the requester's scope
narrowed to that school or district, no drafts and no notes of private guidance sessions, and
no committee scores, totals or ranks of a round whose rules keep them from any of them.
"""

import io
import json
import shutil
import zipfile
from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.export_tables import (
    ExportContext,
    ExportTarget,
    Table,
    TableSpec,
    export_files,
    export_tables,
    safe_path_part,
)
from core.job_files import FileAudience
from core.jobs import JobContext
from core.models import School
from core.writers import XLSX_MAX_ROWS, CsvWriter, XlsxWorkbook, plain_row, sheet_title

FILE_STEP = 50  # attachments copied between two progress updates
ROW_STEP = 5000  # rows written between two step-text updates on a long table
CHUNK = 2000


# -- writing ------------------------------------------------------------------------------------


class SheetWriter:
    """One table in the workbook; past Excel's row limit it goes on in a new sheet
    ("Records (2)"), where the CSV file has no limit."""

    def __init__(self, workbook: XlsxWorkbook, title: str, headers: list[str], used: set[str]):
        self.workbook, self.title, self.headers, self.used = workbook, title, headers, used
        self.titles: list[str] = []
        self._new_sheet()

    def _new_sheet(self) -> None:
        base = sheet_title(self.title)
        if self.titles:
            base = f"{base[:25]} ({len(self.titles) + 1})"
        title, n = base[:31], 2
        while title.casefold() in self.used:
            title = f"{base[:27]}~{n}"
            n += 1
        self.used.add(title.casefold())
        self.titles.append(title)
        self.sheet = self.workbook.add_sheet(title, self.headers, width=16, bold=True)

    def append(self, values: list) -> None:
        if self.sheet.rows >= XLSX_MAX_ROWS:
            self._new_sheet()
        self.sheet.append(values)


def _zip_entry(archive: zipfile.ZipFile, name: str, *, compress: bool = True):
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info._compresslevel = 1  # (compress_level from Python 3.13): 3× as fast, a third bigger
    info.external_attr = 0o644 << 16
    return archive.open(info, "w", force_zip64=True)


def write_table(
    archive: zipfile.ZipFile,
    workbook: XlsxWorkbook,
    spec: TableSpec,
    table: Table,
    *,
    used_titles: set[str],
    on_rows: Callable[[int], None] = lambda n: None,
) -> dict:
    headers = [str(c.header) for c in table.columns]
    sheet = SheetWriter(workbook, str(spec.title), headers, used_titles)
    count = 0
    tz = timezone.get_current_timezone()
    path = f"csv/{spec.name}.csv"
    with io.TextIOWrapper(_zip_entry(archive, path), encoding="utf-8-sig", newline="") as text:
        writer = CsvWriter(text)
        writer.writerow(headers)
        for row in table.values(chunk_size=CHUNK):
            values = plain_row(row, tz)
            sheet.append(values)
            writer.writerow(values)
            count += 1
            if count % ROW_STEP == 0:
                on_rows(count)
    return {
        "name": spec.name,
        "title": str(spec.title),
        "csv": path,
        "sheets": sheet.titles,
        "rows": count,
    }


def write_files(
    archive: zipfile.ZipFile,
    attachments,
    *,
    on_files: Callable[[int], None],
    attachment_path: Callable[[object], str],
) -> dict:
    """Copy every attachment of the exported records into files/, byte for byte."""
    written, size, missing = 0, 0, []
    for done, attachment in enumerate(attachments.iterator(chunk_size=CHUNK), start=1):
        path = attachment_path(attachment)
        try:
            with (
                attachment.file.open("rb") as source,
                _zip_entry(archive, path, compress=False) as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError:
            missing.append({"attachment": attachment.pk, "path": path})
        else:
            written += 1
            size += attachment.size
        if done % FILE_STEP == 0:
            on_files(done)
    return {"count": written, "bytes": size, "missing": missing}


def readme_text(manifest: dict) -> str:
    lines = [
        _("Gugan data export: %(name)s") % {"name": manifest["scope"]["name"]},
        _("Exported at %(time)s by %(user)s.")
        % {"time": manifest["exported_at"], "user": manifest["exported_by"]},
        "",
        _("Contents:"),
        _("- %(xlsx)s: every table as a sheet of one Excel workbook.")
        % {"xlsx": manifest["workbook"]},
        _("- csv/: every table as a CSV file (UTF-8 with BOM; opens in Excel and WPS)."),
        _(
            "- files/: every attachment of the exported records, as uploaded, under "
            "files/records/<school code>/<staff number>/<record ID>-<attachment ID>-<file name>; "
            "the attachments table names each file."
        ),
        _("- manifest.json: this list in a form programs read."),
        "",
        _("Tables (rows):"),
    ]
    for table in manifest["tables"]:
        lines.append(f"  csv/{table['name']}.csv  {table['title']}: {table['rows']}")
    files = manifest["files"]
    lines += [
        "",
        _("Attachments: %(count)s files, %(bytes)s bytes.") % files,
    ]
    if files["missing"]:
        lines.append(
            _("%(count)s stored files could not be found; manifest.json lists them.")
            % {"count": len(files["missing"])}
        )
    lines += [
        "",
        _(
            "Not included: drafts (private to their authors until submitted), the notes of "
            "private guidance sessions, and committee scores of rounds still being scored that "
            "you may not see yet."
        ),
        _(
            "Columns ending in (ID) refer to the ID column of another table. Text starting with "
            "=, +, - or @ has a ' in front in the CSV files so that Excel does not run it."
        ),
    ]
    return "\r\n".join(lines) + "\r\n"


def export_zip(
    target: ExportTarget,
    output,
    *,
    progress: JobContext | None = None,
    audience: FileAudience | None = None,
) -> dict:
    """Write the ZIP to ``output`` (a path) for ``audience`` (by default the requester
    alone); returns the manifest."""
    ctx = ExportContext(target, audience)
    tables_to_write = export_tables()
    (stored,) = export_files()  # the records' attachments
    attachments = stored.queryset(ctx)
    file_count = attachments.count()
    if progress:
        progress.set_total(len(tables_to_write) + file_count + 1)
    now = timezone.localtime()
    stamp = now.strftime("%Y%m%d-%H%M")
    workbook_name = f"gugan-{safe_path_part(target.code)}-{stamp}.xlsx"
    workbook = XlsxWorkbook()
    used: set[str] = set()
    tables = []
    with zipfile.ZipFile(output, "w", allowZip64=True) as archive:
        for spec in tables_to_write:
            title = str(spec.title)

            def on_rows(n, title=title):
                if progress:
                    progress.set_step(
                        _("%(table)s: %(rows)s rows so far") % {"table": title, "rows": n}
                    )

            info = write_table(
                archive, workbook, spec, spec.build(ctx), used_titles=used, on_rows=on_rows
            )
            tables.append(info)
            if progress:
                progress.advance(
                    text=_("%(table)s: %(rows)s rows") % {"table": title, "rows": info["rows"]}
                )

        def on_files(done):
            if progress:
                text = _("Files: %(done)s / %(total)s") % {"done": done, "total": file_count}
                progress.advance(FILE_STEP, text=text)

        files = write_files(archive, attachments, on_files=on_files, attachment_path=stored.path)
        if progress:
            progress.advance(file_count % FILE_STEP, text=_("Writing the workbook"))
        with _zip_entry(archive, workbook_name, compress=False) as target_file:
            workbook.save(target_file)
        manifest = {
            "exported_at": now.isoformat(timespec="seconds"),
            "exported_by": str(target.user),
            "language": translation.get_language(),
            "scope": {
                "name": target.name,
                "code": target.code,
                "kind": "district" if target.whole_district else "school",
                "schools": list(
                    School.objects.filter(pk__in=target.school_ids)
                    .order_by("code")
                    .values("code", "name")
                ),
            },
            "workbook": workbook_name,
            "tables": tables,
            "files": files,
        }
        with _zip_entry(archive, "manifest.json") as fh:
            fh.write(json.dumps(manifest, ensure_ascii=False, indent=2, default=str).encode())
        with _zip_entry(archive, "README.txt") as fh:
            fh.write(readme_text(manifest).encode("utf-8-sig"))
    return manifest
