"""The one bounded reader of user-supplied spreadsheets (xlsx and csv) of the project.

Every spreadsheet a user sends goes through `open_table` (streamed rows, as payroll's monthly
import reads them) or `load_dataset` (a tablib.Dataset for django-import-export and the like)
before any other reader sees it.

xlsx is read with python-calamine (Rust): the bench (bench/payroll.py, section 1) measured
100,000 rows in ~2 s against ~26 s for openpyxl's read-only mode. Calamine returns values,
not formulas, and loads the whole sheet in memory, so before calamine sees the file:
- the zip is checked (number of members, declared uncompressed size, compression ratio of
  each large member: a zip bomb is refused before anything is decompressed);
- the first sheet's XML is decompressed once in bounded chunks (never held whole) and scanned
  with a small regular expression for formulas (``<f>``), merged cells (``<mergeCell>``),
  error values (``t="e"``) and the number of rows and cells, so that a sheet with too many
  rows is refused before calamine loads it;
- every coordinate is bounded in the same pass: cell and row references (``r="XFD1048576"``,
  ``<row r="…">``) and the declared ``<dimension ref="…">``. Calamine sizes its grid from
  coordinates, so one far cell in a 5 KB file would otherwise ask for hundreds of gigabytes.
  Cells without a reference (allowed by the standard, written by no common tool) make a
  second, slower pass that numbers them as calamine does.
csv (French Excel: ``;`` separator, decimal comma, Windows-1252 or UTF-8 with BOM) is read
with the standard csv module from a text stream: the encoding is decided by a first pass
that decodes the whole file incrementally (UTF-8 if every byte sequence is valid UTF-8,
else Windows-1252), the separator from the header line.

Rows are yielded one at a time as (row number the user sees in Excel — header = row 1 —,
cells aligned with the header).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_ROWS = 100_000                  # data rows (the header not counted)
MAX_COLUMNS = 100                   # columns A..CV: no cell, row or dimension beyond is read
MAX_ROW_SLACK = 1000                # title and blank rows allowed above and among the data rows
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # all members of an xlsx together, as declared
MAX_RATIO = 100                     # uncompressed / compressed, for members over 1 MB
MAX_MEMBERS = 1000
MAX_PROBLEMS = 1000                 # cell problems (formulas, merged cells) kept for messages
ACCEPTED = ("xlsx", "csv")

XLSX, CSV = "xlsx", "csv"


class FileRejected(Exception):
    """The file as a whole cannot be read; `message` says why, for the user."""

    def __init__(self, message: str, *, code: str = "file", row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message, self.code, self.row, self.column = message, code, row, column


@dataclass
class CellProblem:
    """Something in the sheet XML that calamine's values would hide."""

    code: str          # "formula" | "merged" | "error_value"
    row: int | None    # as in Excel (1-based)
    col: int | None    # 0-based absolute column index
    ref: str           # "G5" or "B9:C9"


