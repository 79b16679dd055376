"""Agency wire copy sent as plain text: AP's ANPA 1312 takes (`.tst`), dpa's IPTC 7901 text
service, and messages framed for teleprinters (AAP's `ZCZC` … `NNNN`). Each is one story: a
header of codes, a slug, the headline and byline, the body, a sign-off and the time sent.

The slug (`BC-BKN--Heat-Hawks`, `Yemen/conflict/`) is what the agency keeps for every take,
lead and writethru of a story, so it and the day make the story's id: the next version, in a
file of its own, updates the story instead of adding another. Control bytes (SOH, STX, ETX,
the `\\x1f` separators) frame an ANPA transmission and are dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storage.readers.cleaning import normalize_text, plain_paragraphs
from storage.readers.fields import byline_name, make_article
from storage.records import Article

FORMAT = "wire"

# ANPA: a category line `r z BC-BKN--Heat-Hawks 1stLd-Writethru   02-20 0500` (priority,
# category, slug and version, month-day, word count) among the first lines, then `^` lines.
_ANPA_CATEGORY = re.compile(r"^[a-z] [a-z]{1,2} +(\S+).*?\b(\d\d)-(\d\d) +\d{3,5}[ \t]*$", re.M)
_ANPA_TRAILER = re.compile(r"^\s*AP-[A-Z]{2}-(\d\d)-(\d\d)-(\d\d) (\d\d)(\d\d) ?GMT\s*<?\s*$", re.M)
# The keyword line: the slug, the version, the word count (`BC-Heat-Hawks, 1st Ld,416`), after
# a selector code some services put first (`*9006< ^`).
_ANPA_KEYWORD = re.compile(r"((?:BC|AP)-[^,]+|[^,]+(?=,\s*\d{3,4}$)),.*\d{3,4}$")
_ANPA_SELECTOR = re.compile(r"^\*\d+<\s*\^?")
# Head lines that are notes to editors, not the story's: photos, `Eds:` notes.
_ANPA_NOTE = re.compile(r"^(?:AP Photos?|AP Video|AP Graphics?|Eds?:|Editors?:)", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1e\x7f]")
_OPENING = 4096  # characters: every header these formats open with is within them
# dpa 7901: `eca0124 3 i 93  dpa 1888` (service and number, priority, category, words, source).
_DPA_HEADER = re.compile(r"\A\s*[a-z]{3}\d{4} \d [a-z]{1,3} \d+ +dpa[\w-]* \d{4}[ \t]*\n")
_DPA_SIGN_OFF = re.compile(r"^dpa(?: [a-z]{2,4})+$")
_DPA_SENT = re.compile(r"^(\d\d)(\d\d)(\d\d)(?: GMT)? ([A-Z][a-z]{2}) (\d\d)$")
# Where dpa's notes to editors start: its "Notebook", the not-for-publication part.
_DPA_NOTES = re.compile(r"^(?:# Notebook|\* \* \* \*|The following information is not intended)",
                        re.M)
# Teleprinter framing: a message starts with ZCZC and ends with NNNN (ITU-T).
_ZCZC = re.compile(r"\A\s*ZCZC\b")
_NNNN = re.compile(r"^\s*NNNN\s*$", re.M)
_ROUTING = re.compile(r"^[A-Z0-9]{1,6}(?: [A-Z0-9]{1,6})?$")
_HEADER_MARKS = frozenset("%$#:*")
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def read_wire_text(text: str) -> list[Article] | None:
    """Read ANPA, dpa or teleprinter (ZCZC…NNNN) wire copy into its story; None when the
    text is none of them."""
    # Every plain text file comes here first: its opening decides, so a long story that is
    # none of them is not copied whole (a 10 MB text file is read at ~300 MB already).
    opening = _cleaned(text[:_OPENING])
    if not (_DPA_HEADER.match(opening) or _ZCZC.match(opening) or _ANPA_CATEGORY.search(
            "\n".join(opening.lstrip().split("\n")[:4]))):
        return None
    cleaned = _cleaned(text)
    if _DPA_HEADER.match(cleaned):
        return [_read_dpa(cleaned)]
    if _ZCZC.match(cleaned) and _NNNN.search(cleaned):
        return [_read_teleprinter(cleaned)]
    head = "\n".join(cleaned.lstrip().split("\n")[:4])
    if _ANPA_CATEGORY.search(head) and re.search(r"^\^", cleaned, re.M):
        return [_read_anpa(cleaned)]
    return None


def _cleaned(text: str) -> str:
    """The text without the control bytes that frame a transmission, with plain newlines."""
    return _CONTROL.sub("", text.replace("\x1f", " ").replace("\r\n", "\n"))


def _read_anpa(text: str) -> Article:
    """One ANPA take: `^` head lines (keyword, headline, notes, byline), tab-indented body."""
    category = _ANPA_CATEGORY.search(text)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("^"))
    end = first
    while end < len(lines) and lines[end].startswith("^"):
        end += 1
    slug, title, author, more = None, "", None, []
    heads = [_ANPA_SELECTOR.sub("", line[1:]).strip().rstrip("<=").strip()
             for line in lines[first:end]]
    for number, line in enumerate(heads):
        if number == 0 and (keyword := _ANPA_KEYWORD.match(line)):
            slug = keyword.group(1).strip()  # `BC-BKN--Heat-Hawks, 1st Ld-Writethru,416`
        elif line.lower().startswith("by ") and author is None:
            author = byline_name(line)
        elif author is not None or _ANPA_NOTE.match(line) or not line:
            continue  # the byline's job title (`AP Sports Writer`), editors' notes
        elif not title:
            title = line
        else:
            more.append(line)  # an abstract the lead repeats, or a list's entries
    body = "\n".join(lines[end:])
    sent = _ANPA_TRAILER.search(body)
    published = None
    if sent:
        month, day, year, hour, minute = (int(part) for part in sent.groups())
        published = _moment(2000 + year, month, day, hour, minute)
        body = body[: sent.start()]
    text = plain_paragraphs(body)
    if not text and more:
        # A list sent as head lines only (AP's `Top Entertainment Headlines`): they are its text.
        text = "\n".join(more)
    story_id = None
    if slug or category:
        month, day = category.group(2, 3) if category else ("", "")
        year = f"{published:%Y}-" if published else ""
        story_id = f"anpa:{slug or category.group(1)}:{year}{month}-{day}"
    return make_article(title=_typeset(title), body=_typeset(text), format=FORMAT,
                        id=story_id, published=published, author=author)


def _typeset(text: str) -> str:
    """ANPA's typewriter marks as the characters they stand for: ``quotes'' and ` _ ` dashes."""
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    return re.sub(r"(?<=\S) _ (?=\S)", " \u2014 ", text)


