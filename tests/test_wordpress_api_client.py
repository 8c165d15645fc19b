"""
A real WordPress REST client, wpapi (npm, pinned in tests/wpapi/package-lock.json),
reads Plume through /wp-json/ over HTTP, as a frontend written for WordPress would:
discovery from the home page's Link header, routes from the index, pagination
from the headers, filters, embedding and errors.

Needs Node and `npm ci --prefix tests/wpapi` (what .ci/run does); skipped otherwise.
"""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

CLIENT_DIR = Path(__file__).resolve().parent / "wpapi"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="Node is not installed"),
    pytest.mark.skipif(
        not (CLIENT_DIR / "node_modules" / "wpapi").is_dir(),
        reason="wpapi is not installed: npm ci --prefix tests/wpapi",
    ),
]


def run_client(base_url, *args):
    result = subprocess.run(
        [NODE, str(CLIENT_DIR / "client.js"), base_url, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # wpapi falls back to its built-in routes, with a warning, when the index does not parse.
    assert "proceeding despite error" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_wpapi_reads_plume_as_it_reads_wordpress(live_server, transactional_db):
    now = timezone.now()
    author = AuthorFactory(display_name="Simone", wordpress_id=3)
    news, tag = CategoryFactory(name="News", wordpress_id=10), TagFactory(name="Climat", wordpress_id=20)
    featured = PostFactory(
        title="Le Gutenberg arrive",
        author=author,
        categories=[news],
        tags=[tag],
        wordpress_id=1241,
        published_at=now - timedelta(hours=1),
        featured_image_url="https://old.example/photo.jpg",
    )
    others = [PostFactory(author=author, published_at=now - timedelta(days=n + 1)) for n in range(2)]
    PostFactory(draft=True, title="Gutenberg en brouillon")
    CommentFactory(post=featured, author_name="Ada")
    page = PageFactory(title="À propos")

    out = run_client(live_server.url, 1241, 10, 20, featured.slug)

    assert out["discovered"] is True
    assert out["firstPage"] == [1241, others[0].pk + 10**9]
    assert out["paging"] == {"total": 3, "totalPages": 2}
    assert out["secondPage"] == [others[1].pk + 10**9]
    assert out["post"] == {
        "id": 1241,
        "slug": featured.slug,
        "title": "Le Gutenberg arrive",
        "categories": [10],
    }
    assert out["bySlug"] == [1241]
    assert out["inCategory"] == [1241]
    assert out["withTag"] == [1241]
    assert out["searched"] == [1241]
    assert out["embeddedAuthor"] == "Simone"
    assert out["embeddedTerms"] == [[news.slug], [tag.slug]]
    assert out["categories"] == [news.slug]
    assert out["tags"] == [tag.slug]
    assert out["users"] == [author.slug]
    assert out["pages"] == [page.slug]
    assert out["comments"] == ["Ada"]
    assert out["media"] == ["https://old.example/photo.jpg"]
    assert out["missing"] == {"code": "rest_post_invalid_id", "status": 404}
