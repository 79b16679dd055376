"""The README and docs point at code that exists: every behaviour one grep away, none stale."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
# A cell's group: "`bot/commands.py`: `Commands.handle`, `addressee`" (names are optional).
_GROUP = re.compile(r"`([\w./-]+\.py)`(?::\s*([^;]*))?")


def where_things_live() -> list[tuple[str, str, list[str]]]:
    """(behaviour, file, names) for every file the table's right-hand column names."""
    section = README.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    found = []
    for row in section.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split(" | ")]
        if len(cells) < 2 or set(cells[0]) <= {"-"} or cells[0] == "what you see":
            continue
        for path, names in _GROUP.findall(cells[-1]):
            found.append((cells[0], path, re.findall(r"`([\w.]+)`", names)))
    return found


def defines(source: str, name: str) -> bool:
    """Whether a module's source defines `name` (a function, class or constant; `Class.attr`)."""
    return all(
        re.search(rf"^\s*(?:async\s+def|def|class)\s+{re.escape(part)}\b"
                  rf"|^\s*{re.escape(part)}\s*(?::[^=\n]*)?=", source, re.MULTILINE)
        for part in name.split(".")
    )


ENTRIES = where_things_live()


def test_the_table_lists_the_code_behind_what_users_see():
    assert len(ENTRIES) > 50
    assert sum(len(names) for _, _, names in ENTRIES) > 100


@pytest.mark.parametrize(("behaviour", "path", "names"), ENTRIES,
                         ids=[f"{path}:{','.join(names)}" for _, path, names in ENTRIES])
def test_every_file_and_function_the_table_names_exists(behaviour, path, names):
    file = REPO / path
    assert file.is_file(), f"{behaviour!r}: no file {path}"
    source = file.read_text(encoding="utf-8")
    missing = [name for name in names if not defines(source, name)]
    assert not missing, f"{behaviour!r}: {path} defines no {', '.join(missing)}"


def test_a_stale_name_is_caught():
    source = "class NewsBot:\n    async def ingest_and_stream(self):\n        pass\n"
    assert defines(source, "NewsBot.ingest_and_stream")
    assert not defines(source, "NewsBot.scan")


DOCS = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
        for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]}
# "`storage/readers/dates.py:plausible`", as the docs point at the rule they describe.
POINTERS = sorted({(doc, path, name) for doc, text in DOCS.items()
                   for path, name in re.findall(r"`([\w/]+\.py):([\w.]+)`", text)})


def test_the_docs_point_at_the_rules_they_describe():
    assert len(POINTERS) >= 5


@pytest.mark.parametrize(("doc", "path", "name"), POINTERS,
                         ids=[f"{doc}->{path}:{name}" for doc, path, name in POINTERS])
def test_every_file_function_pointer_in_the_docs_exists(doc, path, name):
    file = REPO / path
    assert file.is_file(), f"{doc}: no file {path}"
    assert defines(file.read_text(encoding="utf-8"), name), f"{doc}: {path} defines no {name}"
