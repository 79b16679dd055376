"""Hostile drop folders: whatever lands there, the scan never raises and the good files get in.

The readers' own fuzz and refusal tests live in test_readers_rejects.py; these go through the
whole ingest path (`bot.ingest.ingest`: scan, read, summarize, store) with files on disk, and
one runs the real bot over a hostile folder. File opens and socket connections are watched with
a Python audit hook, so "not read" and "no network" are observed, not assumed.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import _print_report
from bot.ingest import ingest
from bot.rejection_kinds import RejectionKind, kind_of
from storage import articles as article_store
from storage.db import open_database
from tests.bot_process import ask, story
from tests.helpers import DeniedReading, age, link, swap_after_listing, write

GOOD_TITLE = "Lighthouse keepers return to Ostend"


# -- watching the process: which files it opens, whether it connects anywhere ------------------

_WATCH: list[list[tuple[str, str]]] = []  # stack of event logs; the hook appends to the top


def _audit(event: str, args: tuple) -> None:
    if _WATCH and event in ("open", "socket.connect", "urllib.Request"):
        _WATCH[-1].append((event, repr(args[:2])))


sys.addaudithook(_audit)  # hooks cannot be removed; this one is idle outside `watch()`


@contextlib.contextmanager
def watch():
    """Record every file open and socket connection made inside the block."""
    events: list[tuple[str, str]] = []
    _WATCH.append(events)
    try:
        yield events
    finally:
        _WATCH.remove(events)


def good_story(uuid: str = "good-1", title: str = GOOD_TITLE) -> bytes:
    return story(uuid, title).encode()


def file_rows(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    """path -> (status, reason) for every file the ingest recorded."""
    return {path: (status, reason) for path, status, reason in
            conn.execute("SELECT path, status, reason FROM files")}


def assert_one_line(reason: str) -> None:
    assert reason and reason.isprintable() and len(reason) <= 300, reason
    assert "Traceback" not in reason and "internal error" not in reason, reason


# -- property: generated folders through the whole ingest path ---------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["title", "body", "uuid", "headline", "body_text", "items", "version",
                         "culture", "url", "content", "stories", "uri", "published_at"]),
        children, max_size=5),
    max_leaves=12,
)
XMLISH = st.lists(st.sampled_from([
    "<?xml version='1.0'?>", "<!DOCTYPE x>", "<rss version='2.0'>", "<channel>", "<item>",
    "<title>", "</title>", "<description>", "</description>", "</item>", "</channel>", "</rss>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>", "<newsItem>",
    "<contentSet>", "<inlineXML>", "<html>", "<body>", "<p>", "</p>", "&amp;", "&x;", "<",
    "<![CDATA[", "]]>", "<!ENTITY e 'v'>", "text ", "\u202e", "\x00",
]), max_size=25).map("".join)
TEXTS = st.text(max_size=200)
CONTENTS = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    XMLISH.map(lambda text: text.encode("utf-8", "surrogatepass")),
    TEXTS.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(TEXTS, TEXTS).map(lambda pair: story("gen", pair[0], body=pair[1]).encode()),
    st.tuples(TEXTS, st.sampled_from(["utf-16-le", "latin-1", "cp1252", "utf-32"])).map(
        lambda pair: pair[0].encode(pair[1], "replace")),
    st.tuples(st.binary(max_size=200), st.binary(max_size=40)).map(
        lambda pair: good_story("mix")[: len(pair[0])] + pair[1]),  # torn or spliced writes
)
# Any bytes a Linux file name may hold (no "/" or NUL); not hidden or partial, which are skipped.
NAMES = st.binary(min_size=1, max_size=40).map(
    lambda raw: raw.replace(b"/", b"_").replace(b"\x00", b"_")
).filter(lambda raw: not raw.startswith(b".") and not raw.lower().endswith(
    (b".tmp", b".part", b".partial", b".crdownload", b".download", b".swp", b".swx", b"~")))
FOLDERS = st.lists(st.tuples(NAMES, CONTENTS), min_size=1, max_size=5,
                   unique_by=lambda item: item[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FOLDERS)
def test_generated_folders_never_break_the_ingest_and_the_good_file_gets_in(files):
    with tempfile.TemporaryDirectory() as tmp:
        drop = Path(tmp) / "drop"
        write(drop, "good.json", good_story())
        for name, data in files:
            write(drop, b"sub/" + name, data)
        conn = open_database(Path(tmp) / "n.db").conn
        try:
            report = ingest(conn, [drop])  # must not raise
            rows = file_rows(conn)
            assert article_store.search(conn, "lighthouse")[0].title == GOOD_TITLE
        finally:
            conn.close()
    # Every file ends as stored ("ok") or rejected with a one-line reason; nothing is lost.
    assert len(rows) == len(files) + 1 and report.pending == 0
    rejected = dict(report.rejected)
    assert len(rejected) == sum(status == "rejected" for status, _ in rows.values())
    for path, (status, reason) in rows.items():
        assert path.isprintable(), path  # newlines and odd bytes are shown escaped
        if status == "rejected":
            assert rejected[path] == reason
            assert_one_line(reason)
        else:
            assert status == "ok" and path not in rejected


# -- explicit hostile files ---------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>
<description>&lol9;</description></item></channel></rss>"""


