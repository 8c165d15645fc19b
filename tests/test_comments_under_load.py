"""
No comment is lost under load: many readers comment at the same moment, through
the API and through the HTML form, against a real gunicorn (2 workers x 4
threads) on PostgreSQL. Every accepted submission (201, or the form's redirect)
has its row, every row was answered as accepted, the counts match exactly, and
no request gets a 5xx. Each body carries a unique marker to pair answers and rows.

The server runs with the flood limit, the form-timing rule and the comment
throttle relaxed (see tests/servers.py), so every submission should be accepted.
"""

import html
import http.client
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from authors import roles
from comments.models import Comment

from .factories import AuthorFactory, PostFactory, UserFactory

API_THREADS, API_COMMENTS_PER_THREAD = 12, 10
FORM_THREADS, FORM_COMMENTS_PER_THREAD = 6, 5
TIMEOUT = 30
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?')
COMMENT_ID = re.compile(r"#comment-(\d+)$")


@pytest.fixture
def post(gunicorn_server):
    # A transactional test's flush also empties the role groups a data migration created.
    roles.sync_role_groups()
    # An author without an e-mail address: no moderation mail for each of the comments.
    author = AuthorFactory(user=UserFactory(username="sans-courriel", email=""))
    return PostFactory(slug="sous-la-charge", title="Sous la charge", author=author)


def request(base_url, method, path, *, body=None, headers=None):
    """One HTTP exchange, without following redirects: (status, headers, text)."""
    connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def comment_through_the_api(base_url, post, marker):
    path = f"/api/v1/posts/{post.slug}/comments/"
    status, _headers, text = request(base_url, "GET", f"{path}token/")
    if status != 200:
        return {"marker": marker, "status": status, "accepted": False, "id": None, "answer": text}
    comment = {
        "author_name": f"Lectrice {marker[:8]}",
        "author_email": f"{marker}@example.net",
        "body": f"Sous la charge, commentaire {marker}.",
        **json.loads(text),
    }
    status, _headers, text = request(
        base_url, "POST", path, body=json.dumps(comment), headers={"Content-Type": "application/json"}
    )
    comment_id = json.loads(text).get("id") if status == 201 else None
    return {"marker": marker, "status": status, "accepted": status == 201, "id": comment_id, "answer": text}


def comment_through_the_form(base_url, post, marker):
    # Each reader a browser of their own: the post page comes from the response cache, so its
    # form token is every reader's, and a token serves once per sender (address and browser).
    browser = {"User-Agent": f"Navigateur {marker}"}
    status, headers, page = request(base_url, "GET", post.get_absolute_url(), headers=browser)
    if status != 200:
        return {"marker": marker, "status": status, "accepted": False, "id": None, "answer": page[:500]}
    form = {name: html.unescape(value or "") for name, value in HIDDEN_INPUT.findall(page)}
    cookies = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    form.update(
        author_name=f"Lecteur {marker[:8]}",
        author_email=f"{marker}@example.org",
        body=f"Par le formulaire, commentaire {marker}.",
    )
    status, headers, text = request(
        base_url,
        "POST",
        f"/comments/post/{post.pk}/",
        body=urlencode(form),
        headers={
            **browser,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items()),
        },
    )
    # Accepted: a redirect to the post, at the new comment's anchor.
    found = COMMENT_ID.search(headers.get("Location") or "") if status == 302 else None
    comment_id = int(found[1]) if found else None
    return {
        "marker": marker,
        "status": status,
        "accepted": bool(found),
        "id": comment_id,
        "answer": text[:500],
    }


def run_concurrently(submit, base_url, post, threads, per_thread):
    markers = [uuid.uuid4().hex for _ in range(threads * per_thread)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda marker: submit(base_url, post, marker), markers))


def assert_nothing_lost(results, post):
    server_errors = [result for result in results if result["status"] >= 500]
    assert not server_errors, server_errors[:3]
    refused = [result for result in results if not result["accepted"]]
    assert not refused, refused[:3]
    rows = {
        marker: comment_id
        for comment_id, body in Comment.objects.filter(post=post).values_list("pk", "body")
        for marker in re.findall(r"[0-9a-f]{32}", body)
    }
    answered = {result["marker"]: result["id"] for result in results}
    # Every accepted answer has its row (with the id it announced), every row had its answer.
    assert rows == answered
    assert Comment.objects.filter(post=post).count() == len(results)


def test_concurrent_api_comments_are_all_stored_and_all_answered_201(gunicorn_server, post):
    results = run_concurrently(
        comment_through_the_api, gunicorn_server, post, API_THREADS, API_COMMENTS_PER_THREAD
    )

    assert len(results) == API_THREADS * API_COMMENTS_PER_THREAD
    assert_nothing_lost(results, post)


def test_concurrent_form_comments_are_all_stored_and_all_redirected(gunicorn_server, post):
    results = run_concurrently(
        comment_through_the_form, gunicorn_server, post, FORM_THREADS, FORM_COMMENTS_PER_THREAD
    )

    assert len(results) == FORM_THREADS * FORM_COMMENTS_PER_THREAD
    assert_nothing_lost(results, post)


def test_api_and_form_comments_at_the_same_time_are_all_kept(gunicorn_server, post):
    with ThreadPoolExecutor(max_workers=2) as pool:
        api = pool.submit(run_concurrently, comment_through_the_api, gunicorn_server, post, 8, 5)
        form = pool.submit(run_concurrently, comment_through_the_form, gunicorn_server, post, 4, 5)
        api_results, form_results = api.result(), form.result()

    assert len(api_results + form_results) == 8 * 5 + 4 * 5
    assert_nothing_lost(api_results + form_results, post)
