"""Walking the drop folder: which files exist, skipping partial, hidden and escaping ones."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Names that editors, downloaders and copy tools use while a file is still being written.
PARTIAL_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".swp", ".swx", "~")


@dataclass(slots=True, frozen=True)
class FoundFile:
    """A regular file found in the drop folder, with the stat taken when it was listed."""

    location: str | Path  # the real path to open (may carry surrogate-escaped bytes)
    key: str  # printable, storable name (non-UTF-8 bytes shown escaped)
    size: int
    mtime_ns: int
    # (st_dev, st_ino) when listed: the file opened later must be this one, not a FIFO or a
    # link out of the folder swapped in since (None: not known, not checked).
    identity: tuple[int, int] | None = None

    @property
    def path(self) -> Path:
        """The path to open, as a Path (built on demand: most listed files are never opened)."""
        return Path(self.location)


def storable_name(path: Path | str) -> str:
    """A path as valid UTF-8 text: undecodable bytes become \\xNN, control chars \\n etc."""
    raw = os.fsencode(path)
    text = raw.decode("utf-8", "backslashreplace")
    if text.isprintable():  # the usual case: skip the per-character pass (100k files/scan)
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def is_partial(name: str) -> bool:
    """Whether a file name looks hidden or still being written."""
    return name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES)


def walk(root: Path) -> Iterator[FoundFile]:
    """Every candidate file below `root` (or `root` itself if it is a file), depth first.

    Symlinks are followed only when their target stays inside `root`, so a link cannot make
    the bot read /etc/passwd. Unreadable folders are skipped.
    """
    root = Path(root)
    if root.is_file():
        st = root.stat()
        yield FoundFile(root, storable_name(root.absolute()), st.st_size, st.st_mtime_ns,
                        (st.st_dev, st.st_ino))
        return
    real_root = root.resolve()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        # Keys and paths are built from the folder's once per folder: parsing a full Path per
        # file made a rescan of 100k unchanged files take seconds (bench/rescan.py).
        absolute = str(folder.absolute())
        prefix = absolute if absolute.endswith("/") else absolute + "/"
        for entry in entries:
            if is_partial(entry.name):
                continue
            found = _found(entry, real_root, prefix)
            if found == "dir":
                pending.append(Path(entry.path))
            elif found is not None:
                yield found


def _found(entry: os.DirEntry, real_root: Path, prefix: str) -> FoundFile | str | None:
    try:
        if entry.is_symlink():
            target = Path(entry.path).resolve()
            if not target.is_relative_to(real_root):
                return None
            st = target.stat()
        else:
            st = entry.stat(follow_symlinks=False)
    except (OSError, RuntimeError):  # vanished, dangling link, or a link loop
        return None
    if stat.S_ISDIR(st.st_mode):
        return None if entry.is_symlink() else "dir"
    if not stat.S_ISREG(st.st_mode):
        return None
    # Same as Path(entry.path) and storable_name(path.absolute()), without parsing a Path per
    # file: a rescan lists 100k files and opens a handful.
    return FoundFile(entry.path, storable_name(prefix + entry.name), st.st_size,
                     st.st_mtime_ns, (st.st_dev, st.st_ino))
