"""Watching the drop folder (inotify through watchdog), so news is ingested in seconds.

The periodic scan stays as the safety net (events can be lost: a full inotify queue, a network
file system, the bot down); the watcher only makes the common case fast:

- a file renamed or moved into the folder is complete (that is how careful writers publish):
  it is ingested at once, with no settle wait. inotify reports a file moved in from outside the
  folder as created; one created in place is opened and written right after, so a "created"
  with no write within the debounce time is taken as moved in;
- a file written in place may still be growing: it is looked at once its settle time has
  passed, as the periodic scan would. (If a writer creates a file and writes it only later,
  the early read finds it empty: it is rejected and read again when it changes.)

Only plain regular files are handed over by path; a symlink (or anything odd) asks for a scan
of the whole folder instead, which follows links only inside the folder.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from storage.scan import is_partial

log = logging.getLogger(__name__)

DEBOUNCE = 0.2  # s: files arriving together are ingested in one pass

OnFiles = Callable[[list[Path] | None, float | None], Any]  # (paths or None: all, settle)


class DropFolderWatcher(FileSystemEventHandler):
    """Calls `on_files(paths, settle_seconds)` on the event loop when files arrive."""

    def __init__(self, folder: Path, loop: asyncio.AbstractEventLoop, on_files: OnFiles,
                 settle_seconds: float = 2.0) -> None:
        self.folder = Path(folder)
        self.root = os.path.abspath(folder)
        self.loop = loop
        self.on_files = on_files
        self.settle_seconds = settle_seconds
        self.observer: Any = None
        self.identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the folder watched
        self._lock = threading.Lock()
        self._complete: set[Path] = set()
        self._written: set[Path] = set()
        self._created: set[Path] = set()
        self._whole_folder = False
        self._flush_pending = False

    def start(self) -> bool:
        """Start watching; False (logged) when the folder cannot be watched."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            observer = Observer()
            # The folder itself: inotify follows it when it is moved away (not its path).
            self.identity = _identity(self.root)
            observer.schedule(self, self.root, recursive=True)
            observer.daemon = True
            observer.start()
        except OSError as error:
            log.warning("cannot watch %s (%s): new files wait for the next scan", self.folder,
                        error)
            return False
        self.observer = observer
        log.info("watching %s for new files", self.folder)
        return True

    def watching(self) -> bool:
        """Whether inotify still watches the folder: not once the folder was deleted or moved
        away, and not a folder made again at its place."""
        observer = self.observer
        return (observer is not None and observer.is_alive()
                and all(emitter.is_alive() for emitter in observer.emitters)
                and self.identity is not None and _identity(self.root) == self.identity)

    def rewatch(self) -> bool:
        """Watch the folder again if it is back (a new folder at its place); False if not."""
        if not os.path.isdir(self.root):
            return False
        self.stop()
        return self.start()

    def stop(self) -> None:
        """Stop watching."""
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None

    # -- watchdog's thread -------------------------------------------------------------------

    def on_moved(self, event: FileSystemEvent) -> None:
        """A file (or folder) renamed into place is complete."""
        self._note(os.fsdecode(event.dest_path), "moved")

    def on_created(self, event: FileSystemEvent) -> None:
        """Moved in from outside, or about to be written: the next events tell."""
        if event.is_directory:
            self._note(os.fsdecode(event.src_path), "moved")  # a folder moved in, or a new one
        else:
            self._note(os.fsdecode(event.src_path), "created")

    def on_opened(self, event: FileSystemEvent) -> None:
        """Opened: someone is writing (or reading) it in place."""
        if not event.is_directory:
            self._note(os.fsdecode(event.src_path), "written")

    def on_modified(self, event: FileSystemEvent) -> None:
        """A written file may still be growing."""
        if not event.is_directory:  # a folder "changes" whenever a file in it does
            self._note(os.fsdecode(event.src_path), "written")

    def on_closed(self, event: FileSystemEvent) -> None:
        """Closed after writing: the settle check still decides."""
        if not event.is_directory:
            self._note(os.fsdecode(event.src_path), "written")

    def _note(self, raw: str, event: str) -> None:
        path = self._inside(raw)
        if path is None:
            return
        kind = _kind(path)
        if kind == "skip" and event != "written":
            return
        with self._lock:
            if kind == "scan":
                self._whole_folder = True
            elif event == "moved":
                self._complete.add(path)
            elif event == "created":
                self._created.add(path)
            else:
                self._written.add(path)
            if self._flush_pending:
                return
            self._flush_pending = True
        self.loop.call_soon_threadsafe(self.loop.call_later, DEBOUNCE, self._flush)

    def _inside(self, raw: str) -> Path | None:
        """The path below the drop folder as the scan names it, or None (outside, partial)."""
        relative = os.path.relpath(os.path.abspath(raw), self.root)
        if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
            return None
        if any(is_partial(part) for part in Path(relative).parts):
            return None
        return self.folder / relative

    # -- the event loop ----------------------------------------------------------------------

    def _flush(self) -> None:
        with self._lock:
            written, whole = self._written, self._whole_folder
            # Created and never opened for writing: moved in from outside, complete.
            complete = self._complete | (self._created - written)
            self._complete, self._written, self._created = set(), set(), set()
            self._whole_folder = False
            self._flush_pending = False
        if whole:
            self.on_files(None, None)
        if complete:
            self.on_files(sorted(complete), 0.0)
        if written - complete:
            # Looked at once it has settled; if it is still being written then, the periodic
            # scan (or its next event) takes it.
            paths = sorted(written - complete)
            self.loop.call_later(self.settle_seconds + DEBOUNCE,
                                 lambda: self.on_files(paths, None))


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _kind(path: Path) -> str:
    """'file' for a plain regular file, 'scan' for a link or folder, 'skip' when gone."""
    try:
        st = os.lstat(path)
    except OSError:
        return "skip"
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISLNK(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return "scan"  # a folder moved in, or a link: the scan's rules apply
    return "skip"
