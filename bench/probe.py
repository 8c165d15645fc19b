"""
In-process measurements for bench/run.py, run in a subprocess with the same environment
as the gunicorn under test (settings, DATABASE_URL, CACHE_URL):

    python -m bench.probe info                      # the data set, what the code base offers
    python -m bench.probe queries GET:/ GET:/x/ ... # SQL queries per request, not under load
    python -m bench.probe max-comment-id
    python -m bench.probe delete-comments-after ID  # remove what the comment scenario created
    python -m bench.probe count-posts
    python -m bench.probe startup                   # what the importer loads before reading

Each prints one JSON document on stdout.
"""

import json
import os
import sys


def info():
    from django.core.management import get_commands

    from bench.generate import read_marker

    marker = read_marker()
    return {
        "dataset": marker["info"] if marker else None,
        "params": marker["params"] if marker else None,
        "import_command": "import_wordpress" in get_commands(),
    }


def queries(specs):
    """
    For each "METHOD:path" spec, the status and number of SQL queries of a first request
    and of the same request repeated (what a warm cache serves). "POST:path" creates a
    comment as the API's clients do: a token from path + "token/", then the POST.

    The background queue's own statements (the database task backend's row for the
    moderators' e-mail, written after the commit) are counted apart, as
    tests/test_comment_creation_queries.py counts them: the request's queries are the
    view's (post, moderation facts, and the INSERT in its transaction: BEGIN and COMMIT
    here, SAVEPOINT and RELEASE inside a test's transaction).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # A view that fails is a result (its status), not a reason to stop measuring the others.
    client = Client(raise_request_exception=False)
    results = {}
    for spec in specs:
        method, path = spec.split(":", 1)
        runs = []
        for attempt in range(2):
            payload = _comment_payload(client, path, attempt) if method == "POST" else None
            with CaptureQueriesContext(connection) as captured:
                if payload is None:
                    response = client.get(path)
                else:
                    response = client.post(path, payload, content_type="application/json")
            sql = [query["sql"] for query in captured.captured_queries]
            queued = [query for query in sql if TASK_TABLE in query]
            runs.append(
                {
                    "status": response.status_code,
                    "queries": len(sql) - len(queued),
                    "task_queries": len(queued),
                }
            )
        results[spec] = {"first": runs[0], "repeat": runs[1]}
    return results


# The database task backend's table (django-tasks-db): a queued task, not the request's work.
TASK_TABLE = "django_tasks_database"


def _comment_payload(client, path, attempt):
    response = client.get(path.rstrip("/") + "/token/")
    payload = response.json() if response.status_code == 200 and _is_json(response) else {}
    if not isinstance(payload, dict):
        payload = {}
    return {**payload, **comment_fields(f"probe-{os.getpid()}-{attempt}")}


def comment_fields(tag):
    """What a reader types; the same fields bench/wrk/comment.lua sends."""
    return {
        "author_name": f"Lecteur {tag}",
        "author_email": f"bench-{tag}@example.net",
        "body": f"Merci pour cet article, message {tag}.",
    }


def _is_json(response):
    return response.get("Content-Type", "").startswith("application/json")


def max_comment_id():
    from django.db.models import Max

    from comments.models import Comment

    return Comment.objects.aggregate(top=Max("pk"))["top"] or 0


def delete_comments_after(pk):
    from comments.models import Comment

    deleted, _ = Comment.objects.filter(pk__gt=pk).delete()
    return deleted


def count_posts():
    from blog.models import Post
    from comments.models import Comment

    return {"posts": Post.objects.count(), "comments": Comment.objects.count()}


def startup():
    """Loaded what `manage.py import_wordpress` loads before it reads a file (timed by run.py)."""
    from django.core.management import get_commands, load_command_class

    return str(load_command_class(get_commands()["import_wordpress"], "import_wordpress").help)[:60]


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plume.settings")
    import django

    django.setup()
    command, args = argv[0], argv[1:]
    if command == "info":
        result = info()
    elif command == "queries":
        result = queries(args)
    elif command == "max-comment-id":
        result = max_comment_id()
    elif command == "delete-comments-after":
        result = delete_comments_after(int(args[0]))
    elif command == "count-posts":
        result = count_posts()
    elif command == "startup":
        result = startup()
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
