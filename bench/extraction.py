"""Saved-page extraction: our stored bodies against `trafilatura.extract` defaults, in one run.

    .venv/bin/python bench/extraction.py [--quick] [--no-write] [--show N]

Pages and expected snippets come from ../shared/realworld/html-benchmark (trafilatura's own
benchmark; see its README). Scoring as trafilatura's evaluation does it: whitespace normalized,
a `with` snippet found is a true positive (missing: false negative), a `without` snippet found
is a false positive (absent: true negative); a page we reject or store without a body misses
every `with` snippet. Both extractors see the same bytes in the same process. A page "keeps
under a quarter" when our body is shorter than a quarter of the text trafilatura finds
(whitespace collapsed); pages refused as not articles (home, index, product) are counted there
too, and listed apart.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import append_results, corpus_arguments, realworld_folder  # noqa: E402

QUICK_PAGES = 25  # tests/data/realworld/html-benchmark holds 4: the smoke test runs all of them
BOOTSTRAP_RESAMPLES = 2000


@dataclass
class Score:
    """Snippet counts over all pages, and the time spent extracting."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    seconds: float = 0.0
    per_page: dict[str, int] = field(default_factory=dict)  # file -> characters extracted
    counts: list[tuple[int, int, int, int]] = field(default_factory=list)  # (tp, fn, fp, tn)

    def add(self, text: str, expected: dict) -> None:
        """Score one page's extracted text against its snippets."""
        found = " ".join(text.split())
        with_found = [" ".join(s.split()) in found for s in expected.get("with", [])]
        without_found = [" ".join(s.split()) in found for s in expected.get("without", [])]
        page = (sum(with_found), with_found.count(False), sum(without_found),
                without_found.count(False))
        self.counts.append(page)
        self.tp, self.fn, self.fp, self.tn = (a + b for a, b in zip(
            (self.tp, self.fn, self.fp, self.tn), page, strict=True))

    def figures(self) -> tuple[float, float, float, float]:
        """Precision, recall, F1 and accuracy."""
        return _figures(self.tp, self.fn, self.fp, self.tn)


def _figures(tp: int, fn: int, fp: int, tn: int) -> tuple[float, float, float, float]:
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    accuracy = (tp + tn) / max(1, tp + tn + fp + fn)
    return precision, recall, f1, accuracy


def _f1(counts: list[tuple[int, int, int, int]]) -> float:
    return _figures(*(sum(column) for column in zip(*counts, strict=True)))[2]


def f1_difference_interval(mine: Score, theirs: Score,
                           seed: int = 9) -> tuple[float, float, float]:
    """95 % bootstrap interval of F1 ours − theirs over pages, and the share of resamples where
    ours is not lower: how far the figure can be expected to hold on pages of the same kind."""
    if not mine.counts:
        return 0.0, 0.0, 0.0
    rng = random.Random(seed)  # fixed: the same interval for the same pages, run after run
    pages = range(len(mine.counts))
    deltas = []
    for _ in range(BOOTSTRAP_RESAMPLES):
        chosen = rng.choices(pages, k=len(mine.counts))
        deltas.append(_f1([mine.counts[i] for i in chosen])
                      - _f1([theirs.counts[i] for i in chosen]))
    deltas.sort()
    return (deltas[int(0.025 * len(deltas))], deltas[int(0.975 * len(deltas)) - 1],
            sum(d >= 0 for d in deltas) / len(deltas))


def ours(data: bytes, name: str) -> tuple[str, str | None]:
    """The body newsbot would store for the page, and the rejection reason if any."""
    from storage.readers import RejectedFile, read_bytes

    try:
        articles = read_bytes(data, name)
    except RejectedFile as error:
        return "", str(error)
    return "\n\n".join(article.body for article in articles), None


# A paragraph that ends inside a sentence (a lower-case letter or a comma) before one that goes
# on in lower case: the body cut a sentence in two (not a list item or a table row).
_ENDS_MID_SENTENCE = re.compile(r"[a-zß-ÿ,]$")
_GOES_ON = re.compile(r"[a-zß-ÿ]")


