"""
A naive Bayes spam score in pure Python: no library, no network, nothing sent anywhere.

`train(spam_texts, ham_texts)` returns a JSON-ready model (how many comments of each kind
held each token); `score(model, text)` the probability that `text` is spam. Each comment
counts a token once (a "binarized" multinomial model, which suits short texts), with
Laplace smoothing; tokens seen once in the whole training set are dropped, so the stored
model stays small.
"""

import math
import re
from collections import Counter
from urllib.parse import urlsplit

WORD_RE = re.compile(r"\w{2,30}")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)


def submission_text(*, author_name, author_url, body):
    """What the filter reads of a comment: the same for training and for scoring."""
    return f"{author_name}\n{author_url}\n{body}"


def tokens(text):
    """The set of features of `text`: its words (case folded) and the host of each link."""
    text = str(text or "")
    found = set()
    for url in URL_RE.findall(text):
        host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
        found.add(f"host:{host.removeprefix('www.')}")
        found.add("has:link")
    found.update(WORD_RE.findall(URL_RE.sub(" ", text).casefold()))
    return found


def train(spam_texts, ham_texts, *, min_count=2):
    """A model from two lists of texts (the site's spam and its approved comments)."""
    counts = {"spam": Counter(), "ham": Counter()}
    documents = {"spam": 0, "ham": 0}
    for label, texts in (("spam", spam_texts), ("ham", ham_texts)):
        for text in texts:
            counts[label].update(tokens(text))
            documents[label] += 1
    total = counts["spam"] + counts["ham"]
    kept = {token for token, count in total.items() if count >= min_count}
    return {
        "documents": documents,
        "tokens": {label: {t: n for t, n in counts[label].items() if t in kept} for label in counts},
        "totals": {label: sum(n for t, n in counts[label].items() if t in kept) for label in counts},
        "vocabulary": len(kept),
    }


def score(model, text):
    """The probability (0 to 1) that `text` is spam under `model`."""
    documents = model["documents"]
    if not documents["spam"] or not documents["ham"]:
        return 0.0
    vocabulary = max(model["vocabulary"], 1)
    log_odds = math.log(documents["spam"] / documents["ham"])
    spam_tokens, ham_tokens = model["tokens"]["spam"], model["tokens"]["ham"]
    spam_total, ham_total = model["totals"]["spam"], model["totals"]["ham"]
    for token in tokens(text):
        if token not in spam_tokens and token not in ham_tokens:
            continue  # never seen in training: says nothing either way
        log_odds += math.log((spam_tokens.get(token, 0) + 1) / (spam_total + vocabulary))
        log_odds -= math.log((ham_tokens.get(token, 0) + 1) / (ham_total + vocabulary))
    log_odds = max(min(log_odds, 700), -700)  # math.exp's range
    return 1 / (1 + math.exp(-log_odds))
