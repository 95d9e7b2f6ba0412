"""What a visitor typed, understood the same way on every database.

The syntax is PostgreSQL's web-search syntax: words (all must match), "quoted phrases", a
minus sign before a word or phrase to leave it out, and `or` between two terms for either.
PostgreSQL reads the text itself (`websearch_to_tsquery`); SQLite's FTS5 gets the same terms
written in its own syntax (`fts5_expression`). Typos are corrected term by term
(`with_corrections`): only words the visitor wants are ever replaced, so a corrected search
still leaves out what was excluded.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

MAX_QUERY_LENGTH = 200
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    excluded: bool = False
    # Between this term and the one before it: `or` instead of the implicit "and".
    or_before: bool = False


# Typographic double quotes (what a word processor, a phone's keyboard or the page's own
# example gives, and French guillemets) quote a phrase as the straight ones do.
_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'))


def normalise_query(raw: str | None) -> tuple[str, bool]:
    """The query with its whitespace collapsed, its quotes straight, cut to MAX_QUERY_LENGTH,
    and whether it was cut."""
    query = " ".join((raw or "").replace("\x00", " ").translate(_QUOTES).split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or query[:MAX_QUERY_LENGTH], True
    return query, False


def parse(query: str) -> list[Term]:
    """The query's terms; punctuation-only words are dropped (they match nothing anywhere)."""
    terms: list[Term] = []
    or_next = False
    for match in _TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            or_next = bool(terms)
            continue
        if word is not None:
            excluded = word.startswith("-") and len(word) > 1
            term = Term(word[1:] if excluded else word, excluded=excluded)
        else:
            term = Term(phrase, phrase=True, excluded=minus == "-")
        if not _WORD.search(term.text):
            continue
        terms.append(replace(term, or_before=or_next))
        or_next = False
    return terms


def as_text(terms: list[Term]) -> str:
    """The terms in web-search syntax again (after a correction)."""
    parts = []
    for term in terms:
        if term.or_before:
            parts.append("or")
        text = f'"{term.text}"' if term.phrase else term.text
        parts.append(f"-{text}" if term.excluded else text)
    return " ".join(parts)


def fts5_expression(terms: list[Term]) -> str | None:
    """The terms as an FTS5 query: every term quoted (FTS5 reads nothing inside quotes as an
    operator), `or` groups in parentheses, exclusions after NOT. None when nothing is asked
    for (no term, or only exclusions)."""

    def quoted(term: Term) -> str:
        return '"' + term.text.replace('"', '""') + '"'

    groups: list[list[Term]] = []
    for term in terms:
        if term.excluded:
            continue
        if term.or_before and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
    if not groups:
        return None
    expression = " AND ".join("(" + " OR ".join(map(quoted, group)) + ")" for group in groups)
    excluded = [quoted(term) for term in terms if term.excluded]
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def with_corrections(
    terms: list[Term], closest_words: Callable[[list[str]], dict[str, str]]
) -> list[Term] | None:
    """The terms with each wanted single word replaced by the closest known word, as
    `closest_words` finds them; None when nothing changes. Phrases and excluded terms are
    kept as typed."""
    words = [
        term.text.lower()
        for term in terms
        if not (term.phrase or term.excluded) and _WORD.fullmatch(term.text)
    ]
    closest = closest_words(sorted(set(words))) if words else {}
    corrected = [
        replace(term, text=closest.get(term.text.lower(), term.text))
        if not (term.phrase or term.excluded)
        else term
        for term in terms
    ]
    return corrected if corrected != terms else None
