"""Stored articles: identity by source + source id, newest-first lists, full-text search.

Only published stories are ever listed, searched, shown or offered to a digest: one embargoed
(until its time) or withdrawn (kept for the record) is invisible to every reader here and in
storage.filtered (both use VISIBLE); the rules for each version live in storage.status.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from storage import matching
from storage.db import transaction
from storage.grams import index_grams
from storage.likeness import same_story
from storage.matching import WEIGHTS
from storage.records import Article, Outcome, PubStatus, iso_utc, parse_iso
from storage.search_query import (
    N_,
    Combined,
    SearchSyntaxError,
    joined,
    keyword_query,
    parse,
)
from storage.status import (
    Change,
    Status,
    Stored,
    Transition,
    arrival,
    edits_messages,
    revision,
    text_hash,
)
from storage.versions import queue_edits, record_version

# Feed entries' links are often a section page shared by many stories.
FEED_FORMATS = frozenset({"rss", "atom", "jsonfeed"})
# Formats whose ids are global by their standard (IPTC ninjs `uri`, NewsML-G2 `guid`, NewsML 1
# `urn:newsml:…` identifiers, Prezly's `uuid`): a new version of an agency item or press
# release, or its kill notice, often comes in a file of its own, and is still the same story.
# Wire copy's ids are the agency's slug and day (`anpa:BC-BKN--Heat-Hawks:2016-02-20`,
# storage/readers/wire_text.py), Ritzau's `NewsID` a UUID: global too.
GLOBAL_ID_FORMATS = frozenset({"ninjs", "newsml", "newsml1", "prezly", "wire", "ritzau"})
# Queries matching more articles than this list the newest matches first (see `search`).
SEARCH_CANDIDATES = 2000
# Stories a file with no ids and no URLs held before that an edit of it is compared with: the
# newest few, since a file reused again and again must not make every save read them all.
EARLIER_VERSIONS = 20


@dataclass(slots=True)
class StoredArticle:
    """An article as stored: the record plus its summary and bookkeeping."""

    id: str
    seq: int  # short public number, stable for the article's life: `/article 42`
    title: str
    body: str
    summary: list[str]
    url: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    source_file: str | None = None
    format: str | None = None
    first_seen: datetime | None = None
    image_url: str | None = None
    source_files: list[str] = field(default_factory=list)  # every file it was found in
    status: Status = Status.PUBLISHED
    corrected_at: datetime | None = None  # the last change of headline or text

    @property
    def when(self) -> datetime | None:
        """The date to show: publication, else last update, else when we first saw it."""
        return self.published or self.updated or self.first_seen


def article_hash(article: Article) -> str:
    """Hash of everything a reader reports about an article (what makes it 'changed')."""
    return content_hash(
        article.title, article.body, article.url, iso_utc(article.published),
        iso_utc(article.updated), article.language, article.author,
        json.dumps(article.tags, ensure_ascii=False),
        # Only when set, so every story stored before embargoes were read keeps its hash.
        *((iso_utc(article.embargoed), str(article.pubstatus))
          if article.embargoed or article.pubstatus is not PubStatus.USABLE else ()),
    )


def content_hash(*parts: str | None) -> str:
    """A short, stable hash of text parts, used to see whether content changed."""
    hasher = hashlib.sha1()
    for part in parts:
        hasher.update((part or "").encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def source_of(article: Article, source_file: str | None) -> str:
    """The scope the article's own id is unique in: its feed, else the file it came from."""
    return (article.source or source_file or "").strip()


def new_id(conn: sqlite3.Connection, source: str, article: Article) -> str:
    """The stored id of a new row: the source's own id (else URL, else content hash) while no
    other story holds it, else that id scoped by the source, so stories never share a row."""
    preferred = (_source_id(article) or (article.url or "").strip()
                 or "sha1:" + content_hash(article.title, article.body))
    id_, taken = preferred, 0
    while conn.execute("SELECT 1 FROM articles WHERE id = ?", (id_,)).fetchone():
        taken += 1
        id_ = "a" + content_hash(source, preferred, str(taken))[:20]
    return id_