@dataclass
class Table:
    kind: str
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list]]
    total_rows: int                  # rows after the header (estimate, for the progress bar)
    col_offset: int = 0              # absolute index of header[0] (xlsx data may start in column B)
    problems: list[CellProblem] = field(default_factory=list)
    problem_count: int = 0
    encoding: str = ""
    delimiter: str = ""


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA" (for messages about unnamed columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def max_row_number() -> int:
    """The last sheet row (1-based, as in Excel) a cell may be in."""
    return MAX_ROWS + 1 + MAX_ROW_SLACK


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@contextmanager
def open_table(path: str | Path, *, name: str) -> Iterator[Table]:
    """Open `path` (a .xlsx or .csv file originally called `name`) and give its rows.

    Raises FileRejected for anything that makes the whole file unreadable. Iterating
    `table.rows` may raise FileRejected too (a csv with too many rows, a broken record)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(_("The file is empty."), code="empty")
    if size > settings.MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}, code="too_big")
    ext = extension_of(name)
    with path.open("rb") as handle:
        head = handle.read(8)
    is_zip = head.startswith(b"PK\x03\x04")
    if ext == XLSX:
        if not is_zip:
            raise FileRejected(_("This is not an Excel workbook (.xlsx): its content is not. If it is an old .xls "
                                 "file or is protected by a password, save it again as .xlsx without a password."),
                               code="not_a_spreadsheet")
        with _open_xlsx(path) as table:
            yield table
    elif ext == CSV:
        if is_zip:
            raise FileRejected(_("This file is an Excel workbook named .csv: upload it as .xlsx, or save it as CSV."),
                               code="not_a_spreadsheet")
        with _open_csv(path) as table:
            yield table
    else:
        raise FileRejected(_("Files of type “.%(ext)s” are not accepted. Accepted: .xlsx, .csv.") % {"ext": ext or "?"},
                           code="not_a_spreadsheet")


# --- xlsx -------------------------------------------------------------------------------------

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_CHUNK = 1024 * 1024
_KEEP = 4096


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in _ATTR.findall(raw)}


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _parse_ref(ref: str) -> tuple[int | None, int | None]:
    match = _REF.match(ref)
    if not match:
        return None, None
    return int(match.group(2)), _col_index(match.group(1))


def _small_member(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > 5 * 1024 * 1024:
        raise FileRejected(_("This workbook's structure is abnormally large; it was not read."), code="zip_bomb")
    return zf.read(name)


def _first_sheet_member(zf: zipfile.ZipFile) -> str:
    """The XML part of the workbook's first sheet (the one calamine reads as index 0)."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        raise FileRejected(_("This is not an Excel workbook (.xlsx)."), code="not_a_spreadsheet")
    match = _SHEET.search(_small_member(zf, "xl/workbook.xml"))
    if not match:
        raise FileRejected(_("The workbook has no sheet."), code="empty")
    rel_id = match.group(1)
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _REL.findall(_small_member(zf, "xl/_rels/workbook.xml.rels")):
            attrs = _attrs(rel)
            if attrs.get(b"Id") == rel_id and b"Target" in attrs:
                target = attrs[b"Target"].decode("utf-8", "replace")
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                parts: list[str] = []
                for part in member.split("/"):
                    if part == "..":
                        parts = parts[:-1]
                    elif part and part != ".":
                        parts.append(part)
                member = "/".join(parts)
                if member in names:
                    return member
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise FileRejected(_("The workbook has no sheet."), code="empty")


