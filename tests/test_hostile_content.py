"""
No hostile input survives as live markup, through any field a stranger or an author controls.

The corpus (tests/xss_payloads.py) goes in through the real entry points (the
comment form, the comments API, the posts API, model saves as the admin does
them, the search box) and every place it comes out is audited with
`live_markup_in()`. Whole pages carry the site's own forms, scripts and meta
tags, so a page is compared with the very same page after every hostile text
has been replaced by plain words (`neutralize`): any live markup the hostile
version has beyond that is a hole. Fragments that are HTML on their own (the
API's body_html / bio_html, the feeds' HTML content) must hold none at all.
"""

import html
from collections import Counter
from itertools import cycle

import feedparser
import pytest
from django.urls import reverse

import blog.feeds
import comments.feeds
from authors import roles
from authors.models import Author
from blog.models import Category, Page, Post, Tag
from comments.models import Comment
from comments.reader_cookies import EDIT_COOKIE
from core.markdown import render

from .comments_support import aged_token
from .factories import (
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)
from .xss_payloads import PAYLOADS, live_markup_in

pytestmark = pytest.mark.django_db

# Payloads are batched so that one object carries several: a chunk fits the shortest
# plain-text field they go into (a commenter's name, a category's name: 100 characters).
FIELD_LIMIT = 100


def chunked(payloads, limit=FIELD_LIMIT):
    chunk = []
    for payload in payloads:
        if chunk and len(" ".join([*chunk, payload])) > limit:
            yield chunk
            chunk = []
        chunk.append(payload)
    if chunk:
        yield chunk


CHUNKS = list(chunked(PAYLOADS))
# Valid http(s) addresses that try to break out of the attribute they are written into.
HOSTILE_URLS = [
    'https://ok.example/"onmouseover="alert(1)',
    "https://ok.example/?q=<script>alert(1)</script>",
    "http://ok.example/'><svg/onload=alert(1)>",
    'https://ok.example/#"><img/src/onerror=alert(1)>',
]
PLAIN = "Texte sans danger"
PLAIN_URL = "https://ok.example/image.jpg"


def plain_text(chunk):
    return " ".join(chunk)


def markdown(chunk):
    """The chunk as a Markdown document: each payload as a paragraph and as a heading."""
    return "\n\n".join(f"{payload}\n\n## {payload}" for payload in chunk)


# Auditing


def page_markup(response):
    assert response.status_code in (200, 400), (response.status_code, response.request)
    return Counter(live_markup_in(response.content.decode()))


def snapshot(client, urls):
    """The live script-capable markup of each page, as counts."""
    return {url: page_markup(client.get(url)) for url in urls}


def differences(hostile, plain):
    """Pages whose live markup differs between the hostile and the neutralized versions."""
    found = {}
    for url, counts in hostile.items():
        if counts != plain[url]:
            found[url] = {"extra": counts - plain[url], "missing": plain[url] - counts}
    return found


def feed_html_findings(content):
    """Live markup in a feed's HTML parts (as a feed reader unescapes them), by entry title."""
    feed = feedparser.parse(content, sanitize_html=False)
    assert not feed.bozo, feed.bozo_exception
    found = {}
    for entry in [feed.feed, *feed.entries]:
        details = [entry.get("title_detail"), entry.get("summary_detail"), *entry.get("content", [])]
        for detail in filter(None, details):
            # Plain text is shown as text by a reader, whatever it looks like.
            findings = live_markup_in(detail.value) if "html" in detail.type else []
            if findings:
                found.setdefault(entry.get("title", "(feed)"), []).extend(findings)
    return found


HTML_KEYS = {"body_html", "bio_html"}


