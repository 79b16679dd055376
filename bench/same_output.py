"""Same output: ingest the same folders with another revision's code and with this tree's, and
diff what is stored (`newsbot export`, without the times versions were seen) and what the
ingest reports, byte for byte.

    .venv/bin/python bench/same_output.py                  # against main, every folder below
    .venv/bin/python bench/same_output.py --against HEAD~3 articles
    .venv/bin/python bench/same_output.py --quick          # the bundled folder and 50 files

A speed change must not change a result: this is the check. The other revision's tree is
taken with `git archive` into a temporary folder, and each side runs `newsbot ingest` then
`newsbot export` in its own process, on a fresh database, with the same environment. Default
folders: the bundled `articles/`, ../shared/articles, ../shared/realworld (feeds and saved
pages) and the ingest benchmark's generated corpus (2,000 files). Exit status 1 when anything
differs, with the first differing article and field.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import CACHE, load_eval_rows, shared_dir, write_corpus  # noqa: E402

CORPUS_FILES = 2000
QUICK_FILES = 50


def default_folders(quick: bool) -> list[Path]:
    """The bundled folder, the shared corpora (unless quick) and a generated corpus."""
    files = QUICK_FILES if quick else CORPUS_FILES
    corpus = CACHE / f"corpus-{files}-5"
    write_corpus(corpus, files, load_eval_rows(), 5)  # SystemExit without the shared data
    folders = [ROOT / "articles", corpus]
    if not quick:
        shared = shared_dir()
        folders += [shared / "articles", shared / "realworld" / "feeds",
                    shared / "realworld" / "html-benchmark"]
    return [folder for folder in folders if folder.exists()]


def checkout(revision: str, into: Path) -> Path:
    """The tree of `revision` extracted into `into` (no .git, no venv)."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        done = subprocess.run(["git", "-C", str(ROOT), "archive", revision], stdout=out,
                              stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise SystemExit(f"same_output.py: git archive {revision}: "
                         f"{done.stderr.decode(errors='replace').strip()}")
    tree = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run_side(code: Path, folders: list[Path], work: Path) -> tuple[str, str]:
    """Ingest the folders with the code at `code`; (ingest report, exported JSON lines)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "NEWSBOT_"))}
    env.update(PYTHONPATH=str(code), LANG="C.UTF-8", NEWSBOT_LANGUAGE="en",
               NEWSBOT_DB=str(work / "newsbot.db"))
    command = [sys.executable, "-c", "import sys; from bot.cli import main; "
               "raise SystemExit(main(sys.argv[1:]))"]
    ingest = subprocess.run([*command, "ingest", "--settle", "0", *map(str, folders)],
                            capture_output=True, text=True, cwd=work, env=env, check=False)
    if ingest.returncode not in (0, 1) or "Traceback" in ingest.stderr:
        raise SystemExit(f"same_output.py: ingest with {code} failed: {ingest.stderr[-2000:]}")
    # Every stored story, embargoed and withdrawn ones too, where the revision can say so.
    export = subprocess.run([*command, "export", "--all"], capture_output=True, text=True,
                            cwd=work, env=env, check=False)
    if export.returncode == 2 and "--all" in export.stderr:  # a revision from before --all
        export = subprocess.run([*command, "export"], capture_output=True, text=True, cwd=work,
                                env=env, check=False)
    if export.returncode != 0:
        raise SystemExit(f"same_output.py: export with {code} failed: {export.stderr[-2000:]}")
    return ingest.stdout, export.stdout


def comparable(export: str) -> str:
    """The export without what differs between any two ingests: when each version was seen."""
    rows = []
    for line in export.splitlines():
        row = json.loads(line)
        for version in row.get("versions") or []:
            version.pop("at", None)  # the ingest's own clock, not what was stored
        rows.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(rows) + ("\n" if rows else "")


def first_difference(before: str, after: str) -> str:
    """Where two exports first differ: the article and the field."""
    old_rows, new_rows = before.splitlines(), after.splitlines()
    if len(old_rows) != len(new_rows):
        return f"{len(old_rows)} articles before, {len(new_rows)} after"
    for old_line, new_line in zip(old_rows, new_rows, strict=True):
        if old_line != new_line:
            old, new = json.loads(old_line), json.loads(new_line)
            fields = [name for name in old if old.get(name) != new.get(name)]
            return f"article {old.get('id')!r}: {', '.join(fields)} differ"
    return "no difference"


def main(argv: list[str] | None = None) -> int:
    """Compare the two revisions' stored articles; exit 1 when they differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--against", default="main", help="git revision to compare with")
    parser.add_argument("--quick", action="store_true", help="bundled folder and 50 files")
    args = parser.parse_args(argv)
    folders = [path.resolve() for path in args.folders] or default_folders(args.quick)
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        work = Path(tmp)
        base = checkout(args.against, work)
        (work / "old").mkdir()
        (work / "new").mkdir()
        old_report, old_export = run_side(base, folders, work / "old")
        new_report, new_export = run_side(ROOT, folders, work / "new")
    old_export, new_export = comparable(old_export), comparable(new_export)
    articles = old_export.count("\n")
    print(f"folders: {', '.join(str(folder) for folder in folders)}")
    print(f"{args.against}: {articles} articles; this tree: {new_export.count(chr(10))}")
    same_report = old_report == new_report
    same_export = old_export == new_export
    print(f"ingest report identical: {'yes' if same_report else 'NO'}")
    print(f"export identical (title, body, summary, language, ...): "
          f"{'yes' if same_export else 'NO: ' + first_difference(old_export, new_export)}")
    return 0 if same_report and same_export else 1


if __name__ == "__main__":
    raise SystemExit(main())