def external_entities(secret: Path, port: int) -> dict[str, bytes]:
    """XML files that try to read `secret` or reach 127.0.0.1:`port`, in every known way."""
    file_url, http_url = secret.as_uri(), f"http://127.0.0.1:{port}/evil"
    return {
        "xxe-file.xml": f"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY x SYSTEM "{file_url}">]>
<newsItem guid="g"><contentMeta><headline>&x;</headline></contentMeta></newsItem>""".encode(),
        "xxe-http.xml": f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "{http_url}.ent">]>
<rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>""".encode(),
        "xxe-param.xml": f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % p SYSTEM "{http_url}.dtd"> %p;]>
<rss version="2.0"><channel><item><title>t</title></item></channel></rss>""".encode(),
        "external-dtd.xml": f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{http_url}.dtd">
<rss version="2.0"><channel><item><title>Title</title><description>Body text here.
</description></item></channel></rss>""".encode(),
        "xinclude.xml": f"""<?xml version="1.0"?>
<newsItem xmlns:xi="http://www.w3.org/2001/XInclude" guid="g"><contentMeta><headline>
<xi:include href="{file_url}" parse="text"/></headline></contentMeta></newsItem>""".encode(),
        "xhtml-xxe.html": f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY x SYSTEM "{file_url}">]>
<html><head><title>&x;</title></head><body><p>&x;</p></body></html>""".encode(),
        # Malformed before the DOCTYPE: the strict parser gives up and feeds fall back to
        # feedparser, which must not resolve the entity either.
        "broken-feed-xxe.xml": f"""<?xml version="1.0"?>
<!-- a -- b -->
<!DOCTYPE rss [<!ENTITY x SYSTEM "{file_url}">]>
<rss version="2.0"><channel><title>Feed</title><item><title>Item &x;</title>
<description>Item text &x; and more.</description></item></channel></rss>""".encode(),
        "svg-xxe.svg": f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "{file_url}">]><svg>&x;</svg>""".encode(),
    }