def _check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the declared sizes, before decompressing anything."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FileRejected(_("This workbook holds too many parts (%(count)d); it was not read.") % {
            "count": len(infos)}, code="zip_bomb")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise FileRejected(_("This workbook would take %(size)s once decompressed; the limit is %(limit)s. "
                             "It was not read.") % {"size": filesizeformat(total),
                                                    "limit": filesizeformat(MAX_UNCOMPRESSED)}, code="zip_bomb")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRejected(_("This workbook is compressed abnormally (%(ratio)d to 1): it looks like a zip bomb "
                                 "and was not read.") % {"ratio": info.file_size // max(info.compress_size, 1)},
                               code="zip_bomb")


@dataclass
class _Scan:
    rows: int = 0
    cells: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    problem_count: int = 0

    def add(self, code: str, ref: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            row, col = _parse_ref(ref.split(":")[0]) if ref else (None, None)
            self.problems.append(CellProblem(code, row, col, ref))


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")
_RARE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(f|mergeCell)(?=[\s>/])([^>]*)>"
                   rb"|<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?\bt=\"e\"[^>]*)>")


_LETTERS, _DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_ANY_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b([^>]*)>")


def _above(limit: str, alphabet: str) -> str:
    """A regular expression for the strings as long as `limit`, over `alphabet`, greater than it."""
    parts = []
    for i, ch in enumerate(limit):
        following = alphabet[alphabet.index(ch) + 1:]
        if following:
            rest = len(limit) - i - 1
            tail = f"[{alphabet[0]}-{alphabet[-1]}]{{{rest}}}" if rest else ""
            parts.append(re.escape(limit[:i]) + f"[{following[0]}-{following[-1]}]" + tail)
    return "|".join(parts) or "(?!)"


def _too_far(ref: str) -> FileRejected:
    ref = ref[:20]
    if ref.isdigit():
        ref = _("row %(number)s") % {"number": ref}
    return FileRejected(_("The sheet has content at %(ref)s, beyond what is read (columns A to %(column)s, rows 1 to "
                          "%(row)s). Delete what is beyond, or split the file; nothing was read.") % {
        "ref": ref, "column": column_letter(MAX_COLUMNS - 1),
        "row": number_format(max_row_number(), force_grouping=True)}, code="too_far")


def _check_ref(raw: bytes, *, row_only: bool = False) -> None:
    """Refuse a reference ("B12", "12" for a row, "A1:D40" for a dimension) beyond the limits."""
    text = raw.decode("ascii", "replace").strip().upper()
    for part in text.split(":"):
        match = re.fullmatch(r"\$?([A-Z]*)\$?([0-9]*)", part.strip())
        if not match or "&" in part or (row_only and match.group(1)):
            raise _too_far(text)
        letters, digits = match.groups()
        if letters and (len(letters) > 3 or _col_index(letters) >= MAX_COLUMNS):
            raise _too_far(text)
        if digits and int(digits) > max_row_number():
            raise _too_far(text)


_WINDOW = 12  # bytes read after `r="`: a reference in bounds is at most "CV101001" and its quote
_SPACE = np.array([0x20, 0x09, 0x0A, 0x0D], dtype=np.uint8)
_ODD_REF = re.compile(rb"\sr\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _check_far(buffer: bytes, limit: int) -> None:
    """Bound every `r` attribute (cell and row references) that starts before `limit`.

    Vectorised with numpy, because a regular expression visiting 3 million references costs
    seconds: every ` r="` is located, the bytes after it are classified, and each reference
    whose shape is not letters-then-digits-then-quote, or whose column or row is beyond the
    limits, is checked exactly by `_check_ref` (so a leading zero is not refused, a far cell,
    a lower-case or entity-encoded reference is). The forms `r='…'` and `r = "…"` (valid XML,
    written by no common tool) are found as `r=` not followed by `"`, and `=` after a space."""
    if limit <= 0:
        return
    padded = np.frombuffer(buffer + b"\0" * (_WINDOW + 4), dtype=np.uint8)
    head = padded[:limit]
    candidates: list[int] = []
    # ` r=`: the attribute named r, after white space (two passes over the buffer, then small arrays)
    starts = np.flatnonzero(head == ord("r"))
    starts = starts[starts > 0]
    starts = starts[padded[starts + 1] == ord("=")]
    starts = starts[np.isin(padded[starts - 1], _SPACE)]
    if starts.size:
        quoted = padded[starts + 2] == ord('"')
        candidates.extend(int(i) for i in starts[~quoted])  # r='…' or r= "…"
        starts = starts[quoted]
        window = padded[starts[:, None] + np.arange(3, 3 + _WINDOW)]
        upper = (window[:, :4] >= 65) & (window[:, :4] <= 90)
        letters = upper[:, 0].astype(np.int8) + (upper[:, 0] & upper[:, 1]) + (upper[:, 0] & upper[:, 1] & upper[:, 2]) \
            + upper.all(axis=1)
        quote = np.argmax(window == ord('"'), axis=1)  # 0 when there is none: not fine below
        position = np.arange(_WINDOW)
        body = (position >= letters[:, None]) & (position < quote[:, None])
        digit = (window >= 48) & (window <= 57)
        digits = quote - letters
        fine = (letters <= 3) & (digits >= 1) & ~(body & ~digit).any(axis=1)
        # the column, from at most three letters (0 when none)
        c = window[:, :3].astype(np.int64) - 64
        column = np.select([letters == 1, letters == 2, letters == 3],
                           [c[:, 0], c[:, 0] * 26 + c[:, 1], (c[:, 0] * 26 + c[:, 1]) * 26 + c[:, 2]], 0) - 1
        fine &= column < MAX_COLUMNS
        # the row: only references as long as the last row allowed need their value
        width = len(str(max_row_number()))
        fine &= digits <= width
        near = np.flatnonzero(fine & (digits == width))
        for i in near:
            start = int(starts[i]) + 3 + int(letters[i])
            if int(buffer[start:start + width]) > max_row_number():
                fine[i] = False
        candidates.extend(int(i) for i in starts[~fine])
    # `r = "…"`: an equals sign after white space (rare in a sheet's XML)
    equals = np.flatnonzero(head == ord("="))
    equals = equals[equals > 0]
    for i in equals[np.isin(padded[equals - 1], _SPACE)]:
        match = _ODD_REF.search(buffer, max(int(i) - 40, 0), int(i) + 40 + _WINDOW)
        if match is not None:
            candidates.append(match.start() + 1)
    for start in sorted(candidates):
        value = _ANY_ATTR.match(buffer, start)
        if value is None:
            raise _too_far(buffer[start:start + 20].decode("ascii", "replace"))
        _check_ref(value.group(2) if value.group(2) is not None else value.group(3))


def _check_dimension(buffer: bytes, limit: int) -> None:
    for match in _DIMENSION.finditer(buffer):
        if match.start() >= limit:
            break
        for name, double, single in _ANY_ATTR.findall(match.group(1)):
            if name.split(b":")[-1] == b"ref":
                _check_ref(double or single)


def _scan_sheet(zf: zipfile.ZipFile, member: str) -> _Scan:
    """Stream the sheet XML once, in bounded chunks: count rows and cells (C-speed
    `bytes.count`), bound every coordinate (a regular expression that matches only far or
    disguised references, and the declared dimension), and only in a chunk that holds one,
    locate formulas, merged cells and error values. Rejects too many rows or cells and any far
    coordinate as soon as they are seen, before any reader allocates anything."""
    scan = _Scan()
    max_rows, max_cells = MAX_ROWS + 1, (MAX_ROWS + 1) * MAX_COLUMNS
    prefix: bytes | None = None
    buffer = b""
    positioned = 0  # cells written `<c r="…` (every common writer): the others need _scan_positions
    try:
        with zf.open(member) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                final = not chunk
                buffer += chunk
                if prefix is None:
                    root = _ROOT.search(buffer, 0, 65536)
                    if root is None and not final and len(buffer) < 65536:
                        continue
                    prefix = (root.group(1) + b":") if root is not None and root.group(1) else b""
                    row_tags = (b"<" + prefix + b"row ", b"<" + prefix + b"row>")
                    cell_tags = (b"<" + prefix + b"c ", b"<" + prefix + b"c>")
                    cell_open = cell_tags[0]
                    cell_positioned = b"<" + prefix + b'c r="'
                    rare_markers = (b"<" + prefix + b"f", b"mergeCell", b't="e"')
                limit = len(buffer) if final else len(buffer) - _KEEP
                if limit > 0:
                    scan.rows += sum(buffer.count(tag, 0, limit + len(tag) - 1) for tag in row_tags)
                    scan.cells += sum(buffer.count(tag, 0, limit + len(tag) - 1) for tag in cell_tags)
                    positioned += buffer.count(cell_positioned, 0, limit + len(cell_positioned) - 1)
                    _check_far(buffer, limit)
                    if b"dimension" in buffer:
                        _check_dimension(buffer, limit)
                    if any(marker in buffer for marker in rare_markers):
                        _scan_rare(scan, buffer, limit, cell_open)
                if scan.rows > max_rows:
                    raise FileRejected(_("The sheet has more than %(max)s rows; split the file.") % {
                        "max": number_format(MAX_ROWS, force_grouping=True)}, code="too_many_rows")
                if scan.cells > max_cells:
                    raise FileRejected(_("The sheet has too many cells; it was not read."), code="too_many_rows")
                if final:
                    break
                buffer = buffer[max(limit, 0):]
        if positioned != scan.cells:
            _scan_positions(zf, member, prefix or b"")
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError):
        raise FileRejected(_("This Excel workbook is damaged and cannot be read."), code="not_a_spreadsheet") from None
    return scan


def _scan_positions(zf: zipfile.ZipFile, member: str, prefix: bytes) -> None:
    """The slow pass, for sheets with cells (or rows) without a reference: number them as
    calamine does (a row without `r` follows the previous one; a cell without `r` follows the
    previous cell of its row) and bound each position. Python-speed, but the cell count was
    already bounded by the first pass."""
    tags = re.compile(rb"<" + re.escape(prefix) + rb"(row|c)(?=[\s>/])([^>]*)>")
    row, col = 0, -1
    buffer = b""
    with zf.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            final = not chunk
            buffer += chunk
            limit = len(buffer) if final else len(buffer) - _KEEP
            consumed = 0
            for match in tags.finditer(buffer):
                if match.start() >= limit:
                    break
                consumed = match.end()
                ref = next((d or s for n, d, s in _ANY_ATTR.findall(match.group(2)) if n.split(b":")[-1] == b"r"),
                           None)
                if match.group(1) == b"row":
                    row = _ref_position(ref, row_only=True)[0] if ref else row + 1
                    col = -1
                elif ref:
                    row, col = _ref_position(ref)
                else:
                    col += 1
                if col >= MAX_COLUMNS or row > max_row_number():
                    raise _too_far(f"{column_letter(max(col, 0))}{row}")
            if final:
                return
            buffer = buffer[max(consumed, limit, 0):]


def _ref_position(raw: bytes, *, row_only: bool = False) -> tuple[int, int]:
    """(row, 0-based column) of a bounded reference."""
    _check_ref(raw, row_only=row_only)
    match = re.fullmatch(r"\$?([A-Z]*)\$?([0-9]*)", raw.decode("ascii").strip().upper())
    letters, digits = match.groups()
    return (int(digits) if digits else 0), (_col_index(letters) if letters else -1)


def _scan_rare(scan: _Scan, buffer: bytes, limit: int, cell_open: bytes) -> None:
    for match in _RARE.finditer(buffer):
        if match.start() >= limit:
            break
        tag = match.group(1)
        if tag == b"f":
            start = buffer.rfind(cell_open, 0, match.start())
            ref = _attrs(buffer[start:buffer.find(b">", start)]).get(b"r", b"") if start >= 0 else b""
            scan.add("formula", ref.decode("ascii", "replace"))
        elif tag == b"mergeCell":
            scan.add("merged", _attrs(match.group(2)).get(b"ref", b"").decode("ascii", "replace"))
        else:
            scan.add("error_value", _attrs(match.group(3)).get(b"r", b"").decode("ascii", "replace"))


# --- the memory ceiling -------------------------------------------------------------------------
# Whatever slips through the pre-scan fails alone: calamine first loads the sheet in a child
# interpreter whose address space is capped (RLIMIT_AS) and whose time is capped; only when it
# succeeds does the calling process (a Celery worker, or the web process in eager mode) load it.
# A Rust allocation failure aborts the child, never the caller. The cost is one more load of the
# sheet (bench/spreadsheets.py prints it) — paid for a ceiling that holds whatever the file is.

_GUARD = """
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    from python_calamine import CalamineError, CalamineWorkbook
    sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
    rows = sheet.height  # loading the sheet is what costs memory; rows are converted one by one later
except MemoryError:
    sys.exit(4)
except Exception:
    sys.exit(3)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # includes the forking parent's peak on Linux
try:
    with open("/proc/self/status") as status:  # VmHWM: this process's own peak, since exec
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration, ValueError):
    pass
print(json.dumps({"rows": rows, "maxrss_kb": peak}))
"""


@dataclass
class GuardReport:
    rows: int
    maxrss_kb: int
    seconds: float


def guarded_load(path: str | Path) -> GuardReport | None:
    """Load the workbook's first sheet with calamine in a child process capped at
    settings.SPREADSHEET_MEMORY_MB of address space and SPREADSHEET_SECONDS of time.
    FileRejected when it fails; None when the ceiling is off (SPREADSHEET_MEMORY_MB = 0)."""
    import json
    import subprocess
    import sys
    import time

    limit_mb = settings.SPREADSHEET_MEMORY_MB
    if not limit_mb:
        return None
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _GUARD, str(path), str(limit_mb * 1024 * 1024)],
                              capture_output=True, timeout=settings.SPREADSHEET_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise FileRejected(_("Reading this workbook takes too long (over %(seconds)s seconds); it was not read. "
                             "Split the file.") % {"seconds": settings.SPREADSHEET_SECONDS}, code="too_slow") from None
    if done.returncode == 3:
        raise FileRejected(_("This Excel workbook cannot be read (damaged, protected or not really .xlsx)."),
                           code="not_a_spreadsheet")
    if done.returncode != 0:
        raise FileRejected(_("Reading this workbook would take more than %(limit)s of memory; it was not read. "
                             "Delete the empty rows and columns beyond the data, or split the file.") % {
            "limit": filesizeformat(limit_mb * 1024 * 1024)}, code="too_much_memory")
    figures = json.loads(done.stdout)
    return GuardReport(rows=figures["rows"], maxrss_kb=figures["maxrss_kb"], seconds=time.monotonic() - started)


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as zf:
            _check_zip(zf)
            member = _first_sheet_member(zf)
            scan = _scan_sheet(zf, member)
    except zipfile.BadZipFile:
        raise FileRejected(_("This Excel workbook is damaged and cannot be read."), code="not_a_spreadsheet") from None
    guarded_load(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError):
        raise FileRejected(_("This Excel workbook cannot be read (damaged, protected or not really .xlsx)."),
                           code="not_a_spreadsheet") from None
    try:
        if sheet.start is None:
            raise FileRejected(_("The first sheet of the workbook is empty."), code="empty")
        col_offset = sheet.start[1]
        # calamine's iter_rows starts at the sheet's first row (row 1) and at its first used column.
        rows = enumerate(sheet.iter_rows(), start=1)
        header_row, header = _find_header(rows)
        total = max((sheet.end[0] + 1 if sheet.end else header_row) - header_row, 0)
        yield Table(kind=XLSX, header_row=header_row, header=header, rows=_data_rows(rows, len(header)),
                    total_rows=total, col_offset=col_offset, problems=scan.problems,
                    problem_count=scan.problem_count)
    finally:
        workbook.close()


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, list[str]]:
    for number, cells in rows:
        if any(not is_blank(c) for c in cells):
            header = [("" if is_blank(c) else str(c).strip()) for c in cells]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise FileRejected(_("The sheet has %(count)d columns; at most %(max)d are read.") % {
                    "count": len(header), "max": MAX_COLUMNS}, code="too_many_columns", row=number)
            return number, header
    raise FileRejected(_("The sheet is empty: no header row and no data."), code="empty")


