"""The `newsbot` command through its real entry point, as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ARTICLES, NEWSROOM, age, clean_env, link, without_since, write


def newsbot(tmp_path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    """Run `python -m bot.cli ARGS` in tmp_path with a database there; no token, no network."""
    environment = clean_env(**{"NEWSBOT_DB": str(tmp_path / "n.db"), **env})
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, text=True,
                          capture_output=True, cwd=tmp_path, env=environment, timeout=120)


@pytest.fixture
def drop(tmp_path):
    """A drop folder with the Prezly seed, a German ninjs story and one broken file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "prezly" / "belga-critical-cloud.json", folder)
    shutil.copy(ARTICLES / "ninjs" / "dpa-text-2.1.json", folder)
    (folder / "broken.json").write_text("{\"title\": ", encoding="utf-8")
    for path in folder.iterdir():
        age(path)
    return folder


def test_ingest_reports_new_and_rejected_then_unchanged(tmp_path, drop):
    first = newsbot(tmp_path, "ingest")
    assert first.returncode == 0, first.stderr
    assert "2 new" in first.stdout and "1 rejected" in first.stdout
    assert "broken.json" in first.stdout and "JSON" in first.stdout
    second = newsbot(tmp_path, "ingest", str(drop))
    assert "0 new" in second.stdout and "2 unchanged" in second.stdout
    assert "1 rejected" in second.stdout and "broken.json" in second.stdout  # still rejected


def test_each_rejected_file_is_reported_once_also_with_info_logging(tmp_path, drop):
    result = newsbot(tmp_path, "--log-level", "INFO", "ingest")
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("broken.json") == 1
    # The console (`newsbot run` without a token) logs at INFO by default.
    console = newsbot(tmp_path, "run", NEWSBOT_ARTICLES_DIR=str(drop),
                      NEWSBOT_DB=str(tmp_path / "console.db"))
    assert console.returncode == 0, console.stderr
    assert (console.stdout + console.stderr).count("broken.json") == 1


