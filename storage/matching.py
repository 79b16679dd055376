"""A parsed search (storage.search_query.Query) as SQL over the two full-text tables.

A search of plain words is one MATCH of articles_fts, and runs in the callers' SQL exactly as it
did before the grams index; one of Chinese, Japanese or Thai words alone is one MATCH of
articles_grams, in the same SQL. Only a search mixing both (`河北 economy`, `economy -河北`)
becomes a condition on the story's rowid with one MATCH subquery per part, ranked by the sum
of the parts' bm25 (title five times the body, as for a single MATCH).
"""

from __future__ import annotations

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


def rank(query: Query, rowid: str = "rowid") -> tuple[str, list[str]]:
    """An SQL expression ordering the found rows best first (ascending), and its parameters."""
    matches = list(_wanted(query))
    terms = [f"coalesce((SELECT bm25({match.table}, {WEIGHTS}) FROM {match.table} "
             f"WHERE {match.table} MATCH ? AND rowid = {rowid}), 0)" for match in matches]
    return " + ".join(terms) or "0", [match.expression for match in matches]


def _wanted(query: Query):
    if isinstance(query, Match):
        yield query
    elif query.operator == "NOT":
        yield from _wanted(query.parts[0])
    else:
        for part in query.parts:
            yield from _wanted(part)
