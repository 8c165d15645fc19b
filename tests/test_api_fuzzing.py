"""
The API, fuzzed: schemathesis generates requests for every operation of the live
/api/schema/ (valid ones and deliberately invalid ones) and sends them to a real
gunicorn on PostgreSQL, anonymously and with an editor's token. Every answer must
be a documented status code, with the documented content type and a body matching
the documented schema, and never a 5xx; invalid requests must be refused and valid
ones accepted.

Seeded data is committed first, and a share of the generated requests are
pointed at real objects (slugs and ids that exist), so detail pages, comment
threads and moderation actions answer with real content, not only 404s.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from authors import roles
from comments.models import Comment

from .factories import (
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

# Enough examples per operation to matter (with the coverage phase's boundary
# cases on top), few enough for the two runs to take a minute and a half on 2 cores.
MAX_EXAMPLES = int(os.environ.get("PLUME_FUZZ_EXAMPLES", "30"))

# Every check of schemathesis runs (no 5xx; documented status codes, content types,
# headers and bodies; invalid requests refused; valid requests accepted), with one
# precise exception: a schema-valid body may still break a rule no schema can express
# (a reply to a comment that does not exist, a slug already taken, publishing without
# the right), and a 400 with its message is then the correct answer, for these writes only.
BODY_RULE_OPERATIONS = [
    "POST /api/v1/posts/",
    "PUT /api/v1/posts/{slug}/",
    "PATCH /api/v1/posts/{slug}/",
    "POST /api/v1/posts/{slug}/comments/",
    "POST /api/v1/pages/{slug}/comments/",
    "POST /api/v1/moderation/comments/{id}/reply/",
    "PATCH /api/v1/moderation/comments/{id}/",
    # Without the comment's own edit token (no generated one is), a reader's edit is a 403.
    "PATCH /api/v1/comments/{id}/",
    "DELETE /api/v1/comments/{id}/",
    # Reporting twice, or once too often from one address.
    "POST /api/v1/comments/{id}/report/",
    # Category, tag and page writes (a slug taken, a category its own ancestor, one with
    # subcategories deleted), an upload whose bytes are not an image, text with a NUL character.
    "POST /api/v1/categories/",
    "PATCH /api/v1/categories/{slug}/",
    "DELETE /api/v1/categories/{slug}/",
    "POST /api/v1/tags/",
    "PATCH /api/v1/tags/{slug}/",
    "POST /api/v1/pages/",
    "PATCH /api/v1/pages/{slug}/",
    "POST /api/v1/media/",
    "PATCH /api/v1/media/{id}/",
]


def seed_blog():
    """Published posts with threaded comments, a draft, a scheduled post, taxonomies, a page."""
    # A transactional test's flush also empties the role groups a data migration created.
    roles.sync_role_groups()
    editor = AuthorFactory(
        user=UserFactory(username="fuzz-editor", role=roles.EDITOR), display_name="Simone"
    ).user
    parent_category = CategoryFactory(name="Intelligence artificielle", slug="ia")
    child_category = CategoryFactory(name="Modèles", slug="modeles", parent=parent_category)
    tag = TagFactory(name="Mistral", slug="mistral")
    post = PostFactory(
        title="Mistral 3", slug="mistral-3", author=editor.author, categories=[child_category], tags=[tag]
    )
    PostFactory(title="Un autre article", slug="un-autre-article", sticky=True)
    PostFactory(title="Brouillon", slug="brouillon", draft=True, author=editor.author)
    PostFactory(title="Programmé", slug="programme", scheduled=True)
    root = CommentFactory(post=post, body="Un premier commentaire.")
    CommentFactory(post=post, parent=root, body="Une réponse.")
    CommentFactory(post=post, status=Comment.Status.PENDING, created_at=timezone.now() - timedelta(hours=1))
    PageFactory(title="À propos", slug="a-propos")
    return {
        "editor": editor,
        "slugs": {
            "posts": ["mistral-3", "un-autre-article", "brouillon", "programme"],
            "categories": ["ia", "modeles"],
            "tags": ["mistral"],
            "pages": ["a-propos"],
            "authors": [editor.author.slug],
        },
        "comment_ids": list(Comment.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def seeded_blog(gunicorn_server):
    return seed_blog()


def api_config(base_url, headers=None):
    return schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "headers": headers or {},
            "seed": 20261126,
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            # ?fields= answers a subset of the documented shape and ?expand= a larger one, which
            # no OpenAPI schema can express: sent empty (the whole objects) here, and proved by
            # tests/test_api_fields_expand.py instead.
            # If-Match: any version (`*`), so that generated writes reach the post; stale and
            # missing versions are tests/test_concurrent_editing.py's.
            "parameters": {"query.fields": "", "query.expand": "", "header.If-Match": "*"},
            "operations": [
                {
                    "include-name": BODY_RULE_OPERATIONS,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 429]
                        }
                    },
                }
            ],
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            # With a token given: schemathesis takes the token for a generated one as soon as an
            # operation declares a header parameter (If-Match) and calls a 200 "ignored auth";
            # refusals without a token are the anonymous test's to prove.
            **({"checks": {"ignored_auth": {"enabled": False}}} if headers else {}),
        }
    )


def load_schema(base_url, headers=None):
    return schemathesis.openapi.from_url(
        f"{base_url}/api/schema/?format=json", config=api_config(base_url, headers)
    )


@pytest.fixture
def node_id_shim(request):
    # schemathesis 4.32's lazy loader renames the running test through `node._nodeid`,
    # which pytest 9.2 no longer has (it keeps `_id`): give it the attribute it reads.
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def anonymous_schema(node_id_shim, gunicorn_server, seeded_blog):
    return load_schema(gunicorn_server)


@pytest.fixture
def editor_schema(node_id_shim, gunicorn_server, seeded_blog):
    token = Token.objects.create(user=seeded_blog["editor"])
    return load_schema(gunicorn_server, {"Authorization": f"Token {token.key}"})


def point_at_real_objects(case, seeded_blog, pick):
    """Replace a generated slug or id by one that exists (the draw decides which, or none)."""
    parameters = case.path_parameters or {}
    if "slug" in parameters:
        collection = case.path.split("/")[3]  # /api/v1/<collection>/{slug}/...
        slugs = seeded_blog["slugs"].get(collection)
        if slugs and pick is not None:
            parameters["slug"] = slugs[pick % len(slugs)]
    if "id" in parameters and pick is not None:
        ids = seeded_blog["comment_ids"]
        parameters["id"] = ids[pick % len(ids)]


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    # The same examples on every run: CI must not pass or fail by the draw. To explore
    # further locally, set PLUME_FUZZ_EXAMPLES higher or drop this line.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
REAL_OBJECT = st.one_of(st.none(), st.integers(min_value=0, max_value=100))

anonymous_api = schemathesis.pytest.from_fixture("anonymous_schema")
editor_api = schemathesis.pytest.from_fixture("editor_schema")


@anonymous_api.parametrize()
@anonymous_api.given(pick=REAL_OBJECT)
@FUZZ_SETTINGS
def test_every_operation_answers_anonymous_clients_as_documented(case, pick, seeded_blog):
    point_at_real_objects(case, seeded_blog, pick)
    case.call_and_validate()


@editor_api.parametrize()
@editor_api.given(pick=REAL_OBJECT)
@FUZZ_SETTINGS
def test_every_operation_answers_an_editor_token_as_documented(case, pick, seeded_blog):
    point_at_real_objects(case, seeded_blog, pick)
    case.call_and_validate()
