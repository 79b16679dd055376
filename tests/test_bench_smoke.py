"""Every benchmark script runs end to end in its tiny --quick mode (figures are not checked).

Benchmarks live in bench/ and are run by hand (see bench/results/README.md); this only proves
the scripts still work against the current code. Nothing here is timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPTS = {
    "ingest_throughput.py": "ratio pipeline / LexRank",
    "rescan.py": "new files found, read and ingested",
    "queries.py": "/search kwaremont (rare)",
    "ingest_memory.py": "peak RSS while ingesting",
    "fanout.py": "chats missed / duplicate messages | 0 / 0",
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_benchmark_quick_mode_runs(script, tmp_path):
    env = {**os.environ, "NEWSBOT_BENCH_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), "--quick", "--no-write"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert SCRIPTS[script] in done.stdout
