"""A parsed search (storage.search_query.Query) as SQL over the two full-text tables.

A search of plain words is one MATCH of articles_fts, and runs in the callers' SQL exactly as it
did before the grams index; one of Chinese, Japanese or Thai words alone is one MATCH of
articles_grams, in the same SQL. Only a search mixing both (`河北 economy`, `economy -河北`)
becomes a condition on the story's rowid with one MATCH subquery per part, ranked by the sum
of the parts' bm25 (title five times the body, as for a single MATCH): `ranked`.
"""

from __future__ import annotations

import sqlite3

from storage.search_query import Match, Query

WEIGHTS = "5.0, 1.0"  # bm25 weight of the title column, of the body column (of either table)


def condition(query: Query, rowid: str = "rowid", *,
              negated: bool = False) -> tuple[str, list[str]]:
    """An SQL condition true for the rows whose `rowid` the query finds (with `negated`, those
    it does not find), and its parameters."""
    if isinstance(query, Match):
        return (f"{rowid} {'NOT IN' if negated else 'IN'} "
                f"(SELECT rowid FROM {query.table} WHERE {query.table} MATCH ?)",
                [query.expression])
    parts = [condition(part, rowid) for part in query.parts]
    params = [param for _, part_params in parts for param in part_params]
    if query.operator == "NOT":
        sql = f"({parts[0][0]} AND NOT {parts[1][0]})"
    else:
        sql = "(" + f" {query.operator} ".join(sql for sql, _ in parts) + ")"
    return (f"NOT {sql}" if negated else sql), params


def ranked(conn: sqlite3.Connection, query: Query, found: list[tuple[int, int]],
           most: int) -> list[int]:
    """The seqs of the found stories, (rowid, seq) pairs, best first: by the sum of the bm25
    of each wanted part, then newest first.

    Each part's bm25 is one statement over its matches (bm25 reads a term's whole posting list
    for its IDF, once per statement: a correlated subquery per story would read it per story).
    A part matching more than `most` stories (a word found nearly everywhere, whose IDF is
    near nothing anyway) adds nothing, so ranking stays bounded as a single MATCH's is.
    """
    scores = dict.fromkeys((rowid for rowid, _ in found), 0.0)
    for match in _wanted(query):
        table = match.table
        count = conn.execute(f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} "
                             "MATCH ? LIMIT ?)", (match.expression, most + 1)).fetchone()[0]
        if count > most:
            continue
        for rowid, score in conn.execute(f"SELECT rowid, bm25({table}, {WEIGHTS}) FROM {table} "
                                         f"WHERE {table} MATCH ?", (match.expression,)):
            if rowid in scores:
                scores[rowid] += score
    return [seq for rowid, seq in sorted(found, key=lambda pair: (scores[pair[0]], -pair[1]))]


def _wanted(query: Query):
    if isinstance(query, Match):
        yield query
    elif query.operator == "NOT":
        yield from _wanted(query.parts[0])
    else:
        for part in query.parts:
            yield from _wanted(part)
