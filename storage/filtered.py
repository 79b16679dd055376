"""/latest and /search narrowed to a chat's languages and keywords, as its digests are.

With no keywords set, the plain (benchmarked) queries of storage.articles run unchanged; with
keywords, the full-text index picks the rows and storage.articles.by_seqs loads them in order.
Either way only published stories are found (storage.articles.VISIBLE): the rule is in the
queries themselves, so a page is never cut short by embargoed or withdrawn rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage import articles as article_store
from storage import matching
from storage.articles import SEARCH_CANDIDATES, VISIBLE, StoredArticle
from storage.matching import WEIGHTS
from storage.search_query import (
    Combined,
    Query,
    joined,
    keyword_query,
    parse,
    without,
)


@dataclass(frozen=True, slots=True)
class Filters:
    """A chat's filters: only these languages (none: all), these words in, those words out."""

    languages: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """Whether any filter is set."""
        return bool(self.languages or self.include or self.exclude)


def latest(conn: sqlite3.Connection, limit: int, offset: int,
           filters: Filters) -> list[StoredArticle]:
    """The newest articles that pass the filters, newest first."""
    include, exclude = _terms(filters.include), _terms(filters.exclude)
    if not include and not exclude:
        return article_store.latest(conn, limit, offset, list(filters.languages) or None)
    clauses, params = _language_clause(filters.languages)
    clauses.append(VISIBLE)
    if include:
        where, where_params = matching.condition(include)
        clauses.append(where)
        params.extend(where_params)
    if exclude:
        where, where_params = matching.condition(exclude, negated=True)
        clauses.append(where)
        params.extend(where_params)
    rows = conn.execute(
        f"SELECT seq FROM articles WHERE {' AND '.join(clauses)} "
        "ORDER BY coalesce(published, first_seen) DESC, seq DESC LIMIT ? OFFSET ?",
        (*params, limit, offset))
    return article_store.by_seqs(conn, [seq for (seq,) in rows])


def search(conn: sqlite3.Connection, query: str, limit: int, offset: int,
           filters: Filters) -> list[StoredArticle]:
    """Full-text search of what a user typed among the articles that pass the filters."""
    if not filters.any:
        return article_store.search(conn, query, limit, offset)
    match = parse(query)
    include, exclude = _terms(filters.include), _terms(filters.exclude)
    if include:
        match = joined("AND", [match, include])
    if exclude:
        match = without(match, exclude)
    clauses, params = _language_clause(filters.languages, "a.")
    clauses.append(f"a.{VISIBLE}")
    where = "".join(f" AND {clause}" for clause in clauses)
    if isinstance(match, Combined):
        try:
            seqs = article_store.combined_seqs(conn, match, limit, offset, where, params)
        except sqlite3.OperationalError as error:
            raise article_store.search_error(error, query) from None
        return article_store.by_seqs(conn, seqs)
    table, match = match.table, match.expression
    try:
        # As in storage.articles.search: ranking a word found nearly everywhere costs seconds,
        # so such a search lists its newest matches instead.
        probe = conn.execute(
            f"SELECT count(*) FROM (SELECT {table}.rowid FROM {table} JOIN articles a "
            f"ON a.rowid = {table}.rowid WHERE {table} MATCH ?{where} LIMIT ?)",
            (match, *params, SEARCH_CANDIDATES + 1)).fetchone()[0]
        order = ("a.rowid DESC" if probe > SEARCH_CANDIDATES
                 else f"bm25({table}, {WEIGHTS}), a.seq DESC")
        rows = conn.execute(
            f"SELECT a.seq FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
            f"WHERE {table} MATCH ?{where} ORDER BY {order} LIMIT ? OFFSET ?",
            (match, *params, limit, offset)).fetchall()
    except sqlite3.OperationalError as error:
        raise article_store.search_error(error, query) from None
    return article_store.by_seqs(conn, [seq for (seq,) in rows])


def _terms(keywords: tuple[str, ...]) -> Query | None:
    terms = [term for term in map(keyword_query, keywords) if term]
    return joined("OR", terms, brackets=True) if terms else None


def _language_clause(languages: tuple[str, ...], alias: str = "") -> tuple[list[str], list]:
    if not languages:
        return [], []
    return [f"{alias}language IN ({', '.join('?' * len(languages))})"], list(languages)
