"""Editors' teasers as reference summaries: a dev set built from the saved benchmark pages.

    .venv/bin/python bench/teasers.py [--language de] [OUT.jsonl]

Issue #14 asks for German and Dutch ROUGE figures, and no German or Dutch news set with human
summaries can be had here. But news pages carry the teaser their editors wrote
(`og:description`, else `description` or `twitter:description`). Each page of
../shared/realworld/html-benchmark is read as the ingest stores it, in the language the ingest
would give it. A page is kept when:
- its teaser has at least 10 words and does not end cut off (`…`, `...`);
- the teaser is not the body's own text: a CMS that copies the lead, or its first
  160 characters, wrote no summary, and Lead would score it by construction;
- its body has at least 5 sentences, so there is something to choose.

The rows have the fields of ../shared/eval/*.jsonl; `bench/rouge.py` scores them beside those.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import shared_dir  # noqa: E402

_TEASER_META = ({"property": "og:description"}, {"name": "description"},
                {"name": "twitter:description"})
MIN_TEASER_WORDS = 10
MIN_BODY_SENTENCES = 5
_CUT_OFF = ("...", "…", "[…]")
_VERBATIM_CHARS = 80  # a teaser whose opening stands in the body is copied, not written


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def teaser_of(page: bytes) -> str | None:
    """The teaser a page's editors wrote into its metadata, whitespace collapsed, or None."""
    from storage.readers.cleaning import parse_html

    soup = parse_html(page.decode("utf-8", "replace"))
    for attrs in _TEASER_META:
        tag = soup.find("meta", attrs=attrs)
        content = _collapsed(str(tag.get("content") or "")) if tag else ""
        if len(content.split()) >= MIN_TEASER_WORDS:
            return content
    return None


def teaser_rows(language: str, folder: Path | None = None) -> list[dict]:
    """Rows (id, source, language, title, article, reference, reference_sentences) of the
    pages stored in `language` whose teaser is a summary of their own (see the module text)."""
    from bot.ingest import prepare
    from storage.readers import RejectedFile, read_bytes
    from summarizer import split_sentences

    pages = folder or shared_dir() / "realworld" / "html-benchmark" / "pages"
    rows = []
    for path in sorted(pages.glob("*.html")) if pages.is_dir() else []:
        data = path.read_bytes()
        try:
            articles = read_bytes(data, path.name)
        except RejectedFile:
            continue
        article, _ = prepare(articles[0], 1)  # the language as the ingest settles it
        teaser = teaser_of(data)
        if article.language != language or not teaser or teaser.endswith(_CUT_OFF):
            continue
        if teaser.rstrip(".… ")[:_VERBATIM_CHARS] in _collapsed(article.body):
            continue
        if len(split_sentences(article.body, language)) < MIN_BODY_SENTENCES:
            continue
        reference = split_sentences(teaser, language)
        rows.append({"id": path.name, "source": f"pages-{language}", "language": language,
                     "title": article.title, "article": article.body,
                     "reference": "\n".join(reference), "reference_sentences": len(reference)})
    return rows


def main(argv: list[str] | None = None) -> int:
    """Write the rows for one language as JSONL (to stdout without a file name)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--language", default="de")
    args = parser.parse_args(argv)
    lines = [json.dumps(row, ensure_ascii=False) for row in teaser_rows(args.language)]
    text = "\n".join(lines) + ("\n" if lines else "")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{len(lines)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