@pytest.fixture
def listener():
    """A TCP socket on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def test_xml_bombs_and_external_entities_neither_expand_nor_reach_out(conn, tmp_path,
                                                                      listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a root:x:0:0", encoding="utf-8")
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    write(drop, "lol.xml", BILLION_LAUGHS)
    port = listener.getsockname()[1]
    for name, data in external_entities(secret, port).items():
        write(drop, name, data)
    with watch() as events:
        report = ingest(conn, [drop])
    assert not connected(listener)
    assert not [e for e in events if e[0] != "open"], events  # no socket, no URL opened
    assert not [e for e in events if "secret.txt" in e[1]], events
    dump = "\n".join(conn.iterdump())
    assert "TOPSECRET" not in dump and "lollollol" not in dump
    assert article_store.search(conn, "lighthouse")[0].title == GOOD_TITLE
    rejected = dict(report.rejected)
    for name in ("lol.xml", "xxe-file.xml", "xxe-http.xml", "xxe-param.xml", "svg-xxe.svg"):
        reason = rejected[str(drop / name)]
        assert_one_line(reason)
        assert "entities" in reason and "refused" in reason, (name, reason)
    # A feed naming an external DTD (old RSS 0.91 feeds name Netscape's) is read without
    # fetching it: the DOCTYPE is dropped, and nothing reached out (checked above).
    assert str(drop / "external-dtd.xml") not in rejected
    # HTML parsers and feedparser's fallback ignore entity declarations: the reference stays
    # literal text, never the file's content.
    titles = {a.title for a in article_store.latest(conn, 10)}
    assert titles == {GOOD_TITLE, "&x;", "Item &x;", "Title"}, titles


def test_two_hundred_megabyte_file_is_rejected_by_size_without_being_opened(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    huge = drop / "huge.json"
    with huge.open("wb") as handle:  # sparse: 200 MB on paper, nothing written
        os.truncate(handle.fileno(), 200_000_000)
    age(huge)
    with watch() as events:
        report = ingest(conn, [drop])  # default limit: 10 MB
    assert not [e for e in events if "huge.json" in e[1]], events
    [(path, reason)] = report.rejected
    assert path.endswith("huge.json") and reason == "file is 200.0 MB, over the 10.0 MB limit"
    assert report.new == 1


ODD_BYTES = {
    "invalid-utf8.txt": (b"Title\n\nValid start \x81\x8d\x90 then junk \xc3\x28.", "decode"),
    "cp1252.txt": (b"Caf\xe9 news\n\nThe caf\xe9 opened on the square.", ""),  # accepted
    "mixed.md": ("# Caf\u00e9 news\n\nThe caf\u00e9 opened, ".encode() + b"caf\xe9 closed.",
                 "decode"),
    "nul.json": (b'{"uuid": "n", "title": "T\x00itle", "body": "x"}', "NUL"),
    "nul-middle.txt": (b"Title\n\nBody" + b"\x00" * 50 + b"more", "NUL"),
    "binary.dat": (os.urandom(4096), ""),
    "utf16-no-bom.txt": ("Title\n\nBody of text.".encode("utf-16-le"), ""),
    "deep.json": (b"[" * 10_000 + b"]" * 10_000, "nested too deeply"),
    "deep-object.json": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested too deeply"),
    "deep.xml": (b"<newsItem>" + b"<a>" * 10_000 + b"x" + b"</a>" * 10_000 + b"</newsItem>",
                 ""),
    "deep.html": (b"<html><body>" + b"<div>" * 10_000 + b"Deep text." + b"</div>" * 10_000
                  + b"</body></html>", ""),
    "empty.json": (b"", "empty"),
    "spaces.txt": (b" \n\t " * 100, "empty"),
}


def test_undecodable_binary_nul_and_deeply_nested_files_beside_a_good_one(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    for name, (data, _) in ODD_BYTES.items():
        write(drop, name, data)
    report = ingest(conn, [drop])
    rows = file_rows(conn)
    assert rows[str(drop / "good.json")] == ("ok", None)
    assert article_store.search(conn, "lighthouse")[0].title == GOOD_TITLE
    rejected = dict(report.rejected)
    for name, (_, word) in ODD_BYTES.items():
        status, reason = rows[str(drop / name)]
        if word or status == "rejected":
            assert status == "rejected", (name, status)
            assert_one_line(reason)
            assert word.lower() in reason.lower(), (name, reason)
            assert rejected[str(drop / name)] == reason


def test_file_names_with_newlines_and_non_utf8_bytes_are_readable_in_the_report(conn, tmp_path,
                                                                                capsys):
    drop = tmp_path / "drop"
    names = {
        b"two\nlines.json": good_story("nl", "Ferry service resumes after storm"),
        b"latin-\xe9t\xe9.json": good_story("lat", "Summer festival programme announced"),
        b"ansi-\x1b[31mred.json": b"{broken",
        b"tab\tand\rreturn.txt": b"\xff\xfe\x00\xd8",
        "\u202eevil-rlo-nosj.json".encode(): b"{broken",
    }
    for name, data in names.items():
        write(drop, name, data)
    report = ingest(conn, [drop])
    assert report.new == 2
    assert {a.title for a in article_store.latest(conn, 10)} == {
        "Ferry service resumes after storm", "Summer festival programme announced"}
    _print_report(report)
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert len(lines) == 1 + 3  # the summary line and one line per rejected file
    for path, reason in report.rejected:
        assert path.isprintable() and reason.isprintable()
    assert "ansi-\\x1b[31mred.json" in printed and "tab\\tand\\rreturn.txt" in printed
    assert "\x1b" not in printed and "\r" not in printed
    stored = {row[0] for row in conn.execute("SELECT path FROM files")}
    assert str(drop) + "/two\\nlines.json" in stored
    assert str(drop) + "/latin-\\xe9t\\xe9.json" in stored


def test_links_out_of_the_folder_loops_and_fifos_are_skipped(conn, tmp_path):
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    outside = tmp_path / "outside"
    write(outside, "secret.json", good_story("secret", "Launch codes leaked"))
    link(drop / "to-dir", outside)
    link(drop / "to-file.json", outside / "secret.json")
    link(drop / "relative.json", Path("..") / "outside" / "secret.json")
    link(drop / "loop-a", drop / "loop-b")
    link(drop / "loop-b", drop / "loop-a")
    link(drop / "self", drop)  # inside, but a cycle
    link(drop / "dangling.json", drop / "nowhere.json")
    os.mkfifo(drop / "pipe.json")  # opening it would block the scan forever
    with watch() as events:
        report = ingest(conn, [drop])
    assert not [e for e in events if "outside" in e[1] or "pipe.json" in e[1]], events
    # Each link not followed is reported, with why; the cycle into the folder is just not walked.
    escapes = f"outside {drop.resolve()}: not followed"
    secret = outside.resolve() / "secret.json"
    assert {Path(key).name: reason for key, reason in report.rejected} == {
        "dangling.json": f"broken symbolic link, to {drop / 'nowhere.json'}: not followed",
        "loop-a": "symbolic link loop: not followed",
        "loop-b": "symbolic link loop: not followed",
        "relative.json": f"symbolic link to {secret}, {escapes}",
        "to-dir": f"symbolic link to {outside.resolve()}, {escapes}",
        "to-file.json": f"symbolic link to {secret}, {escapes}"}
    assert report.new == 1
    assert article_store.count(conn) == 1 and not article_store.search(conn, "launch")


def test_ten_thousand_empty_files_are_rejected_and_the_good_one_beside_them_gets_in(conn,
                                                                                   tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    old = 1_600_000_000_000_000_000
    for number in range(10_000):
        path = drop / f"empty-{number:05}.json"
        path.touch()
        os.utime(path, ns=(old, old))
    write(drop, "zz-good.json", good_story())
    report = ingest(conn, [drop])
    assert report.new == 1 and len(report.rejected) == 10_000
    assert {reason for _, reason in report.rejected} == {"file is empty"}
    assert article_store.search(conn, "lighthouse")[0].title == GOOD_TITLE
    again = ingest(conn, [drop])  # rejected files are not read again until they change
    assert again.rejected == [] and again.unchanged == 1  # not read again, still rejected:
    assert len(again.still_rejected) == 10_000 and again.files == 0


def test_the_running_bot_with_a_hostile_drop_folder_still_answers(api, start_bot, workdir,
                                                                  listener):
    drop = workdir / "articles"
    secret = workdir / "secret.txt"
    secret.write_text("TOPSECRET-7f3a", encoding="utf-8")
    for name, data in external_entities(secret, listener.getsockname()[1]).items():
        write(drop, name, data)
    write(drop, "lol.xml", BILLION_LAUGHS)
    for name, (data, _) in ODD_BYTES.items():
        write(drop, name, data)
    write(drop, b"new\nline-\xff.json", b"{broken")
    write(drop, "good.json", good_story())
    with (drop / "huge.json").open("wb") as handle:
        os.truncate(handle.fileno(), 200_000_000)
    age(drop / "huge.json")
    (drop / "escape.json").symlink_to(secret)
    os.mkfifo(drop / "pipe.json")
    for number in range(500):
        (drop / f"empty-{number}.txt").touch()
    bot = start_bot()
    reply = ask(api, 1001, "/search lighthouse")
    assert GOOD_TITLE in reply["plain"]
    assert "Harbour expansion" in ask(api, 1001, "/search harbour")["plain"]
    assert not connected(listener)
    assert "TOPSECRET" not in bot.log()
    assert "rejected" in bot.log() and "new\\nline-\\xff.json" in bot.log()
    assert bot.alive()


def test_a_file_swapped_for_a_fifo_after_listing_does_not_hang_the_scan(conn, tmp_path,
                                                                        monkeypatch):
    import threading

    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    victim = write(drop, "story.json", good_story("s2", "Second story about trams"))

    def to_fifo(path: Path) -> None:
        path.unlink()
        os.mkfifo(path)

    swap_after_listing(monkeypatch, victim, to_fifo)
    outcome: list = []
    scan = threading.Thread(target=lambda: outcome.append(ingest(conn, [drop])), daemon=True)
    scan.start()
    scan.join(20)
    if scan.is_alive():  # release the blocked open() so the thread can end, then fail
        os.close(os.open(victim, os.O_WRONLY | os.O_NONBLOCK))
        scan.join(5)
        pytest.fail("the scan blocked on a FIFO swapped in after listing")
    [report] = outcome
    assert report.new == 1 and article_store.search(conn, "lighthouse")


def test_a_file_swapped_for_a_link_out_of_the_folder_after_listing_is_not_stored(
        conn, tmp_path, monkeypatch):
    drop = tmp_path / "drop"
    victim = write(drop, "story.md", b"# Harmless\n\nA harmless story of some length.\n")
    secret = tmp_path / "secret.md"
    secret.write_bytes(b"# Secret\n\nTOPSECRET token of the same size..\n")
    assert secret.stat().st_size == victim.stat().st_size
    os.utime(secret, ns=(victim.stat().st_atime_ns, victim.stat().st_mtime_ns))

    def to_link(path: Path) -> None:
        path.unlink()
        path.symlink_to(secret)

    swap_after_listing(monkeypatch, victim, to_link)
    ingest(conn, [drop])
    assert "TOPSECRET" not in "\n".join(conn.iterdump())


def test_a_file_and_a_folder_without_read_permission_are_reported_and_read_once_allowed(
        conn, tmp_path, monkeypatch):
    # A file the bot's user may not read was counted "still being written" at every scan, for
    # ever, and a subfolder it may not list was skipped without a word: files left out with no
    # reason in the report or /stats.
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    locked = write(drop, "locked.json", good_story("locked", "Harbour strike called off"))
    age(write(drop / "private", "inside.json", good_story("inside", "Tram line extended")).parent)
    denied = DeniedReading(monkeypatch, locked, drop / "private")
    report = ingest(conn, [drop])
    assert report.new == 1 and report.pending == 0
    reasons = dict(report.rejected)
    assert reasons == {
        str(locked): "cannot read file: permission denied (check its owner and mode)",
        str(drop / "private"): "cannot read folder: permission denied (check its owner and "
                               "mode); its files are not ingested"}
    assert "still being written" not in report.summary_line()
    assert {kind_of(reason) for reason in reasons.values()} == {RejectionKind.UNREADABLE}
    assert report.rejected and not report.nothing_usable
    # Nothing changed: still reported, not read again.
    again = ingest(conn, [drop])
    assert dict(again.still_rejected) == reasons and again.new == 0 and not again.rejected
    # chmod a+r: no change of size or mtime, yet both are read at the next scan.
    denied.allow()
    fixed = ingest(conn, [drop])
    assert fixed.new == 2 and not fixed.all_rejected
    assert {a.title for a in article_store.latest(conn, 10)} == {
        GOOD_TITLE, "Harbour strike called off", "Tram line extended"}
    assert not [row for row in conn.execute("SELECT path FROM files WHERE status = 'rejected'")]


def test_a_drop_folder_without_read_permission_is_reported_and_forgotten_once_allowed(
        conn, tmp_path, monkeypatch):
    drop = tmp_path / "drop"
    write(drop, "good.json", good_story())
    age(drop)
    denied = DeniedReading(monkeypatch, drop)
    report = ingest(conn, [drop])
    assert report.rejected == [(str(drop), "cannot read folder: permission denied (check its "
                                           "owner and mode); its files are not ingested")]
    assert report.nothing_usable
    denied.allow()
    fixed = ingest(conn, [drop])
    assert fixed.new == 1 and not fixed.all_rejected
    assert not list(conn.execute("SELECT path FROM files WHERE status = 'rejected'"))