class Existing(NamedTuple):
    """The stored row an incoming article is (its id and content hash)."""

    id: str
    content_hash: str


def find_existing(conn: sqlite3.Connection, article: Article, source: str,
                  claimed: Collection[str] = (),
                  known_hash: str | None = None,
                  previous: Collection[str] = ()) -> Existing | None:
    """The stored row this article is, if any; rows in `claimed` are other stories of its file.

    In order: 1. the same source and source id; else, for an agency item or press release
    (GLOBAL_ID_FORMATS), the same id in the same format from any file; 2. else the same URL
    with the same headline (a story arriving again through another file or feed) unless that
    row has another id of this same source; a single-document file's URL is its own page, so
    there an edited headline is still the same story, while feed items often all link to one
    section page; 3. else identical content; 4. else, for a single-document file whose article
    has neither id nor URL, a story its file held before (`previous`, the ids of the file's
    last read, then the rows with this source and no source id, newest first) with the same
    headline or most of its text (storage.likeness.same_story): an edited file, not a new
    story, while a file reused for another story adds a row. A shared link, or a feed's or
    page's id, alone never merges stories. `known_hash` is the article's `article_hash` when
    the caller has it already.
    """
    source_id = _source_id(article)
    if source_id:
        row = conn.execute("SELECT id, content_hash FROM articles WHERE source = ? "
                           "AND source_id = ?", (source, source_id)).fetchone()
        if row and row[0] not in claimed:
            return Existing(*row)
        if article.format in GLOBAL_ID_FORMATS:
            for id_, hash_ in conn.execute(
                    "SELECT id, content_hash FROM articles WHERE source_id = ? AND format = ? "
                    "ORDER BY seq DESC", (source_id, article.format)):
                if id_ not in claimed:
                    return Existing(id_, hash_)
    if article.url:
        rows = conn.execute("SELECT id, content_hash, source, source_id, title, format "
                            "FROM articles WHERE url = ?", (article.url,))
        for id_, hash_, row_source, row_source_id, title, format_ in rows:
            if id_ in claimed:
                continue
            if row_source_id and source_id and row_source_id != source_id and (
                    row_source == source or title != article.title):
                continue  # another story of the same source, or another agency item
            if title == article.title or not (format_ in FEED_FORMATS
                                              or article.format in FEED_FORMATS):
                return Existing(id_, hash_)
    wanted = known_hash or article_hash(article)
    for id_, hash_ in conn.execute("SELECT id, content_hash FROM articles "
                                   "WHERE content_hash = ?", (wanted,)):
        if id_ not in claimed:
            return Existing(id_, hash_)
    # Only from a file: articles stored with no source share none, and are no versions.
    if source and not (source_id or article.url or article.format in FEED_FORMATS):
        return _earlier_version(conn, article, source, claimed, previous)
    return None


def _earlier_version(conn: sqlite3.Connection, article: Article, source: str,
                     claimed: Collection[str], previous: Collection[str]) -> Existing | None:
    """The story a single-document file with no id and no URL held before, if this is it."""
    # The file's last read first: a copy of a story stored from another file (one row, by
    # content) is that story when the copy is edited. Then rows of this source, which an
    # empty or broken save in between (rejected, so the file's ids forgotten) leaves found.
    candidates = [*previous, *(id_ for (id_,) in conn.execute(
        "SELECT id FROM articles WHERE source = ? AND source_id IS NULL ORDER BY seq DESC "
        "LIMIT ?", (source, EARLIER_VERSIONS)))]
    for id_ in dict.fromkeys(candidates):
        if id_ in claimed:
            continue
        row = conn.execute("SELECT content_hash, title, body, source_id, format FROM articles "
                           "WHERE id = ?", (id_,)).fetchone()
        if row is None:
            continue
        hash_, title, body, row_source_id, format_ = row
        # An id'd story is found by its id only; a feed item is never a file's own story.
        if row_source_id or format_ in FEED_FORMATS:
            continue
        if same_story(title, body, article.title, article.body):
            return Existing(id_, hash_)
    return None


