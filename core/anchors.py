"""
Heading anchors that survive edits: which heading of a new text is which heading of
the last one, so a renamed heading keeps the id it was first given.

Pure functions on plain data. A *record* is what is kept of a heading between saves:
`{"id": str, "level": int, "titles": [str, ...], "aliases": [str, ...]}`, `titles` the
texts it has had (the current one last), `aliases` the ids it had before, which still
land on it. `core.markdown.render(text, anchors=records)` matches the headings against
the records and returns the new ones; whoever stores the text keeps them.

A heading of the new text is the heading of a record when, in this order:
1. its text is the record's current one, else one the record's heading has had before
   (whatever its level now);
2. its text is similar to the record's current one (difflib ratio >= SIMILAR) at the same
   level, the most similar pairs first;
3. both texts have as many headings and it stands at the record's position at the same
   level (a heading rewritten in place).
Each record goes to one heading at most; a heading matched to none is new.
"""

import difflib

SIMILAR = 0.6
# What a record remembers, at most: enough for a restore to find its heading again.
MAX_TITLES = 8
MAX_ALIASES = 8


def _norm(title):
    return " ".join(title.casefold().split())


def match(records, headings):
    """For each heading `(title, level)`, the index of its record in `records`, or None."""
    result = [None] * len(headings)
    free = set(range(len(records)))
    current = [_norm(record["titles"][-1]) if record.get("titles") else None for record in records]
    former = [{_norm(title) for title in record.get("titles", ())} for record in records]
    # The current texts first: a new heading that takes a renamed one's former text is new.
    for texts_of in (lambda k: {current[k]}, lambda k: former[k]):
        for index, (title, _level) in enumerate(headings):
            if result[index] is not None:
                continue
            text = _norm(title)
            found = next((k for k in sorted(free) if text in texts_of(k)), None)
            if found is not None:
                result[index] = found
                free.discard(found)
    pairs = []
    for index, (title, level) in enumerate(headings):
        if result[index] is not None:
            continue
        for k in free:
            record = records[k]
            if record.get("level") != level or not record.get("titles"):
                continue
            matcher = difflib.SequenceMatcher(None, _norm(title), _norm(record["titles"][-1]))
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((-ratio, index, k))
    for _ratio, index, k in sorted(pairs):
        if result[index] is None and k in free:
            result[index] = k
            free.discard(k)
    if len(headings) == len(records):
        for index, (_title, level) in enumerate(headings):
            if result[index] is None and index in free and records[index].get("level") == level:
                result[index] = index
                free.discard(index)
    return result


def record(heading_id, title, level, previous=None):
    """The record of a heading now at `heading_id`, continuing `previous` (its matched record)."""
    if previous is None:
        return {"id": heading_id, "level": level, "titles": [title], "aliases": []}
    titles = [kept for kept in previous.get("titles", ()) if kept != title][-(MAX_TITLES - 1) :]
    aliases = [*previous.get("aliases", ()), previous["id"]]
    aliases = list(dict.fromkeys(alias for alias in aliases if alias and alias != heading_id))
    return {
        "id": heading_id,
        "level": level,
        "titles": [*titles, title],
        "aliases": aliases[-MAX_ALIASES:],
    }


def records_from_toc(toc):
    """Records for headings saved before anchors were kept: their ids as the table of contents has them."""
    records, stack = [], list(reversed(toc or []))
    while stack:
        node = stack.pop()
        records.append(record(node["id"], node["title"], node["level"]))
        stack.extend(reversed(node.get("children", [])))
    return records
