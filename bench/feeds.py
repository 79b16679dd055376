"""Feed corpus: does every entry feedparser sees become one distinct, correctly decoded article?

    .venv/bin/python bench/feeds.py [--quick] [--no-write] [--show N]

Reads every file of ../shared/realworld/feeds (half of feedparser's own test feeds) with
`feedparser.parse` (chardet installed: the reference) and with newsbot's readers, and counts
files where the numbers of entries differ, titles that differ, replacement characters stored,
and refusals with their reasons. An entry counts when it has a title or any text.
"""

from __future__ import annotations

import collections
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import append_results, corpus_arguments, realworld_folder  # noqa: E402

QUICK_FILES = 60


def main(argv: list[str] | None = None) -> int:
    """Compare both readings of every feed file, print and record the counts."""
    import feedparser
    from bs4 import BeautifulSoup

    from storage.readers import RejectedFile, read_bytes

    args = corpus_arguments(__doc__.split("\n\n")[0], argv,
                            quick=f"first {QUICK_FILES} files only", show=20,
                            show_help="differences to list")
    folder = realworld_folder("feeds")
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    if args.quick:
        files = files[:QUICK_FILES]

    def has_text(value: str | None) -> bool:
        return bool(value) and bool(BeautifulSoup(value, "html.parser").get_text().strip())

    counts: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    differences: list[str] = []
    for path in files:
        data = path.read_bytes()
        name = str(path.relative_to(folder))
        entries = [entry for entry in feedparser.parse(io.BytesIO(data)).entries
                   if has_text(entry.get("title")) or has_text(entry.get("summary"))
                   or any(has_text(c.get("value")) for c in entry.get("content") or [])]
        counts["files"] += 1
        counts["reference entries"] += len(entries)
        try:
            articles = read_bytes(data, path.name)
        except RejectedFile as error:
            articles = []
            counts["files refused"] += 1
            reasons[str(error).split(":")[0][:60]] += 1
            if entries:
                differences.append(f"{name}: refused ({error}), feedparser: {len(entries)}")
        counts["articles"] += len(articles)
        if articles and len(articles) != len(entries):
            differences.append(f"{name}: {len(articles)} articles, feedparser: {len(entries)}")
        for article, entry in zip(articles, entries, strict=False):
            if "\ufffd" in article.title + article.body:
                counts["articles with replacement characters"] += 1
            title = " ".join((entry.get("title") or "").split())
            if title and "<" not in title and "&" not in title and article.title != title:
                counts["titles differing"] += 1
                differences.append(f"{name}: title {article.title!r}, feedparser {title!r}")
    lines = [f"- {key}: {value}" for key, value in counts.items()]
    lines.append("- refusals by reason: " + "; ".join(f"{reason} × {n}"
                                                     for reason, n in reasons.most_common()))
    lines += [f"  - {line}" for line in differences[: args.show]]
    lines.append(f"- files where newsbot and feedparser differ: {len(differences)}")
    command = "bench/feeds.py" + (" --quick" if args.quick else "")
    append_results("feeds", "Feed corpus: newsbot's articles vs feedparser's entries", command,
                   lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