class Saved(NamedTuple):
    """What saving one article did and the article's id."""

    outcome: Outcome
    id: str


def save(conn: sqlite3.Connection, article: Article, summary: list[str],
         source_file: str | None, now: datetime | None = None,
         claimed: Collection[str] = (), previous: Collection[str] = ()) -> Saved:
    """Insert or update one article unless nothing changed (call inside a transaction).

    `claimed` holds the ids already saved from the same file: two entries of one file are two
    stories, so one never updates the other. `previous` holds the ids the file gave at its
    last read (see find_existing). The version's meaning (storage.status) is
    recorded in the story's history, and a change readers must see (correction, withdrawal,
    return) queues edits of the messages that carried the story, in this same transaction.
    """
    now = now or datetime.now(UTC)
    source = source_of(article, source_file)
    hash_ = article_hash(article)
    existing = find_existing(conn, article, source, claimed, hash_, previous)
    if existing and existing.content_hash == hash_:
        _add_source_file(conn, existing.id, source_file)
        return Saved(Outcome.UNCHANGED, existing.id)
    if existing:
        step = revision(stored_state(conn, existing.id), article, now)
        saved = upsert_article(conn, article, summary, source_file, hash_, existing.id,
                               is_new=False, now=now, step=step)
    else:
        step = arrival(article, now)
        saved = upsert_article(conn, article, summary, source_file, hash_,
                               new_id(conn, source, article), is_new=True, now=now, step=step)
    record_version(conn, saved.id, step.change, now, article.title, _note(step, article))
    if edits_messages(step.change):
        queue_edits(conn, saved.id, step.change, now)
    return saved


def _note(step: Transition, article: Article) -> str | None:
    if step.embargo_until is not None:
        return f"embargoed until {iso_utc(step.embargo_until)}"
    if step.change is Change.WITHDRAWN:
        return f"publisher status: {article.pubstatus}"
    return None


def stored_state(conn: sqlite3.Connection, id_: str) -> Stored:
    """The stored story's status, text hash and embargo time."""
    status, hash_, until, title, body = conn.execute(
        "SELECT status, text_hash, embargo_until, title, body FROM articles WHERE id = ?",
        (id_,)).fetchone()
    # Rows stored before text hashes existed get theirs from their text.
    return Stored(Status(status), hash_ or text_hash(title, body), parse_iso(until))


def _source_id(article: Article) -> str | None:
    return article.id.strip() if article.id and article.id.strip() else None


def _add_source_file(conn: sqlite3.Connection, id_: str, source_file: str | None) -> None:
    """Remember one more file an unchanged article was found in."""
    if not source_file:
        return
    row = conn.execute("SELECT source_files FROM articles WHERE id = ?", (id_,)).fetchone()
    files = json.loads(row[0]) if row and row[0] else []
    if source_file not in files:
        conn.execute("UPDATE articles SET source_files = ? WHERE id = ?",
                     (json.dumps([*files, source_file], ensure_ascii=False), id_))