def test_latest_search_article_and_stats(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    latest = newsbot(tmp_path, "latest", "-n", "1")
    assert "Belgian IT firms" in latest.stdout and "/article" in latest.stdout
    found = newsbot(tmp_path, "search", "souveraine OR sovereign")
    assert "Belgian IT firms" in found.stdout
    article = newsbot(tmp_path, "article", "1")
    assert "belganewsagency.eu" in article.stdout
    stats = newsbot(tmp_path, "stats")
    assert "Articles: 2" in stats.stdout and "Rejected files: 1" in stats.stdout


def test_stats_counts_the_rejected_files_it_does_not_name(tmp_path, drop):
    for number in range(6):
        write(drop, f"broken-{number}.json", "{")
    newsbot(tmp_path, "ingest")
    stats = newsbot(tmp_path, "stats").stdout
    assert "Rejected files: 7" in stats and stats.count("broken") == 5
    assert "… and 2 more (newsbot ingest lists them all)" in stats


def test_malformed_search_is_a_message_not_a_traceback(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    result = newsbot(tmp_path, "search", '"unbalanced AND (')
    assert result.returncode == 2 and "plain words" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stdout + result.stderr


def test_summarize_a_file_and_stdin(tmp_path, drop):
    result = newsbot(tmp_path, "summarize", str(drop / "belga-critical-cloud.json"), "-n", "2")
    assert result.returncode == 0
    assert result.stdout.count("\n- ") + result.stdout.startswith("- ") == 2
    text = ("De gemeenteraad van Gent keurde dinsdag het nieuwe mobiliteitsplan goed. "
            "Dhr. Peeters, o.a. schepen van mobiliteit, noemde het plan historisch. "
            "Volgens de oppositie komt het plan te laat. Het plan gaat in januari in.")
    piped = newsbot(tmp_path, "summarize", "-", "-n", "1", "--language", "nl", stdin=text)
    assert piped.returncode == 0 and piped.stdout.startswith("- ")


def test_summarize_a_missing_or_bad_file_is_one_clear_line(tmp_path, drop):
    missing = newsbot(tmp_path, "summarize", str(tmp_path / "nope.json"))
    bad = newsbot(tmp_path, "summarize", str(drop / "broken.json"))
    for result in (missing, bad):
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("count", ["0", "-3", "21"])
def test_summarize_refuses_a_sentence_count_out_of_range(tmp_path, drop, count):
    result = newsbot(tmp_path, "summarize", str(drop / "belga-critical-cloud.json"), "-n", count)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("newsbot: -n is the number of sentences in the summary, "
                             "from 1 to 20\n")


@pytest.mark.parametrize("stdin", ["", " \n\n"])
def test_summarize_of_empty_stdin_says_there_is_no_text(tmp_path, stdin):
    result = newsbot(tmp_path, "summarize", "-", stdin=stdin)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("newsbot: no text on standard input")
    assert result.stderr.count("\n") == 1


def test_run_without_token_ingests_and_serves_the_console(tmp_path, drop):
    result = newsbot(tmp_path, "run", stdin="/latest 1\n/search cloud\n/subscribe 07:15\n"
                     "/digest\n/digest\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Console mode" in out and "Ingest: 2 new" in out
    assert "Subscribed" in out and "07:15" in out
    assert "News digest" in out and "Nothing new since" in out  # the ledger, via the console


@pytest.mark.parametrize("command", [["latest"], ["search", "cloud"], ["article", "1"], ["stats"],
                                     ["digest"], ["embargoed"], ["export"]])
def test_a_command_that_reads_names_a_missing_database_and_creates_nothing(tmp_path, command):
    missing = tmp_path / "typo" / "newsbot.db"
    result = newsbot(tmp_path, *command, NEWSBOT_DB=str(missing))
    assert result.returncode == 1 and f"no database at {missing}" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "typo").exists()


def test_bad_setting_is_a_clear_error(tmp_path):
    result = newsbot(tmp_path, "latest", NEWSBOT_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2 and "NEWSBOT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dot_env_saved_by_notepad_is_read_and_one_with_bad_bytes_is_one_line(tmp_path):
    # Windows Notepad's "Unicode" is UTF-16 with a BOM: python-dotenv read it as UTF-8 and the
    # command ended in a UnicodeDecodeError traceback, for any command.
    (tmp_path / ".env").write_bytes("NEWSBOT_DIGEST_TIME=25:00\n".encode("utf-16"))
    read = newsbot(tmp_path, "latest")
    assert read.returncode == 2 and "NEWSBOT_DIGEST_TIME must be HH:MM" in read.stderr
    (tmp_path / ".env").write_bytes(b"NEWSBOT_DIGEST_TIME=07:30\nNEWSBOT_CHANNEL=caf\xe9\n")
    result = newsbot(tmp_path, "latest")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (f"newsbot: configuration error: {tmp_path / '.env'} is not UTF-8 "
                             "text (byte 0xE9 on line 2): save it as UTF-8\n")


def test_a_dot_env_line_that_is_not_a_setting_is_named_without_its_text(tmp_path):
    # python-dotenv skipped it with a warning naming no file, and the setting was not set.
    (tmp_path / ".env").write_text("NEWSBOT_DIGEST_TIME=07:30\nTELEGRAM_BOT_TOKEN 123:secret\n",
                                   encoding="utf-8")
    result = newsbot(tmp_path, "latest")
    assert result.returncode == 2 and "secret" not in result.stderr
    assert result.stderr == (f"newsbot: configuration error: {tmp_path / '.env'}, line 2: not "
                             "NAME=value (quote a value that holds a quotation mark or #)\n")


def test_paths_with_bytes_that_are_not_utf8_are_named_as_the_report_names_them(tmp_path):
    # Python's surrogate escapes leaked out: "no such file or folder: /tmp/…/nowhere\udcff".
    missing = newsbot(tmp_path, "ingest", os.fsdecode(bytes(tmp_path) + b"/nowhere\xff"))
    assert missing.returncode == 2 and "\\udc" not in missing.stderr
    assert missing.stderr.endswith(f"no such file or folder: {tmp_path}/nowhere\\xff\n")
    no_db = newsbot(tmp_path, "--db", os.fsdecode(bytes(tmp_path) + b"/caf\xe9.db"), "stats")
    assert no_db.returncode == 1
    assert no_db.stderr == f"newsbot: no database at {tmp_path}/caf\\xe9.db\n"


def test_ingest_of_a_named_pipe_or_device_says_it_is_not_a_file(tmp_path):
    # `newsbot ingest /dev/null` or a FIFO: "0 new, 0 updated, 0 unchanged, 0 rejected" and
    # exit status 0, as if it had been read.
    os.mkfifo(tmp_path / "pipe.json")
    result = newsbot(tmp_path, "ingest", str(tmp_path / "pipe.json"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"rejected {tmp_path / 'pipe.json'}: not a regular file" in result.stdout


@pytest.mark.parametrize("command", ["ingest", "stats"])
def test_a_database_path_that_is_a_folder_is_named_as_one(tmp_path, command):
    # SQLite's own words were "unable to open database file", which says neither why nor what
    # to change.
    (tmp_path / "data").mkdir()
    result = newsbot(tmp_path, command, NEWSBOT_DB=str(tmp_path / "data"),
                     NEWSBOT_ARTICLES_DIR=str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == (f"newsbot: database {tmp_path / 'data'} is a folder: give the "
                             "database file's name (--db or NEWSBOT_DB)\n")


def test_ingest_of_a_missing_folder(tmp_path):
    result = newsbot(tmp_path, "ingest", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_a_missing_path_is_named_and_the_others_are_still_ingested(tmp_path):
    fresh = tmp_path / "fresh.json"
    shutil.copy(ARTICLES / "prezly" / "belga-critical-cloud.json", fresh)
    missing = tmp_path / "missing.txt"
    result = newsbot(tmp_path, "ingest", str(fresh), str(missing))
    assert result.returncode == 2 and "1 new" in result.stdout
    assert result.stderr == f"newsbot: no such file or folder: {missing}\n"
    assert "Belgian IT firms" in newsbot(tmp_path, "latest").stdout


def test_backup_command(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    (tmp_path / "b").mkdir()
    result = newsbot(tmp_path, "backup", str(tmp_path / "b" / "copy.db"))
    assert result.returncode == 0 and (tmp_path / "b" / "copy.db").exists()
    restored = newsbot(tmp_path, "latest", NEWSBOT_DB=str(tmp_path / "b" / "copy.db"))
    assert "Belgian IT firms" in restored.stdout


@pytest.mark.parametrize("target, problem", [
    ("b", "is a folder"),
    ("missing/copy.db", "does not exist"),
    ("n.db", "live database"),
    ("n.db-wal", "live database"),
])
def test_backup_refuses_a_target_it_cannot_use(tmp_path, drop, target, problem):
    newsbot(tmp_path, "ingest")
    (tmp_path / "b").mkdir()
    result = newsbot(tmp_path, "backup", str(tmp_path / target))
    assert result.returncode == 2 and problem in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "Articles: 2" in newsbot(tmp_path, "stats").stdout  # the live database is intact


def test_backup_replaces_neither_a_special_file_nor_a_file_that_is_not_a_database(tmp_path,
                                                                                 drop):
    # The copy is written beside the target and renamed over it: `newsbot backup /dev/null`
    # run as root replaced the device with a regular file (and /dev/stdout, a link, with the
    # database), and `newsbot backup notes.txt` overwrote the notes.
    newsbot(tmp_path, "ingest")
    os.mkfifo(tmp_path / "pipe")  # a special file, as /dev/null is one (safe to test with)
    notes = write(tmp_path, "notes.txt", "Minutes of Monday's meeting.\n")
    for target, problem in (("pipe", "is not a regular file"),
                            ("notes.txt", "is not an SQLite database")):
        result = newsbot(tmp_path, "backup", str(tmp_path / target))
        assert result.returncode == 2 and problem in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (tmp_path / "pipe").is_fifo()
    assert notes.read_text() == "Minutes of Monday's meeting.\n"
    # An older backup is replaced (the same day's run again); through a link, its target is.
    assert newsbot(tmp_path, "backup", str(tmp_path / "old.db")).returncode == 0
    assert newsbot(tmp_path, "backup", str(tmp_path / "old.db")).returncode == 0
    link(tmp_path / "latest.db", tmp_path / "old.db")
    assert newsbot(tmp_path, "backup", str(tmp_path / "latest.db")).returncode == 0
    assert (tmp_path / "latest.db").is_symlink()
    assert "Belgian IT firms" in newsbot(tmp_path, "latest",
                                         NEWSBOT_DB=str(tmp_path / "old.db")).stdout


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_backup_to_a_place_it_cannot_write_names_the_target_not_the_database(tmp_path, drop):
    # /proc, not a read-only folder: the tests may run as root, whom permissions do not stop.
    newsbot(tmp_path, "ingest")
    result = newsbot(tmp_path, "backup", "/proc/newsbot-backup.db")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("newsbot: cannot create /proc/newsbot-backup.db (")
    assert result.stderr.count("\n") == 1 and "n.db" not in result.stderr


@pytest.mark.parametrize("args, status, stream, text", [
    (("article", "99999999999999999999999"), 1, "stderr", "No article"),
    (("article", "424242"), 1, "stderr", "No article"),
    (("article", "one"), 2, "stderr", "Usage"),
    (("search", "cloud OR"), 2, "stderr", "OR needs a word"),
    (("latest", "-n", "200"), 2, "stderr", "from 1 to 20"),
    (("latest", "-n", "0"), 2, "stderr", "from 1 to 20"),
    (("latest", "--page", "0"), 2, "stderr", "--page"),
    (("latest", "--page", "999999999999999999999"), 0, "stdout", "No older articles"),
    (("search", "cloud", "--page", "999999999999999999999"), 0, "stdout", "No more results"),
    (("search", "zeppelin"), 0, "stdout", "Nothing found"),
    (("article", "1"), 0, "stdout", "belganewsagency.eu"),
])
def test_exit_status_says_how_a_command_went(tmp_path, drop, args, status, stream, text):
    newsbot(tmp_path, "ingest")
    result = newsbot(tmp_path, *args)
    assert result.returncode == status, result.stderr
    assert text in getattr(result, stream) and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, line", [
    (("latest", "--pgae", "2"), "unrecognized arguments: --pgae 2 (see newsbot latest --help)"),
    (("search", "cloud", "--pgae", "2"),
     "unrecognized arguments: --pgae 2 (see newsbot search --help)"),
    (("latest", "-n", "x"), "argument -n: invalid int value: 'x' (see newsbot latest --help)"),
    (("lates",), "unknown command 'lates'; did you mean latest? (see newsbot --help)"),
    (("--db", "x.db", "stat"), "unknown command 'stat'; did you mean stats? (see newsbot --help)"),
    (("zeppelin",), "unknown command 'zeppelin' (see newsbot --help)"),
    # nan compared false with every deadline: `check --wait nan` asked for ever.
    (("check", "--wait", "nan"), "argument --wait: invalid seconds value: 'nan' "
                                 "(see newsbot check --help)"),
    (("ingest", "--settle", "-5"), "argument --settle: invalid seconds value: '-5' "
                                   "(see newsbot ingest --help)"),
    (("console",), "unknown command 'console': the console is newsbot run, without "
                   "TELEGRAM_BOT_TOKEN (see newsbot --help)"),
    ((), "the following arguments are required: command (see newsbot --help)"),
])
def test_a_mistyped_command_line_is_one_line_on_stderr(tmp_path, args, line):
    result = newsbot(tmp_path, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"newsbot: {line}\n"


def test_search_takes_minus_word_as_typed_not_as_an_option(tmp_path, drop):
    # The help says "-word to leave a word out"; typed unquoted, argparse took it for an option:
    # `newsbot search cloud -storage` ended in "unrecognized arguments: -storage".
    newsbot(tmp_path, "ingest")
    for args in (("Schiedsrichter", "-cloud"), ("-cloud", "Schiedsrichter", "--page", "1"),
                 ("Schiedsrichter", "--", "-cloud")):
        found = newsbot(tmp_path, "search", *args)
        assert found.returncode == 0, (args, found.stderr)
        assert "Derby-Elfmeter" in found.stdout and "Belgian IT" not in found.stdout
    left = newsbot(tmp_path, "search", "sovereign", "-storage")
    assert left.returncode == 0 and "Nothing found for sovereign -storage" in left.stdout
    alone = newsbot(tmp_path, "search", "-storage")
    assert alone.returncode == 2 and "only says what to leave out" in alone.stderr
    assert alone.stderr.count("\n") == 1


def test_help_still_shows_the_usage(tmp_path):
    result = newsbot(tmp_path, "latest", "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: newsbot latest [-h] [-n N] [--page PAGE]")


def test_latest_and_search_page_with_page_not_buttons(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    first = newsbot(tmp_path, "latest", "-n", "1")
    assert "/press" not in first.stdout and "[" not in first.stdout.splitlines()[-1]
    assert "More: newsbot latest -n 1 --page 2" in first.stdout
    second = newsbot(tmp_path, "latest", "-n", "1", "--page", "2")
    assert "(2–2)" in second.stdout and "More:" not in second.stdout
    assert second.stdout.split("/article")[0] != first.stdout.split("/article")[0]
    assert "No older articles" in newsbot(tmp_path, "latest", "-n", "1", "--page", "3").stdout
    found = newsbot(tmp_path, "search", "cloud OR Bahn", "--page", "1")
    assert found.returncode == 0 and "/press" not in found.stdout


def test_digest_is_a_preview_unless_marked(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    # Compared without the header's "since" moment, which moves with the clock: three runs
    # may straddle a minute.
    runs = [without_since(newsbot(tmp_path, "digest").stdout) for _ in range(3)]
    assert "2 new articles since …" in runs[0] and runs[0] == runs[1] == runs[2]
    marked = newsbot(tmp_path, "digest", "--mark")
    assert "2 new" in marked.stdout
    assert "Nothing new" in newsbot(tmp_path, "digest").stdout


def test_embargoed_lists_the_stories_waiting_with_their_times(tmp_path):
    (tmp_path / "articles").mkdir()
    newsbot(tmp_path, "ingest")
    assert newsbot(tmp_path, "embargoed").stdout == "No story is under embargo.\n\n"
    for name in ("prezly-embargoed.json", "ninjs-embargoed.json"):  # both until 2099-01-01 09:00Z
        write(tmp_path / "articles", name, (NEWSROOM / name).read_bytes())
    newsbot(tmp_path, "ingest")
    listed = newsbot(tmp_path, "embargoed")
    assert listed.returncode == 0 and listed.stderr == ""
    header, *stories = listed.stdout.splitlines()
    assert header == "Under embargo · 2 stories"
    assert sorted(stories) == [  # one embargo time for both: their order is not defined
        "",
        "• until 1 Jan 2099, 10:00: Belgian IT firms team up to offer sovereign cloud storage "
        "for critical sectors",
        "• until 1 Jan 2099, 10:00: Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"]


def test_output_into_a_closed_pipe_is_not_an_error(tmp_path, drop):
    newsbot(tmp_path, "ingest")
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already left: every write gets EPIPE
    done = subprocess.run([sys.executable, "-m", "bot.cli", "latest", "-n", "20"],
                          stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                          env=clean_env(NEWSBOT_DB=str(tmp_path / "n.db")), timeout=120)
    os.close(write_end)
    assert "BrokenPipe" not in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == 0


def test_files_named_on_the_command_line_are_read_at_once(tmp_path):
    fresh = tmp_path / "fresh.json"
    shutil.copy(ARTICLES / "prezly" / "belga-critical-cloud.json", fresh)  # modified just now
    result = newsbot(tmp_path, "ingest", str(fresh), NEWSBOT_SETTLE_SECONDS="3600")
    assert result.returncode == 0 and "1 new" in result.stdout


def test_a_link_named_on_the_command_line_is_read_where_it_points(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    story = write(elsewhere, "story.json", (ARTICLES / "prezly" / "belga-critical-cloud.json")
                  .read_bytes())
    file_link = link(tmp_path / "story-link.json", story)
    folder_link = link(tmp_path / "folder-link", elsewhere)
    assert "1 new" in newsbot(tmp_path, "ingest", str(file_link)).stdout
    assert "1 unchanged" in newsbot(tmp_path, "ingest", str(folder_link)).stdout


def test_a_link_out_of_the_drop_folder_is_reported_not_read(tmp_path, drop):
    outside = write(tmp_path / "elsewhere", "story.json", '{"title": "Elsewhere", "body": "x"}')
    link(drop / "out.json", outside)
    result = newsbot(tmp_path, "ingest")
    assert result.returncode == 0 and "2 new" in result.stdout and "2 rejected" in result.stdout
    assert f"out.json: symbolic link to {outside.resolve()}, outside" in result.stdout
    assert newsbot(tmp_path, "search", "Elsewhere").stdout.startswith("Nothing found")


def test_a_broken_or_looping_link_named_is_one_clear_line(tmp_path):
    dangling = link(tmp_path / "dangling.json", "nowhere.json")
    loop = link(tmp_path / "loop-a", tmp_path / "loop-b")
    link(tmp_path / "loop-b", loop)
    result = newsbot(tmp_path, "ingest", str(dangling), str(loop))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"newsbot: no such file or folder: {dangling} (a broken symbolic "
                             f"link, to nowhere.json), {loop} (a symbolic link loop)\n")


def test_a_run_where_every_file_is_rejected_fails_and_says_so_once(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    for path in folder.iterdir():
        age(path)
    for _ in range(2):  # the second run: not read again, still rejected, still a failure
        result = newsbot(tmp_path, "ingest")
        assert result.returncode == 1 and "2 rejected" in result.stdout
        output = result.stdout + result.stderr
        assert output.count("empty.html") == 1 and output.count("broken.json") == 1
        assert "discarding" not in output and result.stderr == ""


def test_a_command_that_only_reads_the_database_starts_without_the_summarizer(tmp_path):
    # sumy, nltk and the readers are a second and a half of start-up: `newsbot latest`,
    # `search` and `backup` need none of them, only `ingest` and `summarize` do.
    heavy = ("nltk", "sumy", "trafilatura", "feedparser", "bs4")
    probe = ("import sys, bot.cli, bot.console, bot.commands; "
             f"print([m for m in {heavy!r} if m in sys.modules])")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=clean_env(), cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_ctrl_c_during_ingest_keeps_what_was_stored_and_says_so(tmp_path, monkeypatch, capsys):
    # In-process (the same main() as the console script), so the interrupt comes at a known
    # file. It ended with exit status 130 and not a word: how much got in, and what to do now?
    from bot import ingest as ingest_module
    from bot.cli import main

    for name in [n for n in os.environ if n.startswith(("NEWSBOT_", "TELEGRAM_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "n.db"))
    monkeypatch.setenv("NEWSBOT_LANGUAGE", "en")
    monkeypatch.chdir(tmp_path)
    drop = tmp_path / "articles"
    for number in range(3):
        write(drop, f"story-{number}.md", f"# Harbour story {number}\n\nThe harbour opens "
                                          f"berth {number} on Monday. Ships wait outside.\n")
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 1)  # each file its own transaction
    real_read, reads = ingest_module.read_one, []

    def read_then_ctrl_c(*args, **kwargs):
        reads.append(args[0])
        if len(reads) == 3:
            raise KeyboardInterrupt
        return real_read(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "read_one", read_then_ctrl_c)
    assert main(["ingest", str(drop)]) == 130
    err = capsys.readouterr().err
    assert err == ("newsbot: interrupted: the files read until then are stored; run the same "
                   "command again for the rest\n")
    monkeypatch.setattr(ingest_module, "read_one", real_read)
    assert main(["ingest", str(drop)]) == 0
    assert "1 new, 0 updated, 2 unchanged" in capsys.readouterr().out
