"""The drop-folder watcher: which events mean "ingest this now", "later" or "scan it all"."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.watch import DropFolderWatcher


def watch(folder: Path, act, settle: float = 0.3, wait: float = 1.2) -> list:
    """Run a watcher on `folder`, do `act()`, and return the (paths, settle) calls it made."""
    calls: list[tuple[list[Path] | None, float | None]] = []

    async def run() -> None:
        watcher = DropFolderWatcher(folder, asyncio.get_running_loop(),
                                    lambda paths, s: calls.append((paths, s)),
                                    settle_seconds=settle)
        assert watcher.start()
        try:
            await asyncio.sleep(0.2)
            await asyncio.to_thread(act)
            await asyncio.sleep(wait)
        finally:
            watcher.stop()

    asyncio.run(run())
    return calls


def test_a_file_moved_in_from_outside_is_ingested_at_once(tmp_path):
    folder, outside = tmp_path / "drop", tmp_path / "outside"
    folder.mkdir(), outside.mkdir()
    (outside / "a.json").write_text("{}")
    calls = watch(folder, lambda: os.rename(outside / "a.json", folder / "a.json"))
    assert calls == [([folder / "a.json"], 0.0)]


def test_a_temporary_name_renamed_inside_is_ingested_at_once(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()

    def publish() -> None:
        (folder / "b.json.part").write_text("{}")
        os.rename(folder / "b.json.part", folder / "b.json")

    assert watch(folder, publish) == [([folder / "b.json"], 0.0)]


def test_a_file_written_in_place_waits_for_its_settle_time(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    calls = watch(folder, lambda: (folder / "c.json").write_text("{}"), settle=0.3)
    assert calls == [([folder / "c.json"], None)]  # the settle check applies


def test_links_and_hidden_files_are_left_to_the_scan(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (tmp_path / "secret").write_text("x")

    def act() -> None:
        (folder / ".hidden.json").write_text("{}")
        os.symlink(tmp_path / "secret", folder / "link.json")

    calls = watch(folder, act)
    assert calls == [(None, None)]  # a scan of the folder, which follows links only inside