def upsert_article(conn: sqlite3.Connection, article: Article, summary: list[str],
                   source_file: str | None, content_hash: str, id_: str, *, is_new: bool,
                   now: datetime | None = None, step: Transition | None = None) -> Saved:
    """Write the row `save` decided on: a new one with the next seq, or an update of `id_`."""
    now = now or datetime.now(UTC)
    step = step or Transition(Change.NEW if is_new else Change.COSMETIC, Status.PUBLISHED, None)
    state = {"status": str(step.status), "embargo_until": iso_utc(step.embargo_until),
             "content_hash": content_hash, "last_changed": iso_utc(now)}
    if step.change is Change.WITHDRAWN and not is_new:
        # The kill notice's own headline and text are not the story: the row keeps the last
        # version readers saw (what "Withdrawn by the publisher: <title>" names).
        conn.execute("UPDATE articles SET status = :status, embargo_until = :embargo_until, "
                     "content_hash = :content_hash, last_changed = :last_changed "
                     "WHERE id = :id", {**state, "id": id_})
        _add_source_file(conn, id_, source_file)
        return Saved(Outcome.UPDATED, id_)
    values = {
        "title": article.title,
        "url": article.url,
        "published": iso_utc(article.published),
        "updated": iso_utc(article.updated),
        "language": article.language,
        "author": article.author,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "source_file": source_file,
        "format": article.format,
        "urgency": article.urgency,
        "image_url": article.image_url,
        "body": article.body,
        # Chinese, Japanese, Thai as character pairs for the index (None for other text).
        "title_grams": index_grams(article.title),
        "body_grams": index_grams(article.body),
        "summary": json.dumps(summary, ensure_ascii=False),
        **state,
        "text_hash": text_hash(article.title, article.body),
    }
    if step.change is Change.CORRECTED:
        values["corrected_at"] = iso_utc(now)
    if step.change in (Change.LIFTED, Change.RESTORED):
        # Shown from now on as a new story: a new number after every cursor, so instant
        # targets and the next digests get it (the ledger skips targets that already had it).
        values.update(seq=max_seq(conn) + 1, first_seen=iso_utc(now))
    if not is_new:
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        conn.execute(f"UPDATE articles SET {assignments} WHERE id = :id", {**values, "id": id_})
        _add_source_file(conn, id_, source_file)
        return Saved(Outcome.UPDATED, id_)
    seq = max_seq(conn) + 1
    row = {**values, "id": id_, "first_seen": iso_utc(now), "seq": seq,
           "source": source_of(article, source_file), "source_id": _source_id(article),
           "source_files": json.dumps([source_file] if source_file else [], ensure_ascii=False)}
    names = ", ".join(row)
    conn.execute(f"INSERT INTO articles ({names}) VALUES ({', '.join(':' + n for n in row)})", row)
    return Saved(Outcome.NEW, id_)


_COLUMNS = ("id, seq, title, body, summary, url, published, updated, language, author, tags, "
            "source_file, format, first_seen, image_url, source_files, status, corrected_at")
_A_COLUMNS = ", ".join("a." + c.strip() for c in _COLUMNS.split(","))  # aliased as `a` in joins


def _from_row(row: sqlite3.Row | tuple) -> StoredArticle:
    (id_, seq, title, body, summary, url, published, updated, language, author, tags,
     source_file, format_, first_seen, image_url, source_files, status, corrected_at) = row
    return StoredArticle(
        id=id_, seq=seq, title=title, body=body, summary=json.loads(summary), url=url,
        published=parse_iso(published), updated=parse_iso(updated), language=language,
        author=author,
        tags=json.loads(tags), source_file=source_file, format=format_,
        first_seen=parse_iso(first_seen), image_url=image_url,
        source_files=json.loads(source_files or "[]"), status=Status(status),
        corrected_at=parse_iso(corrected_at),
    )


VISIBLE = "status = 'published'"  # the one rule for what readers may see


def seen(articles: Iterable[StoredArticle]) -> dict[str, str]:
    """What a message showed of each story (status and last correction), kept in its layout:
    a story that changed between rendering and recording queues the message for an edit."""
    return {a.id: f"{a.status}|{iso_utc(a.corrected_at) or ''}" for a in articles}


def get_article(conn: sqlite3.Connection, seq: int,
                hidden: bool = False) -> StoredArticle | None:
    """The published article with public number `seq` (any status if `hidden`), or None."""
    rule = "" if hidden else f" AND {VISIBLE}"
    row = conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE seq = ?{rule}",
                       (seq,)).fetchone()
    return _from_row(row) if row else None


