"""Bytes to text: the encodings a news file may arrive in, and refusing binary files.

Order, and why, as the best feed readers do it: a BOM is proof (UTF-8, UTF-16, UTF-32); then
UTF-16/32 without a BOM, told by where the NUL bytes of ASCII markup fall; then strict UTF-8,
which almost never decodes non-UTF-8 text by accident; then a charset the file itself declares
(XML declaration or HTML meta); then UTF-8 with a handful of invalid bytes in a long text
(replaced and logged: one stray byte must not lose a 100 KB page); then detection of an
undeclared legacy encoding (chardet: KOI8-R, Shift_JIS, EUC-JP/KR, GB2312, Big5, cp1252…). A
text still mixing encodings is refused rather than stored as mojibake.
"""

from __future__ import annotations

import codecs
import logging
import re

import chardet

from storage.records import RejectedFile

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
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
# UTF-8 bytes read as cp1252: a lead byte's character, then continuation bytes' characters.
_CONTINUATION = "".join(bytes([byte]).decode("cp1252", "ignore") for byte in range(0x80, 0xC0))
_MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
                           f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}")
# The common telltales ("Ã©", "â€"): cheap to look for before trying a repair.
_MOJIBAKE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
                       "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
# A few stray control characters (form feeds, DOS EOF) occur in real text; more means binary.
_MAX_CONTROL_RATIO = 0.01
# Invalid UTF-8 sequences tolerated (replaced, logged): at most this many, and one per 1,000 bytes.
_MAX_INVALID = 16
_INVALID_PER_BYTE = 1 / 1000
_MAX_NULS = 64
_MIN_DETECT_CONFIDENCE = 0.2  # chardet is right on short CJK/Cyrillic texts at 0.3-0.4
_DETECT_BYTES = 200_000  # enough to recognize an encoding; chardet's time grows with input


def decode_text(data: bytes) -> str:
    """Decode file bytes to text, or raise RejectedFile for empty, binary or undecodable data."""
    if not data.strip():
        raise RejectedFile("file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_text(_decode_tolerant(data, encoding).lstrip("\ufeff"))
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise RejectedFile(f"binary file ({kind}), not a text article")
    wide = _utf16_or_32(data)
    if wide:
        return _check_text(_decode_tolerant(data, wide))
    if b"\x00" in data:
        nuls = data.count(0)
        if nuls > _MAX_NULS or nuls > len(data) * _INVALID_PER_BYTE:
            raise RejectedFile("binary file (contains NUL bytes), not a text article")
        # A few stray NULs in a long page (a broken template) are noise, not a binary file.
        logger.info("dropped %d NUL byte(s) from a %d-byte file", nuls, len(data))
        data = data.replace(b"\x00", b"")
    try:
        return _check_text(_repair_mojibake(data.decode("utf-8")))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        try:
            return _check_text(_repair_mojibake(data.decode(declared)))
        except UnicodeDecodeError:
            pass
    if _UTF8_MULTIBYTE.search(data):
        text = _few_invalid(data, "utf-8")
        if text is not None:
            return _check_text(_repair_mojibake(text))
    valid = len(_UTF8_MULTIBYTE.findall(data))
    # Mostly valid UTF-8 with a few strays in a short text: mixed encodings, refused below.
    detected = None if valid >= _invalid_utf8(data) else _detect(data)
    if detected:
        return _check_text(_repair_mojibake(detected))
    position = utf8_error.start
    raise RejectedFile(
        f"cannot decode text: not valid UTF-8 (byte 0x{data[position]:02X} at offset {position})"
        " and no usable declared or detectable charset; save the file as UTF-8"
    )


def declared_charset(data: bytes) -> str | None:
    """Return the codec name a file declares for itself in its first bytes, if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A declared UTF-16/32 read through an ASCII-compatible pattern was already decoded wide.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _utf16_or_32(data: bytes) -> str | None:
    """Tell UTF-16/32 without a BOM from where the NULs of its first ASCII characters fall."""
    head = data[:4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    if head[0] and not any(head[1:]):
        return "utf-32-le"
    if head[3] and not any(head[:3]):
        return "utf-32-be"
    if head[0] and head[2] and not head[1] and not head[3]:
        return "utf-16-le"
    if head[1] and head[3] and not head[0] and not head[2]:
        return "utf-16-be"
    return None


def _decode_tolerant(data: bytes, encoding: str) -> str:
    """Decode in a known encoding, replacing a handful of invalid bytes; refuse more."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = _few_invalid(data, encoding)
        if text is None:
            raise RejectedFile(f"cannot decode text: too many bytes invalid in {encoding} "
                               f"(first at offset {exc.start})") from exc
        return text


def _few_invalid(data: bytes, encoding: str) -> str | None:
    """The text with invalid sequences replaced when they are only a handful; else None."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    if bad > min(_MAX_INVALID, len(data) * _INVALID_PER_BYTE):
        return None
    logger.info("replaced %d invalid %s byte sequence(s) in a %d-byte file", bad, encoding,
                len(data))
    return text


def _invalid_utf8(data: bytes) -> int:
    """How many invalid UTF-8 sequences the bytes hold."""
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.decode(
        "utf-8", errors="ignore").count("\ufffd")


def _detect(data: bytes) -> str | None:
    """Decode an undeclared legacy encoding that chardet recognizes with some confidence."""
    guess = chardet.detect(data[:_DETECT_BYTES])
    encoding = guess.get("encoding")
    if not encoding or (guess.get("confidence") or 0) < _MIN_DETECT_CONFIDENCE:
        encoding = "cp1252"  # the classic default for undeclared 8-bit Western text
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if _CONTROL.search(text) else text


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 ("CafÃ© in ZÃ¼rich", "worldâ€™s"): such text cannot be searched."""
    if not _MOJIBAKE.search(text):
        return text
    repaired = _MOJIBAKE_RUN.sub(_redecode, text)
    if repaired != text:
        logger.info("repaired text that was UTF-8 read as cp1252")
    return repaired


def _redecode(match: re.Match[str]) -> str:
    try:
        return match.group().encode("cp1252").decode("utf-8")
    except UnicodeError:
        return match.group()


def _check_text(text: str) -> str:
    """Refuse decoded text full of control characters: binary data that happened to decode."""
    controls = len(_CONTROL.findall(text))
    if controls > 10 and controls > len(text) * _MAX_CONTROL_RATIO:
        raise RejectedFile("binary file (control characters), not a text article")
    return text