def _data_rows(rows: Iterator[tuple[int, list]], width: int) -> Iterator[tuple[int, list]]:
    count = 0
    for number, cells in rows:
        if all(is_blank(c) for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRejected(_("The file has more than %(max)s rows; split it.") % {
                "max": number_format(MAX_ROWS, force_grouping=True)}, code="too_many_rows", row=number)
        yield number, cells


# --- csv --------------------------------------------------------------------------------------

def _detect_encoding(path: Path) -> tuple[str, int]:
    """(encoding, number of lines). UTF-8 (with or without BOM) if the whole file decodes as
    UTF-8, else Windows-1252 (Excel's "CSV (séparateur : point-virgule)" on a French Windows).
    Decided on the whole file, decoded incrementally: an "é" on row 90,000 counts."""
    with path.open("rb") as handle:
        head = handle.read(4)
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8", "cp1252"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    text = decoder.decode(chunk)
                    if "\x00" in text:
                        raise FileRejected(_("This is not a spreadsheet or a CSV file (it holds binary data)."),
                                           code="not_a_spreadsheet")
                    lines += text.count("\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines + 1
    raise FileRejected(_("The characters of this CSV file cannot be read. Save it from Excel as “CSV UTF-8”."),
                       code="encoding")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise FileRejected(_("Only one column was found: save the file as CSV with “;” separators "
                             "(Excel: CSV (séparateur : point-virgule))."), code="one_column", row=1)
    return delimiter


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding, lines = _detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as text:
        first = ""
        for line in text:
            if line.strip():
                first = line
                break
        if not first:
            raise FileRejected(_("The file is empty: no header row and no data."), code="empty")
        delimiter = _sniff_delimiter(first)
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        records = _csv_records(reader)
        header_row, header = _find_header(records)
        yield Table(kind=CSV, header_row=header_row, header=header, rows=_data_rows(records, len(header)),
                    total_rows=max(lines - header_row, 0), encoding=encoding, delimiter=delimiter)


def _csv_records(reader) -> Iterator[tuple[int, list]]:
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected(_("Row %(row)d cannot be read as CSV (%(error)s).") % {
                "row": number + 1, "error": exc}, code="bad_csv", row=number + 1) from None
        number += 1
        yield number, cells


def problem_column(table: Table, problem: CellProblem) -> str:
    """The header of the column a sheet problem is in (or its letter)."""
    if problem.col is None:
        return ""
    index = problem.col - table.col_offset
    if 0 <= index < len(table.header) and table.header[index]:
        return table.header[index]
    return column_letter(problem.col)


# --- for django-import-export and other readers -----------------------------------------------

@contextmanager
def as_path(file_or_path) -> Iterator[Path]:
    """A path on disk for an uploaded file, an open binary file or a path. An upload held in
    memory is copied to a temporary file (at most MAX_UPLOAD_BYTES are copied)."""
    if isinstance(file_or_path, str | Path):
        yield Path(file_or_path)
        return
    if hasattr(file_or_path, "temporary_file_path"):
        yield Path(file_or_path.temporary_file_path())
        return
    import tempfile

    with tempfile.NamedTemporaryFile(prefix="mutualise-sheet-", suffix=".upload") as copy:
        file_or_path.seek(0)
        written = 0
        while chunk := file_or_path.read(_CHUNK):
            written += len(chunk)
            if written > settings.MAX_UPLOAD_BYTES:
                raise FileRejected(_("The file is over the limit of %(limit)s.") % {
                    "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}, code="too_big")
            copy.write(chunk)
        copy.flush()
        file_or_path.seek(0)
        yield Path(copy.name)


def load_dataset(file_or_path, *, name: str):
    """The first sheet of a user's .xlsx or .csv as a tablib.Dataset, read only after every
    bound above held: headers from the first non-empty row, then one row per non-empty row,
    values as calamine gives them (str, int, float, bool, date, datetime; "" when empty) or
    as text from a csv. `dataset.row_numbers` holds the row number the user sees for each
    row (the header is row 1 when it is the first line). Formulas count by their last
    computed value. Raises FileRejected (a French message in `.message`) when the file cannot
    be read as a whole: wrong type, damaged, too big, too many rows, a far cell, a value
    outside the named columns."""
    import tablib

    with as_path(file_or_path) as path, open_table(path, name=name) as table:
        width = len(table.header)
        dataset = tablib.Dataset(headers=table.header)
        numbers = []
        for number, cells in table.rows:
            extra = next((i for i in range(width, len(cells)) if not is_blank(cells[i])), None)
            if extra is not None:
                raise FileRejected(_("Row %(row)d has a value in column %(letter)s, which has no header: name the "
                                     "column or delete the value.") % {
                    "row": number, "letter": column_letter(table.col_offset + extra)}, code="value_without_header",
                    row=number)
            row = list(cells[:width])
            row.extend([""] * (width - len(row)))
            dataset.append(row)
            numbers.append(number)
        dataset.row_numbers = numbers
    return dataset


# --- cell values as French users type them ---------------------------------------------------

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def french_decimal(value, *, unit: str = "") -> Decimal | None:
    """A number cell, or a text typed the French way ("151,67", "1 234,5", with `unit` such
    as "%" or "€" after it), as a Decimal; None when empty. ValueError when it is not a
    finite number: each caller words its own message.

    xlsx stores numbers as binary doubles: `repr` gives the shortest decimal that reads back
    to the same double, i.e. what the user typed (151.67), and Decimal is built from that text."""
    if value in ("", None):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        if unit:
            text = text.removesuffix(unit)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def french_date(value) -> datetime.date | None:
    """A date cell, or a text "31/01/2026" (or 2026-01-31, 31-01-2026, 31.01.2026); None when
    empty; ValueError otherwise."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


__all__ = ["ACCEPTED", "MAX_COLUMNS", "MAX_ROWS", "CellProblem", "FileRejected", "Table", "as_path", "column_letter",
           "extension_of", "french_date", "french_decimal", "is_blank", "load_dataset", "max_row_number", "open_table", "problem_column"]