def by_id(conn: sqlite3.Connection, ids: list[str]) -> dict[str, StoredArticle]:
    """The stored articles with these ids, whatever their status (for editing sent messages)."""
    return {article.id: article for article in _rows_in(conn, "id", ids)}


def _rows_in(conn: sqlite3.Connection, column: str, values: list[str] | list[int], where: str = "1"
             ) -> Iterator[StoredArticle]:
    """The articles whose `column` is one of `values` and that match `where`, in no order."""
    for start in range(0, len(values), 500):  # stay under SQLite's variable limit
        chunk = values[start:start + 500]
        rows = conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE {where} AND {column} IN "
                            f"({', '.join('?' * len(chunk))})", chunk)
        yield from map(_from_row, rows)


def lift_embargoes(conn: sqlite3.Connection, now: datetime) -> list[str]:
    """Publish every story whose embargo time has come, as new; returns their ids.

    Read first without the write lock: every command and tick calls this, and nearly always
    nothing is due.
    """
    moment = iso_utc(now)
    due = "status = 'embargoed' AND embargo_until <= ?"
    if conn.execute(f"SELECT 1 FROM articles WHERE {due} LIMIT 1", (moment,)).fetchone() is None:
        return []
    lifted: list[str] = []
    with transaction(conn):
        rows = conn.execute(f"SELECT id, title FROM articles WHERE {due} "
                            "ORDER BY embargo_until, seq", (moment,)).fetchall()
        for id_, title in rows:
            # A number after every cursor: instant targets and the next digests get it as new.
            conn.execute("UPDATE articles SET status = 'published', embargo_until = NULL, "
                         "seq = ?, first_seen = ?, last_changed = ? WHERE id = ?",
                         (max_seq(conn) + 1, moment, moment, id_))
            record_version(conn, id_, Change.LIFTED, now, title)
            lifted.append(id_)
    return lifted


def embargoed(conn: sqlite3.Connection, limit: int = 50) -> list[tuple[str, datetime | None]]:
    """(title, embargo time) of the stories waiting for their embargo, soonest first."""
    rows = conn.execute("SELECT title, embargo_until FROM articles WHERE status = 'embargoed' "
                        "ORDER BY embargo_until, seq LIMIT ?", (limit,))
    return [(title, parse_iso(until)) for title, until in rows]


def latest(conn: sqlite3.Connection, limit: int = 5, offset: int = 0,
           languages: list[str] | None = None) -> list[StoredArticle]:
    """The newest articles by publication date (undated ones by arrival), newest first."""
    # ORDER BY matches the articles_recent index exactly, so a page is an index walk.
    where, params = _language_filter(languages)
    where = f"{where} AND {VISIBLE}" if where else f"WHERE {VISIBLE}"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM articles {where} "
        "ORDER BY coalesce(published, first_seen) DESC, seq DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [_from_row(row) for row in rows]