def json_html_findings(data, path="$"):
    """Live markup in the HTML fields of an API answer, anywhere in it."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in HTML_KEYS and isinstance(value, str):
                found += [f"{path}.{key}: {finding}" for finding in live_markup_in(value)]
            else:
                found += json_html_findings(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += json_html_findings(value, f"{path}[{index}]")
    return found


def admin_changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?all="


def admin_change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# The hostile blog


@pytest.fixture
def big_pages(settings, monkeypatch):
    """Every object on one page of each listing and feed, so one request audits them all."""
    settings.PLUME_POSTS_PER_PAGE = 200
    monkeypatch.setattr(blog.feeds, "FEED_SIZE", 200)
    monkeypatch.setattr(comments.feeds, "FEED_SIZE", 200)


def write_post(api_client, chunk, index):
    """
    An author (name, role, bio), a category, a tag and a menu page carrying `chunk`, and a
    post written through the API by that author with the chunk in every field.
    """
    text = plain_text(chunk)
    user = UserFactory(role=roles.AUTHOR)
    AuthorFactory(user=user, display_name=text, role_title=text, bio=markdown(chunk))
    category, tag = CategoryFactory(name=text, description=text), TagFactory(name=text)
    page = PageFactory(title=text, body=markdown(chunk), seo_title=text, meta_description=text)
    api_client.force_authenticate(user)
    response = api_client.post(
        reverse("api:v1:post-list"),
        {
            "title": text,
            "body": markdown(chunk),
            "excerpt": text,
            "status": "published",
            "categories": [category.slug],
            "tags": [tag.slug],
            "featured_image_url": HOSTILE_URLS[index % len(HOSTILE_URLS)],
            "featured_image_alt": text,
            "seo_title": text,
            "meta_description": text,
        },
        format="json",
    )
    api_client.force_authenticate(None)
    assert response.status_code == 201, response.json()
    post = Post.objects.get(pk=response.json()["id"])
    post.page = page
    return post


@pytest.fixture
def hostile_posts(api_client, big_pages):
    """One post (with its author, category, tag and page) per chunk, and a plain twin of the same shape."""
    posts = [write_post(api_client, chunk, index) for index, chunk in enumerate(CHUNKS)]
    twin = write_post(api_client, [PLAIN], 0)
    Post.objects.filter(pk=twin.pk).update(featured_image_url=PLAIN_URL)
    return posts, twin


# The pages that show one object, and the twin page to compare each with.
OBJECT_PAGES = {
    "post": lambda post: post.get_absolute_url(),
    "category": lambda post: post.categories.get().get_absolute_url(),
    "tag": lambda post: post.tags.get().get_absolute_url(),
    "author": lambda post: post.author.get_absolute_url(),
    "page": lambda post: post.page.get_absolute_url(),
}


def object_page_differences(client, objects, twin, pages):
    """Each object's pages against the twin's page of the same kind."""
    found = {}
    for url_of in pages.values():
        plain = page_markup(client.get(url_of(twin)))
        for obj in objects:
            hostile = page_markup(client.get(url_of(obj)))
            if hostile != plain:
                found[url_of(obj)] = {"extra": hostile - plain, "missing": plain - hostile}
    return found


def neutralize():
    """Replace every text a stranger or an author wrote with plain words, keeping the shape of the data."""
    for post in Post.objects.all():
        for field in ("title", "excerpt", "seo_title", "meta_description", "featured_image_alt"):
            setattr(post, field, PLAIN)
        post.body = f"{PLAIN}\n\n## {PLAIN}"
        post.featured_image_url = PLAIN_URL if post.featured_image_url else ""
        post.save()
    for page in Page.objects.all():
        page.title = page.seo_title = page.meta_description = PLAIN
        page.body = f"{PLAIN}\n\n## {PLAIN}"
        page.save()
    for author in Author.objects.all():
        author.display_name, author.role_title, author.bio = PLAIN, PLAIN, PLAIN
        author.save()
    Category.objects.update(name=PLAIN, description=PLAIN)
    Tag.objects.update(name=PLAIN)
    for comment in Comment.objects.all():
        comment.author_name, comment.body = PLAIN, PLAIN
        comment.author_url = "https://ok.example/" if comment.author_url else ""
        comment.save()


def test_corpus_is_large_enough_to_matter():
    assert len(PAYLOADS) >= 60


def test_batching_keeps_every_payload_once():
    assert [payload for chunk in CHUNKS for payload in chunk] == PAYLOADS
    assert all(len(plain_text(chunk)) <= FIELD_LIMIT for chunk in CHUNKS)


def test_auditor_catches_live_script_markup():
    assert live_markup_in("<script>x</script>") == ["<script>"]
    assert live_markup_in('<a href=" java&#x09;script:x">') == ["<a href=javascript:x…>"]
    assert live_markup_in("<p>&lt;script&gt;</p>") == []


def test_the_page_comparison_catches_an_injected_element(client, api_client):
    """The comparisons can fail: a payload that reaches a page unescaped is reported."""
    posts = [write_post(api_client, chunk, index) for index, chunk in enumerate(CHUNKS[:2])]
    twin = write_post(api_client, [PLAIN], 0)
    Post.objects.filter(pk=posts[0].pk).update(body_html='<p>ok</p><img src=x onerror="alert(1)">')
    assert object_page_differences(client, posts, twin, {"post": OBJECT_PAGES["post"]}) == {
        posts[0].get_absolute_url(): {"extra": Counter({"<img onerror=…>": 1}), "missing": Counter()}
    }
    hostile = snapshot(client, [reverse("blog:home")])
    Post.objects.filter(pk=posts[0].pk).update(title=PLAIN)
    Post.objects.filter(pk=posts[1].pk).update(title="<script>alert(1)</script>")
    assert differences(hostile, snapshot(client, [reverse("blog:home")])) == {}  # escaped: no change
    assert feed_html_findings(
        b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        b"<description>&lt;b onclick=x&gt;y&lt;/b&gt;</description></item></channel></rss>"
    ) == {"x": ["<b onclick=…>"]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_post_markdown_never_renders_live_script(payload):
    assert live_markup_in(render(f"Texte avant.\n\n{payload}\n\nTexte après.")) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_comment_markdown_never_renders_live_script(payload):
    assert live_markup_in(render(payload, comment=True)) == []


def test_the_markdownx_preview_renders_the_corpus_without_live_markup(client, editor):
    client.force_login(editor)
    response = client.post(reverse("markdownx_markdownify"), {"content": "\n\n".join(PAYLOADS)})
    assert response.status_code == 200
    assert live_markup_in(response.content.decode()) == []


def test_a_feed_summary_is_escaped_plain_text(client):
    """The summary is plain text; RSS and Atom carry HTML there, so it is escaped first."""
    PostFactory(title="Du <code>", body="On écrit `<svg onload=alert(1)>` ici.")
    for name in ("blog:feed", "blog:feed-atom"):
        entry = feedparser.parse(client.get(reverse(name)).content, sanitize_html=False).entries[0]
        assert entry.summary == "On écrit &lt;svg onload=alert(1)&gt; ici."
        shown = html.unescape(entry.title) if "html" in entry.title_detail.type else entry.title
        assert shown == "Du <code>"
        assert live_markup_in(entry.summary) == []


def api_text_mismatches(api_client, posts):
    """Plain-text fields the API does not return exactly as typed (rendered, escaped or cut)."""
    mismatches = []
    for post, chunk in zip(posts, CHUNKS, strict=True):
        text = plain_text(chunk)
        data = api_client.get(reverse("api:v1:post-detail", kwargs={"slug": post.slug})).json()
        author = api_client.get(reverse("api:v1:author-detail", kwargs={"slug": post.author.slug})).json()
        page = api_client.get(reverse("api:v1:page-detail", kwargs={"slug": post.page.slug})).json()
        values = {
            **{field: data[field] for field in ("title", "excerpt", "seo_title", "meta_description")},
            "featured_image.alt": data["featured_image"]["alt"],
            "author.name": data["author"]["name"],
            "author.role_title": data["author"]["role_title"],
            "categories.name": data["categories"][0]["name"],
            "tags.name": data["tags"][0]["name"],
            "authors.name": author["name"],
            "pages.title": page["title"],
        }
        mismatches += [(post.slug, field) for field, value in values.items() if value != text]
    return mismatches


def api_html_findings(api_client, posts):
    found = []
    for post in posts:
        for url in (
            reverse("api:v1:post-detail", kwargs={"slug": post.slug}),
            reverse("api:v1:author-detail", kwargs={"slug": post.author.slug}),
            reverse("api:v1:page-detail", kwargs={"slug": post.page.slug}),
        ):
            found += json_html_findings(api_client.get(url).json(), url)
    for name in ("post-list", "author-list", "category-list", "tag-list", "page-list"):
        url = reverse(f"api:v1:{name}")
        found += json_html_findings(api_client.get(url, {"page_size": 100}).json(), url)
    return found


def feed_findings(client, urls):
    found = {url: feed_html_findings(client.get(url).content) for url in urls}
    return {url: findings for url, findings in found.items() if findings}


ADMIN_PAGES = {
    "post": lambda post: admin_change_url(post),
    "page": lambda post: admin_change_url(post.page),
    "author": lambda post: admin_change_url(post.author),
    "category": lambda post: admin_change_url(post.categories.get()),
    "tag": lambda post: admin_change_url(post.tags.get()),
}


def test_author_content_never_survives_as_markup(client, api_client, editor, hostile_posts):
    """
    Posts (title, body, excerpt, SEO fields, featured image URL and alt), author profiles
    (name, role, bio), categories, tags and pages: on the site, in the feeds, in the API
    (HTML sanitized, text as typed) and in the admin.
    """
    posts, twin = hostile_posts
    feeds = [reverse("blog:feed"), reverse("blog:feed-atom")]
    for post in posts:
        feeds.append(reverse("blog:category-feed", kwargs={"slug": post.categories.get().slug}))
        feeds.append(reverse("blog:author-feed", kwargs={"slug": post.author.slug}))
    holes = {
        "site": object_page_differences(client, posts, twin, OBJECT_PAGES),
        "feeds": feed_findings(client, feeds),
        "api html": api_html_findings(api_client, posts),
        "api text": api_text_mismatches(api_client, posts),
    }
    client.force_login(editor)
    holes["admin"] = object_page_differences(client, posts, twin, ADMIN_PAGES)
    listings = [reverse("blog:home")] + [admin_changelist_url(m) for m in (Post, Page, Author, Category, Tag)]
    hostile = snapshot(client, listings)
    neutralize()
    holes["listings"] = differences(hostile, snapshot(client, listings))
    assert holes == {"site": {}, "feeds": {}, "api html": [], "api text": [], "admin": {}, "listings": {}}


# Comments: through the real form and the API


def form_data(post, *, name, url, body):
    return {
        "author_name": name,
        "author_email": "lectrice@example.net",
        "author_url": url,
        "body": body,
        "honeypot": "",
        **aged_token(post),
    }


@pytest.fixture
def hostile_comments(client, api_client, settings, big_pages):
    """
    For each chunk: one comment through the form and one through the API, with the chunk as
    name, website and body. The website is refused (not an http(s) address): the refusal
    shows the form again with everything typed, which is audited against the same refusal
    with plain words; then the comment is sent again with a hostile but valid address.
    """
    settings.COMMENTS_FLOOD_SECONDS = 0
    post = PostFactory(title="Un article ouvert aux commentaires")
    action = reverse("comments:post", args=[post.pk])
    api_url = reverse("api:v1:post-comments", kwargs={"slug": post.slug})
    refusals = {}
    urls = cycle(HOSTILE_URLS)
    # Refused comments are stored nowhere, so the form shown again has the same shape every time.
    plain = page_markup(client.post(action, form_data(post, name=PLAIN, url="pas une adresse", body=PLAIN)))
    for index, chunk in enumerate(CHUNKS):
        text, body = plain_text(chunk), markdown(chunk)
        # The refused form is compared with the same page without the reader's own comments to
        # edit (their edit forms are audited with the listings below).
        own = client.cookies.pop(EDIT_COOKIE, None)
        hostile = client.post(action, form_data(post, name=text, url=text, body=body))
        if own is not None:
            client.cookies[EDIT_COOKIE] = own.value
        assert hostile.status_code == 400
        refusals[text] = (page_markup(hostile), plain)
        response = client.post(action, form_data(post, name=text, url=next(urls), body=body))
        assert response.status_code == 302
        refused = api_client.post(
            api_url, {**form_data(post, name=text, url=text, body=body)}, REMOTE_ADDR=f"198.51.100.{index}"
        )
        assert refused.status_code == 400 and "author_url" in refused.json()["errors"]
        accepted = api_client.post(
            api_url, form_data(post, name=text, url=next(urls), body=body), REMOTE_ADDR=f"198.51.100.{index}"
        )
        assert accepted.status_code == 201, accepted.json()
    assert Comment.objects.filter(post=post).count() == 2 * len(CHUNKS)
    Comment.objects.update(status=Comment.Status.APPROVED)
    return post, refusals


def test_comment_fields_never_survive_as_markup(client, api_client, editor, hostile_comments):
    """
    A commenter's name, website and body, sent through the form and the API: on the form shown
    again after a refusal, on the post page, in the comment feeds, in the public and moderation
    API (HTML sanitized, text as typed) and in the admin.
    """
    post, refusals = hostile_comments
    names = {plain_text(chunk) for chunk in CHUNKS}
    thread = api_client.get(
        reverse("api:v1:post-comments", kwargs={"slug": post.slug}), {"page_size": 100}
    ).json()
    assert thread["threads"] <= 100  # every thread on this one page (the thread pages by top-level threads)
    feeds = [reverse("comments:feed"), reverse("comments:post-feed", kwargs={"slug": post.slug})]
    assert {len(feedparser.parse(client.get(url).content).entries) for url in feeds} == {2 * len(CHUNKS)}
    api_client.force_authenticate(editor)
    moderation = api_client.get(reverse("api:v1:moderation-comment-list"), {"page_size": 100}).json()
    holes = {
        "refused form": {
            text: hostile - plain for text, (hostile, plain) in refusals.items() if hostile != plain
        },
        "feeds": feed_findings(client, feeds),
        "api html": json_html_findings(thread) + json_html_findings(moderation),
        "api text": [
            comment["id"]
            for comment in moderation["results"]
            if comment["author_name"] not in names
            or comment["author_url"] not in HOSTILE_URLS
            or comment["body"] not in {markdown(chunk) for chunk in CHUNKS}
        ],
    }
    assert {comment["author_name"] for comment in thread["results"]} == names
    client.force_login(editor)
    twin = CommentFactory(post=post, author_name=PLAIN, author_url="https://ok.example/", body=PLAIN)
    admin_pages = {
        "change": admin_change_url,
        "reply": lambda comment: reverse("admin:comments_comment_reply", args=[comment.pk]),
    }
    holes["admin"] = object_page_differences(client, Comment.objects.exclude(pk=twin.pk), twin, admin_pages)
    listings = [post.get_absolute_url(), admin_changelist_url(Comment)]
    hostile = snapshot(client, listings)
    neutralize()
    holes["listings"] = differences(hostile, snapshot(client, listings))
    assert holes == {
        "refused form": {},
        "feeds": {},
        "api html": [],
        "api text": [],
        "admin": {},
        "listings": {},
    }


# The search box, reflected on the page


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"chunk{index}" for index in range(len(CHUNKS))])
def test_the_search_box_reflects_the_query_as_text(client, chunk):
    search = reverse("blog:search")
    for query in chunk:
        hostile = page_markup(client.get(search, {"q": query}))
        assert hostile == page_markup(client.get(search, {"q": PLAIN})), query


def test_admin_search_reflects_the_query_as_text(client, editor):
    client.force_login(editor)
    changelist = reverse("admin:blog_post_changelist")
    plain = page_markup(client.get(changelist, {"q": PLAIN}))
    for chunk in CHUNKS:
        query = plain_text(chunk)
        assert page_markup(client.get(changelist, {"q": query})) == plain, query