def cut_sentences(body: str) -> int:
    """How many paragraph breaks of a stored body fall inside a sentence."""
    paragraphs = body.split("\n\n")
    return sum(1 for before, after in zip(paragraphs, paragraphs[1:], strict=False)
               if _ENDS_MID_SENTENCE.search(before) and _GOES_ON.match(after)
               and not before.lstrip().startswith(("-", "|")))


def reference(data: bytes) -> str:
    """What `trafilatura.extract` finds with its defaults."""
    import trafilatura

    return trafilatura.extract(data) or ""


def main(argv: list[str] | None = None) -> int:
    """Score both extractors on the benchmark pages, print and record the figures."""
    args = corpus_arguments(__doc__.split("\n\n")[0], argv,
                            quick=f"first {QUICK_PAGES} pages only", show=15,
                            show_help="losses to list")
    folder = realworld_folder("html-benchmark", needs="expected.json")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    pages = sorted(expected.values(), key=lambda page: page["file"])
    if args.quick:
        pages = pages[:QUICK_PAGES]

    mine, theirs = Score(), Score()
    rejected: list[tuple[str, str]] = []  # (file, reason)
    cuts: dict[str, int] = {}  # file -> paragraph breaks inside a sentence
    for page in pages:
        data = (folder / "pages" / page["file"]).read_bytes()
        started = time.perf_counter()
        text, reason = ours(data, page["file"])
        mine.seconds += time.perf_counter() - started
        started = time.perf_counter()
        ref = reference(data)
        theirs.seconds += time.perf_counter() - started
        mine.add(text, page)
        theirs.add(ref, page)
        # Whitespace collapsed: a results table padded with spaces is not more text.
        mine.per_page[page["file"]] = len(" ".join(text.split()))
        theirs.per_page[page["file"]] = len(" ".join(ref.split()))
        if reason:
            rejected.append((page["file"], reason))
        if cut := cut_sentences(text):
            cuts[page["file"]] = cut

    lost = sorted((name for name, size in theirs.per_page.items()
                   if size and mine.per_page[name] < size / 4),
                  key=lambda name: mine.per_page[name] / theirs.per_page[name])
    refused = {name for name, _ in rejected}
    stored_lost = [name for name in lost if name not in refused]
    rows = []
    for label, score in (("newsbot stored bodies", mine), ("trafilatura.extract defaults", theirs)):
        precision, recall, f1, accuracy = score.figures()
        rows.append(f"| {label} | {precision:.3f} | {recall:.3f} | **{f1:.3f}** | {accuracy:.3f} "
                    f"| {1000 * score.seconds / max(1, len(pages)):.0f} |")
    f1_ours, f1_ref = mine.figures()[2], theirs.figures()[2]
    low, high, holds = f1_difference_interval(mine, theirs)
    lines = [
        f"{len(pages)} pages, {mine.tp + mine.fn} `with` and {mine.fp + mine.tn} `without` "
        "snippets.",
        "",
        "| extractor | precision | recall | F1 | accuracy | ms/page |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"- F1 ours − trafilatura: {f1_ours - f1_ref:+.3f} [{low:+.3f}, {high:+.3f}], 95 % "
        f"bootstrap over pages; ours ≥ trafilatura in {100 * holds:.0f} % of the resamples",
        f"- pages under a quarter of trafilatura's text: {len(lost)} "
        f"({100 * len(lost) / max(1, len(pages)):.1f} %; goal ≤ 1 %), of which "
        f"{len(stored_lost)} stored ({100 * len(stored_lost) / max(1, len(pages)):.1f} %) and "
        f"{len(lost) - len(stored_lost)} refused as not articles",
        f"- paragraph breaks inside a sentence in our bodies (a paragraph ending in a lower-case "
        f"letter or comma before one going on in lower case; `<br>` lines, code): "
        f"{sum(cuts.values())} on {len(cuts)} pages",
        f"- pages refused: {len(rejected)} (each counts all its `with` snippets as missed)",
    ]
    for name in stored_lost[: args.show]:
        lines.append(f"  - lost: {name}: {mine.per_page[name]} of {theirs.per_page[name]} chars")
    for name, reason in rejected[: args.show]:
        lines.append(f"  - rejected: {name}: {reason}")
    command = "bench/extraction.py" + (" --quick" if args.quick else "")
    append_results("extraction", "Saved pages: stored bodies vs trafilatura defaults", command,
                   lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