def search(conn: sqlite3.Connection, query: str, limit: int = 5,
           offset: int = 0) -> list[StoredArticle]:
    """Full-text search of what a user typed (see storage.search_query), best matches first.

    A query matching more than SEARCH_CANDIDATES articles (a word found nearly everywhere)
    lists its newest matches first: ranking them all would take seconds at a million articles.
    """
    parsed = parse(query)
    if isinstance(parsed, Combined):
        try:
            return by_seqs(conn, combined_seqs(conn, parsed, limit, offset, f" AND a.{VISIBLE}"))
        except sqlite3.OperationalError as error:
            raise search_error(error, query) from None
    table, query = parsed.table, parsed.expression
    try:
        # bm25 reads the whole posting list of every query term (its IDF), so ranking a word
        # found in most of a million articles costs seconds; such a query lists its newest
        # matches instead. Queries with at most SEARCH_CANDIDATES matches are ranked by bm25.
        probe = conn.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? "
            "ORDER BY rowid DESC LIMIT ?)", (query, SEARCH_CANDIDATES + 1)).fetchone()[0]
        if probe > SEARCH_CANDIDATES:
            rows = conn.execute(
                f"SELECT {_A_COLUMNS} FROM (SELECT f.rowid AS hit FROM {table} f "
                f"JOIN articles v ON v.rowid = f.rowid WHERE {table} MATCH ? "
                f"AND v.{VISIBLE} ORDER BY f.rowid DESC LIMIT ? OFFSET ?) AS hits "
                "JOIN articles a ON a.rowid = hits.hit ORDER BY hits.hit DESC",
                (query, limit, offset),
            ).fetchall()
        else:
            rows = conn.execute(
                f"SELECT {_A_COLUMNS} "
                f"FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
                f"WHERE {table} MATCH ? AND a.{VISIBLE} "
                f"ORDER BY bm25({table}, {WEIGHTS}), a.seq DESC "
                "LIMIT ? OFFSET ?",
                (query, limit, offset),
            ).fetchall()
    except sqlite3.OperationalError as error:
        raise search_error(error, query) from None
    return [_from_row(row) for row in rows]


def combined_seqs(conn: sqlite3.Connection, query: Combined, limit: int, offset: int,
                  where: str = "", params: tuple | list = ()) -> list[int]:
    """The seqs of a search of words of both indexes (`河北 economy`), best first, among the
    rows that pass `where` (SQL on `a`, each clause after " AND "): a condition on the rowid.
    As a single MATCH, a search found in more than SEARCH_CANDIDATES rows lists its newest."""
    found, found_params = matching.condition(query, "a.rowid")
    args = (*found_params, *params)
    probe = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {found}{where} "
                         "LIMIT ?)", (*args, SEARCH_CANDIDATES + 1)).fetchone()[0]
    if probe > SEARCH_CANDIDATES:  # as search(): the newest matches, unranked
        return [seq for (seq,) in conn.execute(
            f"SELECT a.seq FROM articles a WHERE {found}{where} "
            "ORDER BY a.rowid DESC LIMIT ? OFFSET ?", (*args, limit, offset))]
    rows = conn.execute(f"SELECT a.rowid, a.seq FROM articles a WHERE {found}{where}",
                        args).fetchall()
    return matching.ranked(conn, query, rows, SEARCH_CANDIDATES)[offset:offset + limit]


def search_error(error: sqlite3.OperationalError, query: str) -> Exception:
    """What a search the database refused raises: the user's words, or the database's state."""
    message = str(error)
    # The words typed (and a chat's keyword filters) are the only input here, so any error
    # but the database's own state (locked, I/O, corruption, missing schema) is a search the
    # user can rephrase: an FTS5 refusal, or too many keywords for one expression. The reason
    # is a parameter: SQLite's text may hold braces, and the front end translates the message.
    if not any(word in message for word in ("locked", "busy", "disk", "malformed",
                                            "no such table", "readonly")):
        return SearchSyntaxError(N_("the index cannot read it ({reason})"), query,
                                 reason=message)
    return error


class ArticleBrief(NamedTuple):
    """What a digest needs to choose an article before loading it whole."""

    id: str
    seq: int


def since_briefs(conn: sqlite3.Connection, after_seq: int, languages: list[str] | None = None,
                 limit: int = 1000) -> list[ArticleBrief]:
    """Ids and numbers of the articles after `after_seq`, oldest first, optionally of some
    languages: a digest chooses among a day of articles and loads only the fifty it renders."""
    where, params = _language_filter(languages)
    where = f"{where} AND seq > ? AND {VISIBLE}" if where else f"WHERE seq > ? AND {VISIBLE}"
    rows = conn.execute(f"SELECT id, seq FROM articles {where} ORDER BY seq LIMIT ?",
                        (*params, after_seq, limit))
    return [ArticleBrief(id_, seq) for id_, seq in rows]


