"""Walking the drop folder: the files in it; partial and hidden ones skipped, links out refused."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
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
    # Why a symbolic link is not followed (out of the folder, dangling, a loop): the file is
    # rejected with this reason, never opened; size and mtime are the link's own.
    refused: str | None = None

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

    `root` itself is followed wherever it points (it was named). Below it, a symlink to a
    file inside `root` is read; one pointing out of it (so a link cannot make the bot read
    /etc/passwd), a dangling one and a loop are listed as refused, with the reason; a symlink
    to a folder inside is not followed (its files are read where they are). A folder it may not
    list is listed as refused, with the reason.
    """
    root = Path(root)
    if root.is_file():
        st = root.stat()
        yield FoundFile(root, storable_name(root.absolute()), st.st_size, st.st_mtime_ns,
                        (st.st_dev, st.st_ino))
        return
    if root.exists() and not root.is_dir():  # named, a FIFO or a device: said, never opened
        st = root.stat()
        yield FoundFile(root, storable_name(root.absolute()), st.st_size, st.st_mtime_ns,
                        refused="not a regular file (a device, a pipe or a socket): not read")
        return
    real_root = root.resolve()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except PermissionError:
            # Said, not skipped: its files would be left out with no reason anywhere.
            if (refused := _unlistable(folder)) is not None:
                yield refused
            continue
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


UNREADABLE_FILE = "cannot read file: permission denied (check its owner and mode)"
UNREADABLE_FOLDER = ("cannot read folder: permission denied (check its owner and mode); its "
                     "files are not ingested")


def _unlistable(folder: Path) -> FoundFile | None:
    """A folder the scan may not list, as a refused entry (None: gone meanwhile)."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return FoundFile(folder, storable_name(folder.absolute()), st.st_size, st.st_mtime_ns,
                     refused=UNREADABLE_FOLDER)


def _found(entry: os.DirEntry, real_root: Path, prefix: str) -> FoundFile | str | None:
    try:
        if entry.is_symlink():
            return _followed(entry, real_root, prefix)
        st = entry.stat(follow_symlinks=False)
    except OSError:  # vanished since the listing
        return None
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if not stat.S_ISREG(st.st_mode):
        return None
    # Same as Path(entry.path) and storable_name(path.absolute()), without parsing a Path per
    # file: a rescan lists 100k files and opens a handful.
    return FoundFile(entry.path, storable_name(prefix + entry.name), st.st_size,
                     st.st_mtime_ns, (st.st_dev, st.st_ino))


class LinkProblem(StrEnum):
    """Why a symbolic link leads to no file."""

    LOOP = "loop"
    BROKEN = "broken"  # it points to nothing


def link_problem(path: str | Path) -> LinkProblem | None:
    """Whether the symbolic link at `path` loops or points to nothing (None: neither)."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return LinkProblem.LOOP
        if error.errno == errno.ENOENT:
            return LinkProblem.BROKEN
    return None


def _followed(entry: os.DirEntry, real_root: Path, prefix: str) -> FoundFile | None:
    """A symlink below the root: its target file if inside, else the link, refused (why)."""
    key = storable_name(prefix + entry.name)
    link = os.lstat(entry.path)

    def refused(reason: str) -> FoundFile:
        return FoundFile(entry.path, key, link.st_size, link.st_mtime_ns, refused=reason)

    problem = link_problem(entry.path)
    if problem is LinkProblem.LOOP:
        return refused("symbolic link loop: not followed")
    if problem is LinkProblem.BROKEN:
        return refused("broken symbolic link, to "
                       f"{storable_name(os.readlink(entry.path))}: not followed")
    try:
        target = Path(entry.path).resolve(strict=True)
        st = target.stat()
    except RuntimeError:  # Python 3.11's resolve() on a loop made since the check above
        return refused("symbolic link loop: not followed")
    except OSError as error:  # gone since, or a folder on the way unreadable
        return refused(f"symbolic link cannot be followed: {error.strerror or error}")
    if not target.is_relative_to(real_root):
        return refused(f"symbolic link to {storable_name(target)}, outside "
                       f"{storable_name(real_root)}: not followed")
    if not stat.S_ISREG(st.st_mode):
        return None  # a folder inside is walked where it is; a FIFO is never opened
    return FoundFile(entry.path, key, st.st_size, st.st_mtime_ns, (st.st_dev, st.st_ino))
