"""Hostile text: does reading and summarizing stay linear in the length of the input?

    .venv/bin/python bench/adversarial.py [--quick] [--no-write]

Each case repeats a small pattern into a text (or a file) of two sizes, 4x apart: text without
spaces, glued words, text in capitals full of stops, quotes, ordinals, abbreviations, nested
and unclosed markup, huge feeds. It times `summarizer.summarize` on the texts and
`storage.readers.read_bytes` on the files (median of 3), and reports the growth of the time
from one size to the other: 4 is linear, 16 quadratic. Goal: every case under 8, so that no
file can stall an ingest for minutes. As a reference, the cost per character of real news
(the eval articles, summarized the same way) is printed beside each case.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import append_results, load_eval_rows, median  # noqa: E402

GOAL = 8.0  # growth of the time for 4x the input; 4 = linear, 16 = quadratic

# name -> a pattern repeated into a text (summarized as German: the language with most rules)
TEXTS: dict[str, str] = {
    "glued words, no spaces": "wordAbc",
    "capitals full of stops": "AB? ",
    "capitals after quotes": '!"AB ',
    "capital after stop": "x.AB CD EF",
    "one endless token": "aaaaa",
    "lower case after stops": "x. y ",
    "glued sentences": "abc.Def ",
    "straight quotes": 'ab"Cd ',
    "German ordinals": "am 14. Mai ",
    "Co. KG": "Co. KG ",
    "list items": "- item\n",
    "one-word paragraphs": "Word.\n\n",
    "guillemets": "« a. b » ",
    "ellipses": "a... ",
    "ideographs and Latin": "日本。abc. ",
    "numbers with dots": "1.2.3.4 ",
    "consent words": "partner cookie passwort ",
    "breadcrumb bars": "a | ",
    "links": "http://x.y/z?a=b. ",
}


def _prezly(html: str) -> bytes:
    return json.dumps({"title": "T", "content": html, "language": "en",
                       "published_at": "2024-01-01T00:00:00Z"}).encode()


def _page(body: str) -> bytes:
    return (f"<html lang='en'><head><title>T</title></head><body><article><h1>Headline</h1>"
            f"{body}</article></body></html>").encode()


def _feed(items: str) -> bytes:
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>{items}"
            "</channel></rss>").encode()


# name -> (file name, repetitions -> file bytes)
FILES: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "Prezly, nested divs": ("a.json", lambda n: _prezly("<div>" * n + "Text. " * 9 + "</div>" * n)),
    "Prezly, unclosed tags": ("a.json", lambda n: _prezly("<b><i>word " * n)),
    "Prezly, line breaks": ("a.json", lambda n: _prezly("word<br>" * n)),
    "page, nested divs": ("a.html", lambda n: _page("<div>" * n + "<p>Text here. " * 5
                                                    + "</div>" * n)),
    "page, a big table": ("a.html", lambda n: _page("<table>" + "<tr><td>a</td><td>b</td></tr>" * n
                                                    + "</table><p>Body text here. " * 3)),
    "page, paragraphs": ("a.html", lambda n: _page("<p>A sentence of text, long enough.</p>" * n)),
    "feed, many items": ("a.xml", lambda n: _feed("<item><title>I</title><description>Text."
                                                  "</description></item>" * n)),
    "feed, escaped markup": ("a.xml", lambda n: _feed("<item><title>I</title><description>"
                                                      + "&lt;b&gt;x&lt;/b&gt; " * n
                                                      + "</description></item>")),
    "text, Markdown headings": ("a.md", lambda n: ("# Title\n\n" + "## h\n\npara.\n\n" * n)
                                .encode()),
    # Plain-text layout (storage/readers/cleaning.py:plain_paragraphs): one wrapped paragraph
    # of many lines, wire copy's indented starts, plain copy full of <p> and <br> markup.
    "text, one wrapped paragraph": ("a.txt", lambda n: ("Title\n" + "a\n" * n).encode()),
    "text, indented wire copy": ("a.txt", lambda n: ("Title\n" + "   word word\nmore words\n"
                                                     * n).encode()),
    "NewsML-G2, plain copy with markup": ("a.xml", lambda n: (
        "<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/' guid='g'><contentMeta>"
        "<headline>H</headline></contentMeta><contentSet><inlineData contenttype='text/plain'>"
        + "&lt;p&gt;&lt;br&gt;word " * n + "</inlineData></contentSet></newsItem>").encode()),
}


def _timed(action: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return median(times)


def main(argv: list[str] | None = None) -> int:
    """Time every case at both sizes, print and record the growth ratios."""
    import summarizer
    from storage.readers import RejectedFile, read_bytes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 2,000 and 8,000 characters")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rows = load_eval_rows()[: 20 if args.quick else 300]
    small = 2_000 if args.quick else 16_000
    large = 4 * small
    # Real news, as a reference: the cost of a character of an eval article.
    news = _timed(lambda: [summarizer.summarize(r["article"], r["language"], 3) for r in rows])
    chars = sum(len(r["article"]) for r in rows)
    news_us = 1e6 * news / chars
    lines = [f"Sizes {small:,} and {large:,} characters (files: repetitions of the pattern "
             f"for about those sizes); growth = time at 4x the size / time; goal < {GOAL:g}. "
             f"Real news: {news_us:.2f} µs per character ({len(rows)} eval articles).", "",
             "| case | kind | time at the larger size, ms | µs per character | growth for 4x |",
             "|---|---|---:|---:|---:|"]
    worst = 0.0

    def report(name: str, kind: str, small_s: float, large_s: float, size: int) -> None:
        nonlocal worst
        growth = large_s / max(small_s, 1e-9)
        worst = max(worst, growth)
        flag = " **(over goal)**" if growth >= GOAL else ""
        lines.append(f"| {name} | {kind} | {1000 * large_s:.1f} | {1e6 * large_s / size:.2f} "
                     f"| {growth:.1f}{flag} |")

    for name, pattern in TEXTS.items():
        texts = [(pattern * (size // len(pattern) + 1))[:size] for size in (small, large)]
        times = [_timed(lambda t=t: summarizer.summarize(t, "de", 3)) for t in texts]
        report(name, "summarize", *times, large)

    def read(name: str, data: bytes) -> None:
        with contextlib.suppress(RejectedFile):  # a refusal is an outcome: its time counts
            read_bytes(data, name)

    for name, (file_name, make) in FILES.items():
        unit = len(make(10)) - len(make(0))
        datas = [make(max(1, 10 * size // unit)) for size in (small, large)]
        times = [_timed(lambda d=d, f=file_name: read(f, d)) for d in datas]
        report(name, "read", *times, len(datas[1]))
    verdict = "met" if worst < GOAL else "missed"
    lines += ["", f"Largest growth for 4x the input: **{worst:.1f}** (goal < {GOAL:g}: {verdict})."]
    append_results("adversarial", "Hostile text: time against input length",
                   "bench/adversarial.py" + (" --quick" if args.quick else ""), lines,
                   write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
