"""Bytes to text: the encodings a news file may arrive in, and refusing binary files.

Order, and why: a BOM is proof (UTF-8, UTF-16, UTF-32); then strict UTF-8, which almost never
decodes non-UTF-8 text by accident; then a charset the file itself declares (XML declaration or
HTML meta); then cp1252 as the last guess for old Windows/Latin-1 files, but only when it reads
plausibly: no valid UTF-8 multibyte sequences in the bytes (those mean a file mixing encodings,
which we refuse rather than show mojibake) and no control characters.
"""

from __future__ import annotations

import codecs
import re

from storage.records import RejectedFile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"{\\rtf", "RTF document"),
)
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"""
    rb"""|<meta[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A few stray control characters (form feeds, DOS EOF) occur in real text; more means binary.
_MAX_CONTROL_RATIO = 0.01


def decode_text(data: bytes) -> str:
    """Decode file bytes to text, or raise RejectedFile for empty, binary or undecodable data."""
    if not data.strip():
        raise RejectedFile("file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                raise RejectedFile(f"cannot decode text: invalid {encoding} after its BOM") from exc
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise RejectedFile(f"binary file ({kind}), not a text article")
    if b"\x00" in data:
        raise RejectedFile("binary file (contains NUL bytes), not a text article")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _declared_charset(data)
    if declared:
        try:
            return _check_text(data.decode(declared))
        except UnicodeDecodeError:
            pass
    if not _UTF8_MULTIBYTE.search(data):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL.search(text):
                return text
    position = utf8_error.start
    raise RejectedFile(
        f"cannot decode text: not valid UTF-8 (byte 0x{data[position]:02X} at offset {position})"
        " and no usable declared charset; save the file as UTF-8"
    )


def _declared_charset(data: bytes) -> str | None:
    """Return the codec name a file declares for itself in its first bytes, if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A declared UTF-16/32 without a BOM is a lie for an ASCII-readable declaration.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _check_text(text: str) -> str:
    """Refuse decoded text full of control characters: binary data that happened to decode."""
    controls = len(_CONTROL.findall(text))
    if controls > 10 and controls > len(text) * _MAX_CONTROL_RATIO:
        raise RejectedFile("binary file (control characters), not a text article")
    return text
