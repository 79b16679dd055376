"""The message catalogs' upkeep: extract the source's messages, check, update and compile the .po.

`python -m bot.catalogs check` fails (exit 1, one line per problem) when a catalog misses a
message, keeps one the code no longer has, leaves one untranslated or fuzzy, or changes its
{placeholders} or HTML tags, and when the code hides a message from extraction (a `_()` inside
an f-string); `make test` runs it, then `compile` writes the .mo files.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "storage")  # every package whose messages a user sees
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
_TAG = re.compile(r"</?\w+")


def extract(root: Path = ROOT) -> Catalog:
    """Every message the code marks with _(), ngettext() or N_(), as a template catalog."""
    template = Catalog(domain=DOMAIN, project="newsbot", fuzzy=False)
    for package in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                root / package, method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS,
                comment_tags=("Translators:",), strip_comment_tags=True):
            location = (f"{package}/{filename}", lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


_MARKERS = frozenset(DEFAULT_KEYWORDS)  # _, gettext, ngettext, N_ ...


def hidden_messages(root: Path = ROOT) -> list[str]:
    """Every `_()` (or other marker) called inside an f-string: Babel's extractor reads tokens,
    and on Python 3.11 an f-string is one token, so such a message is never extracted and stays
    English in every language without `check` seeing it missing."""
    found = []
    for package in SOURCES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for fstring in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
                for call in (node for node in ast.walk(fstring) if isinstance(node, ast.Call)):
                    # A literal is what the extractor would have taken; `_(text)` translates
                    # a message marked elsewhere (N_ in a table).
                    if (isinstance(call.func, ast.Name) and call.func.id in _MARKERS
                            and call.args and isinstance(call.args[0], ast.Constant)
                            and isinstance(call.args[0].value, str)):
                        found.append(f"{path.relative_to(root)}:{call.lineno}: {call.func.id}() "
                                     "inside an f-string is not extracted; mark the message "
                                     "outside it")
    return found


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where a language's catalog lives."""
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """A language's .po as a catalog."""
    with po_path(language, locale_dir).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def translated_languages() -> tuple[str, ...]:
    """The languages with a catalog (English is the source and needs none)."""
    return tuple(language for language in LANGUAGES if language != SOURCE_LANGUAGE)


def problems(template: Catalog, catalog: Catalog) -> list[str]:
    """What is wrong with one catalog against the template: each problem as one line."""
    found = []
    wanted = {message.id: message for message in template if message.id}
    have = {message.id: message for message in catalog if message.id}
    language = catalog.locale
    for key in wanted.keys() - have.keys():
        found.append(f"{language}: missing {_show(key)}")
    for key in have.keys() - wanted.keys():
        found.append(f"{language}: stale (no longer in the code) {_show(key)}")
    for key in catalog.obsolete:
        found.append(f"{language}: stale (obsolete entry) {_show(key)}")
    for key in wanted.keys() & have.keys():
        message = have[key]
        if isinstance(wanted[key].id, tuple) != isinstance(message.id, tuple):
            found.append(f"{language}: singular/plural differs from the code for {_show(key)}")
            continue
        found.extend(f"{language}: {problem} in {_show(key)}"
                     for problem in _message_problems(message, catalog.num_plurals))
    return sorted(found)


def _message_problems(message: Message, plurals: int) -> list[str]:
    """Untranslated, fuzzy, or a translation whose placeholders or tags differ from the source."""
    if message.fuzzy:
        return ["fuzzy translation"]
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if isinstance(message.id, tuple) and len(strings) != plurals:
        return [f"{len(strings)} plural forms instead of {plurals}"]
    if not all(strings):
        return ["untranslated"]
    found = []
    names = set().union(*(_PLACEHOLDER.findall(source) for source in sources))
    tags = sorted(_TAG.findall(sources[0]))
    for string in strings:
        if set(_PLACEHOLDER.findall(string)) - names:
            found.append(f"unknown placeholder in {string!r}")
        if sorted(_TAG.findall(string)) != tags:
            found.append(f"HTML tags differ in {string!r}")
    # Every placeholder must be used by some form (French uses no number in its singular).
    used = set().union(*(_PLACEHOLDER.findall(string) for string in strings))
    if names - used - {"count"}:
        found.append(f"placeholder {sorted(names - used)} not used")
    return found


def _show(key: str | tuple[str, ...]) -> str:
    text = key[0] if isinstance(key, tuple) else key
    return repr(text if len(text) <= 70 else text[:67] + "...")


def check(root: Path = ROOT, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every problem of every shipped catalog against the code's messages."""
    template = extract(root)
    found = hidden_messages(root)
    for language in translated_languages():
        if not po_path(language, locale_dir).exists():
            found.append(f"{language}: no catalog at {po_path(language, locale_dir)}")
            continue
        found.extend(problems(template, read_catalog(language, locale_dir)))
    return found


def update(root: Path = ROOT, locale_dir: Path = LOCALE_DIR) -> None:
    """Merge the code's messages into every catalog (new ones empty, gone ones dropped)."""
    template = extract(root)
    for language in translated_languages():
        path = po_path(language, locale_dir)
        if path.exists():
            catalog = read_catalog(language, locale_dir)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN, project="newsbot", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as file:
            # No source locations: a moved line would otherwise change every catalog.
            write_po(file, catalog, width=100, no_location=True, sort_output=True)


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write the .mo of every catalog; returns the files written."""
    written = []
    for language in translated_languages():
        catalog = read_catalog(language, locale_dir)
        target = po_path(language, locale_dir).with_suffix(".mo")
        with target.open("wb") as file:
            write_mo(file, catalog)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.catalogs check|update|compile`."""
    args = sys.argv[1:] if argv is None else argv
    action = args[0] if args else "check"
    if action == "check":
        found = check()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(f"{len(found)} catalog problem(s); `python -m bot.catalogs update` adds the "
                  "missing messages and drops stale ones", file=sys.stderr)
        return 1 if found else 0
    if action == "update":
        update()
        return 0
    if action == "compile":
        for path in compile_all():
            print(f"compiled {path.relative_to(ROOT)}")
        return 0
    print("usage: python -m bot.catalogs check|update|compile", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
