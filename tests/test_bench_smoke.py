"""Every benchmark script runs end to end in its tiny --quick mode (figures are not checked).

Benchmarks live in bench/ and are run by hand (see bench/results/README.md); this only proves
the scripts still work against the current code, on the few eval rows in tests/data/eval.
Nothing here is timed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import DATA, REPO

SCRIPTS = {
    "ingest_throughput.py": "ratio pipeline / LexRank",
    "rescan.py": "new files found, read and ingested",
    "queries.py": "/search kwaremont (rare)",
    "ingest_memory.py": "peak RSS while ingesting",
    "fanout.py": "chats missed / duplicate messages | 0 / 0",
    "rouge.py": "ROUGE",
    "latency.py": "| watcher (inotify) + scan every 60 s | 5 | 0 |",
    "extraction.py": "pages under a quarter of trafilatura's text",
    "feeds.py": "files where newsbot and feedparser differ",
    "adversarial.py": "Largest growth for 4x the input",
}


def bench(script: str, tmp_path, shared, *args: str) -> subprocess.CompletedProcess:
    """Run one benchmark script with NEWSBOT_SHARED pointing at `shared`."""
    env = {**os.environ, "NEWSBOT_BENCH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(REPO), "NEWSBOT_SHARED": str(shared)}
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False,
    )


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_benchmark_quick_mode_runs(script, tmp_path):
    done = bench(script, tmp_path, DATA, "--quick", "--no-write")
    assert done.returncode == 0, done.stderr[-3000:]
    assert SCRIPTS[script] in done.stdout


def test_rouge_scores_german_editors_teasers_of_the_saved_pages(tmp_path):
    # tests/data holds one German page with a teaser of its own, beside an English home page.
    done = bench("rouge.py", tmp_path, DATA, "--quick", "--no-write")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "### pages_de_teasers (1 articles, k = reference sentence count)" in done.stdout


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_benchmark_without_the_shared_data_says_where_to_get_it(script, tmp_path):
    done = bench(script, tmp_path, tmp_path / "nowhere", "--quick", "--no-write")
    assert done.returncode != 0
    assert "NEWSBOT_SHARED" in done.stderr and "shared" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
