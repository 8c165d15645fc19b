"""
Text repair: mojibake (UTF-8 read as Windows-1252/1250/…) undone with ftfy.

Imported content is where it is found most (a careless WordPress export, as the
seed article shows), but any text can carry it: `repair_text` mends what is stored.
"""

import functools
from dataclasses import dataclass, field

import ftfy
from django.db import transaction
from ftfy.badness import is_bad
from ftfy.chardata import CHARMAP_ENCODINGS, UTF8_DETECTOR_RE
from ftfy.fixes import restore_byte_a0

_FTFY_CONFIG = ftfy.TextFixerConfig(
    # Content is HTML or Markdown: an escaped "&lt;" must stay escaped.
    unescape_html=False,
    # French typography uses real apostrophes (’): straightening them is not a repair.
    uncurl_quotes=False,
    # Line endings are not mojibake; leaving them keeps the "fields repaired" count honest.
    fix_line_breaks=False,
    fix_character_width=False,
    explain=False,
)


@functools.lru_cache(maxsize=1024)
def repair(text):
    """
    Undo mojibake (UTF-8 read as Windows-1252/1250/…), keeping the rest of the text as it is.

    ftfy decides per line and gives up on a line where real typography (“’”,
    “è”) sits beside mojibake (“dĂ©jĂ ”), as in the seed article: a real “è”
    cannot be encoded back to Windows-1250 and a real “’” is no valid UTF-8
    byte on its own. So each sequence ftfy recognises as UTF-8 mojibake is
    then decoded on its own: all of them when ftfy judges the text broken,
    else only those that decode to a letter inside a lowercase word, which
    short fields (“Ă bientĂ´t”) need and legitimate text (“PĂŞUNE”) is not.
    """
    if not text or text.isascii():
        return text
    if not UTF8_DETECTOR_RE.search(text) and not is_bad(text):
        # ftfy's own detectors see nothing to decode: spare its full pass (milliseconds per post).
        return text
    fixed = ftfy.fix_text(text, _FTFY_CONFIG)
    return UTF8_DETECTOR_RE.sub(_decode_mojibake if is_bad(fixed) else _decode_mojibake_in_word, fixed)


def _decoded(sequence):
    for encoding in CHARMAP_ENCODINGS:
        try:
            # restore_byte_a0: a no-break space (byte A0, as in "à") that became a plain space.
            return restore_byte_a0(sequence.encode(encoding)).decode("utf-8")
        except UnicodeError:
            continue
    return None


def _decode_mojibake(match):
    return _decoded(match.group(0)) or match.group(0)


def _decode_mojibake_in_word(match):
    sequence, text = match.group(0), match.string
    decoded = _decoded(sequence)
    letter = (decoded or "").rstrip(" ")
    if len(letter) != 1 or not letter.isalpha() or letter.isascii():
        return sequence
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if decoded != letter:
        # "Ă " for "à ": the end of a word ("dĂ©jĂ ") or the word itself, not an uppercase "…RĂ ".
        return sequence if before.isupper() else decoded
    return decoded if before.islower() or after.islower() else sequence


# ---------------------------------------------------------------------------
# Repairing what is already stored


@dataclass(frozen=True)
class Repairable:
    kind: str  # "posts", "comments"…: the row of the report
    label: str
    model: type
    fields: tuple


# Filled by each app that stores text, in its AppConfig.ready() (core cannot import them).
repairables = []


def register_repairable(kind, label, model, fields):
    if all(item.kind != kind for item in repairables):
        repairables.append(Repairable(kind, label, model, tuple(fields)))


@dataclass
class RepairReport:
    dry_run: bool = False
    # kind -> [objects checked, objects changed, fields repaired]
    counts: dict = field(default_factory=dict)


def text_repair(*, dry_run=False):
    """Repair mojibake in every registered text field, saving (so re-rendering) what changed."""
    report = RepairReport(dry_run=dry_run)
    with transaction.atomic():
        for item in repairables:
            counts = report.counts.setdefault(item.kind, [0, 0, 0])
            for obj in item.model._default_manager.all().iterator(chunk_size=500):
                counts[0] += 1
                fixed = {name: repair(getattr(obj, name)) for name in item.fields}
                changed = [name for name, value in fixed.items() if value != getattr(obj, name)]
                if not changed:
                    continue
                counts[1] += 1
                counts[2] += len(changed)
                if not dry_run:
                    for name in changed:
                        setattr(obj, name, fixed[name])
                    obj.save()  # re-renders body_html, toc, summary, bio_html
        if dry_run:
            transaction.set_rollback(True)
    return report
