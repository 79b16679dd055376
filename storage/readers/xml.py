"""Safe XML parsing for the readers: defusedxml, no entities, no DTD or network access.

We parse with namespace processing off and keep local tag names: NewsML-G2 fragments in the
wild use prefixes they never declare (`xsi:schemaLocation`), and readers only care about local
names anyway. The tree is built iteratively by a SAX handler, so deep nesting cannot recurse.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import xml.sax
from xml.sax.handler import ContentHandler, ErrorHandler

import defusedxml
import defusedxml.sax

from storage.records import RejectedFile

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_QUOTED = r"(?:\"[^\"]*\"|'[^']*')"
# A DOCTYPE that only names DTD files: an external id, and an internal subset (if any) holding
# nothing but parameter entities that pull in more DTD files, their references and comments
# (`[<!ENTITY % nitf SYSTEM "nitf-3-0.dtd"> %nitf; ]`, as ATS and Kyodo send NewsML 1).
_EXTERNAL_DTD = re.compile(
    rf"<!DOCTYPE\s+[\w.:-]+(?:\s+(?:SYSTEM\s+{_QUOTED}|PUBLIC\s+{_QUOTED}(?:\s+{_QUOTED})?))?"
    rf"\s*(?:\[(?:\s+|<!ENTITY\s+%\s+[\w.:-]+\s+(?:SYSTEM\s+{_QUOTED}"
    rf"|PUBLIC\s+{_QUOTED}\s+{_QUOTED})\s*>|%[\w.:-]+;|<!--(?:[^-]|-(?!->))*-->)*\]\s*)?>"
)
# What may come before the DOCTYPE: the declaration, comments, processing instructions.
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


class _TreeBuilder(ContentHandler):
    """Build an ElementTree from SAX events, with prefixes stripped from tag names."""

    def __init__(self) -> None:
        super().__init__()
        self.root: ET.Element | None = None
        self._stack: list[ET.Element] = []
        self._last: ET.Element | None = None
        self._closed_last = False

    def startElement(self, name: str, attrs) -> None:  # noqa: N802 - SAX API name
        element = ET.Element(local_name(name), dict(attrs.items()))
        if self._stack:
            self._stack[-1].append(element)
        else:
            self.root = element
        self._stack.append(element)
        self._last, self._closed_last = element, False

    def endElement(self, name: str) -> None:  # noqa: N802 - SAX API name
        self._last, self._closed_last = self._stack.pop(), True

    def characters(self, content: str) -> None:
        if self._last is None:
            return
        if self._closed_last:
            self._last.tail = (self._last.tail or "") + content
        else:
            self._last.text = (self._last.text or "") + content


class _StrictErrors(ErrorHandler):
    """Turn every SAX warning and error into an exception."""

    def error(self, exception: Exception) -> None:
        raise exception

    def fatalError(self, exception: Exception) -> None:  # noqa: N802 - SAX API name
        raise exception

    def warning(self, exception: Exception) -> None:
        raise exception


def local_name(name: str) -> str:
    """Drop a namespace prefix or `{uri}` from a tag name."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def drop_external_dtd(text: str) -> str:
    """The document without a DOCTYPE that only names DTD files (never fetched: nothing here
    validates); one that declares entities of its own is kept, for parse_xml to refuse."""
    start = _PROLOG.match(text).end()
    doctype = _EXTERNAL_DTD.match(text, start)
    return text[:start] + text[doctype.end():] if doctype else text


def parse_xml(text: str) -> ET.Element:
    """Parse XML text safely into an element tree, or raise RejectedFile saying why."""
    # The text is already decoded; the declaration's encoding no longer applies.
    data = _DECLARATION.sub("", text, count=1).encode("utf-8")
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(data, builder, errorHandler=_StrictErrors())
    except defusedxml.EntitiesForbidden as exc:
        raise RejectedFile(
            f"XML declares entities ({exc.name!r}); entity declarations are refused for safety"
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise RejectedFile(
            f"XML refers to an external resource ({exc.sysid or exc.pubid}); refused for safety"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise RejectedFile(f"XML uses a forbidden construct: {exc}") from exc
    except xml.sax.SAXParseException as exc:
        raise RejectedFile(
            f"invalid XML at line {exc.getLineNumber()} column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}"
        ) from exc
    except xml.sax.SAXException as exc:
        raise RejectedFile(f"invalid XML: {exc.getMessage()}") from exc
    if builder.root is None:
        raise RejectedFile("invalid XML: no root element")
    return builder.root


def child(element: ET.Element, *names: str) -> ET.Element | None:
    """Return the first direct child with one of the given local names."""
    for item in element:
        if item.tag in names:
            return item
    return None


def element_text(element: ET.Element | None) -> str:
    """Return all text inside an element, whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