def _read_dpa(text: str) -> Article:
    """One dpa 7901 story: slug, version notes, headline and byline ending in ` =`, body,
    notes to editors, sign-off and the time it was sent (`212101 GMT Nov 18`)."""
    text = _DPA_HEADER.sub("", text, count=1).strip("\n")
    block, _, rest = text.partition("\n\n")
    heads = [line.strip() for line in block.split("\n") if line.strip()]
    if heads:
        heads[-1] = heads[-1].removesuffix("=").strip()
    slug = heads.pop(0) if heads and heads[0].endswith("/") else None
    author = byline_name(heads.pop()) if heads and heads[-1].lower().startswith("by ") else None
    # Version notes (`REFILE`, `1ST LEAD`, `EXTRA`, `(Achtung)`) are not the headline.
    words = [line for line in heads if not (line.isupper() or line.startswith("("))]
    title = words[-1] if words else (heads[-1] if heads else "")
    lines = rest.split("\n")
    published = None
    while lines and (not lines[-1].strip() or _DPA_SENT.match(lines[-1].strip())
                     or _DPA_SIGN_OFF.match(lines[-1].strip())):
        if match := _DPA_SENT.match(lines[-1].strip()):
            day, hour, minute, month, year = match.groups()
            published = _moment(2000 + int(year), _MONTHS.get(month, 0), int(day), int(hour),
                                int(minute))
        lines.pop()
    body = "\n".join(lines)
    if notes := _DPA_NOTES.search(body):
        body = body[: notes.start()]
    story_id = f"dpa:{slug}:{published:%Y-%m-%d}" if slug and published else None
    return make_article(title=title, body=plain_paragraphs(body), format=FORMAT, id=story_id,
                        published=published, author=author)


def _read_teleprinter(text: str) -> Article:
    """A message framed for teleprinters (AAP's `ZCZC` … `NNNN`): the framing, its routing
    codes and header lines (`%`, `$`, `#`, `:`, `*`) dropped, the first line of text its
    headline, the rest its body."""
    text = text[: _NNNN.search(text).start()]
    lines = text.strip().split("\n")[1:]  # the ZCZC line itself
    if lines and _ROUTING.match(lines[0]):
        lines.pop(0)  # `YY TDR`: where the message goes, not what it says
    while lines and (not lines[0].strip() or lines[0].lstrip()[:1] in _HEADER_MARKS):
        lines.pop(0)
    title = lines.pop(0).strip() if lines else ""
    # Teleprinter copy is laid out line by line (race fields, results, lists): each line
    # stays one, where joining wrapped lines would run a table's rows together.
    return make_article(title=title, body=normalize_text("\n".join(lines)), format=FORMAT)


def _moment(year: int, month: int, day: int, hour: int, minute: int) -> datetime | None:
    """The time a wire item was sent, in UTC (both agencies send GMT), or None if impossible."""
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None
