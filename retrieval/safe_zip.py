"""Unpack a zip-based document (DOCX) within limits, before any parser sees it.

A 1 MB DOCX can hold a gigabyte of repeated bytes, and python-docx reads each part whole before
lxml parses it: such a zip bomb took the bot from 335 MB to 2.3 GB of memory. So the package is
checked twice. First its central directory (entry count, declared sizes, compression ratio,
method, encryption flag), which refuses an honest bomb at once. Then, since headers can lie,
every part is unpacked in small pieces while counting the bytes that really come out, and
copied into a new, uncompressed package: the parser only ever reads that copy, whose sizes and
checksums are the ones we counted. A refusal is a `DocumentError` naming the file and reason.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from retrieval.errors import DocumentError, Reason

#: Most parts in one package. A Word file has 15 to 60 parts, a few hundred with many images.
MAX_ENTRIES = 1000
#: Most bytes a package may unpack to. An upload is at most 10 MB; pictures barely compress
#: and Word's XML compresses 3 to 30 times. A guide-sized DOCX (200 pages of prose, a table, a
#: full-page photo) unpacks to about 8 MB (see tests/retrieval/test_hostile_uploads.py). Parsing
#: costs about 10 times the XML's size: a package of 19.8 MB of XML peaked 207 MB above the
#: start, so at 20 MB the bot (about 335 MB with its model) stays under its 600 MB budget.
MAX_UNPACKED_BYTES = 20_000_000
#: Highest unpacked/packed ratio of one part larger than RATIO_FLOOR. Word's own XML rarely
#: passes 30 (styles.xml is about 29); deflate tops out near 1,030 (repeated bytes).
MAX_RATIO = 150
RATIO_FLOOR = 1_000_000
#: Compression methods Office writes; others (bzip2, lzma) unpack without a size bound in
#: zipfile and never occur in a real DOCX.
ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}
#: Bytes unpacked per read: zipfile inflates at most about this much per call.
PIECE = 64 * 1024
_ENCRYPTED_FLAG = 0x1


def unpacked_safely(
    name: str,
    data: bytes,
    *,
    max_entries: int = MAX_ENTRIES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_RATIO,
) -> bytes:
    """A stored (uncompressed) copy of the zip in ``data`` if it unpacks within the limits.

    Raises DocumentError (ZIP_ENTRIES, ZIP_UNPACKED, ZIP_RATIO, ZIP_METHOD, DOCX_PASSWORD or
    DOCX_DAMAGED) otherwise; memory stays within about ``max_unpacked`` plus one piece.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(name, Reason.DOCX_DAMAGED) from exc
    with package:
        entries = package.infolist()
        _check_directory(name, entries, max_entries, max_unpacked, max_ratio)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            total = 0
            for info in entries:
                if info.is_dir():
                    continue
                total = _copy_entry(name, package, info, copy, total, max_unpacked)
    return out.getvalue()


def _check_directory(
    name: str,
    entries: list[zipfile.ZipInfo],
    max_entries: int,
    max_unpacked: int,
    max_ratio: int,
) -> None:
    """Refuse from the central directory alone: cheap, and enough for an honest bomb."""
    if len(entries) > max_entries:
        raise DocumentError(name, Reason.ZIP_ENTRIES, count=len(entries), limit=max_entries)
    if len({info.filename for info in entries}) < len(entries):
        # Two parts of one name: zipfile would read one, a parser perhaps the other.
        raise DocumentError(name, Reason.DOCX_DAMAGED)
    if sum(info.file_size for info in entries) > max_unpacked:
        raise DocumentError(name, Reason.ZIP_UNPACKED, limit=max_unpacked // 1_000_000)
    for info in entries:
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise DocumentError(name, Reason.DOCX_PASSWORD)
        if info.compress_type not in ALLOWED_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise DocumentError(name, Reason.ZIP_METHOD, method=method)
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise DocumentError(name, Reason.ZIP_RATIO, part=info.filename[:80])


def _copy_entry(
    name: str,
    package: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    copy: zipfile.ZipFile,
    total: int,
    max_unpacked: int,
) -> int:
    """Copy one part piece by piece, counting real bytes; returns the running total."""
    try:
        with package.open(info) as source, copy.open(info.filename, "w") as target:
            while piece := source.read(PIECE):
                total += len(piece)
                if total > max_unpacked:
                    raise DocumentError(name, Reason.ZIP_UNPACKED, limit=max_unpacked // 1_000_000)
                target.write(piece)
    except DocumentError:
        raise
    # zipfile raises these for a bad checksum, a truncated or corrupt stream, a bad header.
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DocumentError(name, Reason.DOCX_DAMAGED) from exc
    return total