def keyword_hits(conn: sqlite3.Connection, after_seq: int, keywords: Iterable[str]) -> set[int]:
    """Numbers of the articles after `after_seq` whose title or text has any of the keywords.

    Matching is by whole word through the full-text index, case and accents folded ("ecole"
    finds "École"); several words match as a phrase; a keyword ending in * matches a word
    prefix ("energ*"). Prefix matching is opt-in because at a million articles a prefix term
    costs ~20 ms and a whole word well under 1 ms.
    """
    terms = [keyword_query(word) for word in keywords]
    terms = [term for term in terms if term]
    if not terms:
        return set()
    query = joined("OR", terms, brackets=False)
    # Rows are numbered in arrival order like `seq`, so the first new one bounds the index walk
    # (min(rowid) ... WHERE seq > ? would scan the table: half a second at a million rows).
    first = conn.execute("SELECT rowid FROM articles WHERE seq > ? ORDER BY seq LIMIT 1",
                         (after_seq,)).fetchone()
    if first is None:
        return set()
    if isinstance(query, Combined):  # keywords of both indexes ("河北", "economy")
        where, params = matching.condition(query)
        rows = conn.execute(f"SELECT seq FROM articles WHERE rowid >= ? AND seq > ? AND {where}",
                            (first[0], after_seq, *params))
        return {seq for (seq,) in rows}
    # The subquery keeps the plan FTS-first: driven from `articles`, it probed the index per row.
    table = query.table
    rows = conn.execute(
        f"SELECT seq FROM articles WHERE rowid IN (SELECT rowid FROM {table} "
        f"WHERE {table} MATCH ? AND rowid >= ?) AND seq > ?",
        (query.expression, first[0], after_seq))
    return {seq for (seq,) in rows}


def by_seqs(conn: sqlite3.Connection, seqs: list[int]) -> list[StoredArticle]:
    """The published articles with these numbers, in the order given (others skipped)."""
    found = {article.seq: article for article in _rows_in(conn, "seq", seqs, VISIBLE)}
    return [found[seq] for seq in seqs if seq in found]


def urgent_seqs(conn: sqlite3.Connection, after_seq: int, most_urgent: int = 2) -> set[int]:
    """Numbers of the articles after `after_seq` whose agency urgency is 1..most_urgent."""
    rows = conn.execute("SELECT seq FROM articles WHERE seq > ? AND urgency <= ?",
                        (after_seq, most_urgent))
    return {seq for (seq,) in rows}


def max_seq(conn: sqlite3.Connection) -> int:
    """The public number of the newest stored article (0 when empty)."""
    return conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]


def seq_at(conn: sqlite3.Connection, moment: datetime) -> int:
    """The highest public number of articles that arrived before `moment`."""
    row = conn.execute(
        "SELECT coalesce(max(seq), 0) FROM articles WHERE first_seen < ?", (iso_utc(moment),)
    ).fetchone()
    return row[0]


def count(conn: sqlite3.Connection) -> int:
    """How many articles readers can see (embargoed and withdrawn stories are not counted)."""
    return conn.execute(f"SELECT count(*) FROM articles WHERE {VISIBLE}").fetchone()[0]


def count_by_status(conn: sqlite3.Connection) -> dict[Status, int]:
    """How many stored stories are published, embargoed and withdrawn (every status listed)."""
    counts = dict.fromkeys(Status, 0)
    for status, number in conn.execute("SELECT status, count(*) FROM articles GROUP BY status"):
        counts[Status(status)] = number
    return counts


def store(conn: sqlite3.Connection, article: Article, summary: list[str],
          source_file: str | None = None) -> Outcome:
    """Save one article in its own transaction; returns what it did."""
    with transaction(conn):
        return save(conn, article, summary, source_file).outcome


def _language_filter(languages: list[str] | None) -> tuple[str, tuple]:
    if not languages:
        return "", ()
    return f"WHERE language IN ({', '.join('?' * len(languages))})", tuple(languages)
