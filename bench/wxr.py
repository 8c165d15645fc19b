"""
Write a WordPress export (WXR 1.2) of a French blog, for the import benchmark.

    python -m bench.wxr OUT.xml --posts 10000

The file looks like what WordPress itself exports (see
../shared/data/wordpress-theme-unit-test.xml): authors, a category tree, tags, posts
whose content is block-editor HTML, a few drafts and scheduled posts, pages, threaded
comments. Content comes from `bench.french`, rendered to HTML once per distinct body.
"""

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta

from bench import french

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="Plume bench" -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" \
xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Le blog de la bench</title>
\t<link>https://blog.example.org</link>
\t<description>Un blog éditorial généré pour mesurer l’import.</description>
\t<language>fr-FR</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://blog.example.org</wp:base_site_url>
\t<wp:base_blog_url>https://blog.example.org</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"
SITE = "https://blog.example.org"


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_wxr(out, *, posts=10_000, authors=20, categories=30, tags=300, comments_per_post=2,
              bodies=50, words=1500, seed=2026):  # fmt: skip
    """Write the export to the text stream `out`; return the number of post items written."""
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    out.write(HEADER)
    logins = [f"auteur{n}" for n in range(authors)]
    for login in logins:
        first, last = french.person_name(rng).split(" ", 1)
        out.write(
            f"\t<wp:author><wp:author_id>{logins.index(login) + 1}</wp:author_id>"
            f"<wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(first + ' ' + last)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
        )
    category_slugs = []
    for n in range(categories):
        parent = category_slugs[rng.randrange(len(category_slugs))] if n >= categories // 4 else ""
        slug = f"rubrique-{n}"
        category_slugs.append(slug)
        out.write(
            f"\t<wp:category><wp:term_id>{n + 1}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
            f"<wp:cat_name>{cdata(f'Rubrique {n}')}</wp:cat_name></wp:category>\n"
        )
    for n in range(tags):
        out.write(
            f"\t<wp:tag><wp:term_id>{1000 + n}</wp:term_id>"
            f"<wp:tag_slug>{cdata(f'etiquette-{n}')}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(f'Étiquette {n}')}</wp:tag_name></wp:tag>\n"
        )
    contents = [_block_html(rng, words, n) for n in range(bodies)]
    comment_id = 0
    for n in range(posts):
        post_id = 10_000 + n
        title = french.title(rng)
        slug = f"article-{n + 1}"
        date = start - timedelta(hours=4 * n)
        status = "publish"
        if n % 200 == 7:
            status = "draft"
        elif n % 200 == 13:
            status, date = "future", start + timedelta(days=30 + n % 30)
        wp_date = date.strftime("%Y-%m-%d %H:%M:%S")
        item = [
            "\t<item>\n",
            f"\t\t<title>{cdata(title)}</title>\n",
            f"\t\t<link>{SITE}/{slug}/</link>\n",
            f"\t\t<pubDate>{date.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>\n",
            f"\t\t<dc:creator>{cdata(logins[n % len(logins)])}</dc:creator>\n",
            f'\t\t<guid isPermaLink="false">{SITE}/?p={post_id}</guid>\n',
            "\t\t<description></description>\n",
            f"\t\t<content:encoded>{cdata(contents[n % len(contents)])}</content:encoded>\n",
            f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n",
            f"\t\t<wp:post_id>{post_id}</wp:post_id>\n",
            f"\t\t<wp:post_date>{cdata(wp_date)}</wp:post_date>\n",
            f"\t\t<wp:post_date_gmt>{cdata(wp_date)}</wp:post_date_gmt>\n",
            f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n",
            f"\t\t<wp:ping_status>{cdata('open')}</wp:ping_status>\n",
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n",
            f"\t\t<wp:status>{cdata(status)}</wp:status>\n",
            "\t\t<wp:post_parent>0</wp:post_parent>\n",
            "\t\t<wp:menu_order>0</wp:menu_order>\n",
            f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n",
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n",
            f"\t\t<wp:is_sticky>{1 if n == 0 else 0}</wp:is_sticky>\n",
        ]
        for slug_ in rng.sample(category_slugs, k=min(len(category_slugs), rng.randint(1, 2))):
            name = "Rubrique " + slug_.rsplit("-", 1)[1]
            item.append(f'\t\t<category domain="category" nicename="{slug_}">{cdata(name)}</category>\n')
        for tag in rng.sample(range(tags), k=min(tags, rng.randint(2, 5))):
            name = cdata(f"Étiquette {tag}")
            item.append(f'\t\t<category domain="post_tag" nicename="etiquette-{tag}">{name}</category>\n')
        parents = []
        for _ in range(comments_per_post if status == "publish" else 0):
            comment_id += 1
            parent = rng.choice(parents) if parents and rng.random() < 0.4 else 0
            parents.append(comment_id)
            comment_date = (date + timedelta(hours=comment_id % 48 + 1)).strftime("%Y-%m-%d %H:%M:%S")
            item.append(
                "\t\t<wp:comment>"
                f"<wp:comment_id>{comment_id}</wp:comment_id>"
                f"<wp:comment_author>{cdata(french.person_name(rng))}</wp:comment_author>"
                f"<wp:comment_author_email>{cdata(f'lecteur{comment_id}@example.net')}</wp:comment_author_email>"
                "<wp:comment_author_url></wp:comment_author_url>"
                f"<wp:comment_author_IP>{cdata('192.0.2.1')}</wp:comment_author_IP>"
                f"<wp:comment_date>{cdata(comment_date)}</wp:comment_date>"
                f"<wp:comment_date_gmt>{cdata(comment_date)}</wp:comment_date_gmt>"
                f"<wp:comment_content>{cdata(french.comment_body(rng))}</wp:comment_content>"
                f"<wp:comment_approved>{cdata('1' if comment_id % 10 else '0')}</wp:comment_approved>"
                f"<wp:comment_type>{cdata('comment')}</wp:comment_type>"
                f"<wp:comment_parent>{parent}</wp:comment_parent>"
                "<wp:comment_user_id>0</wp:comment_user_id>"
                "</wp:comment>\n"
            )
        item.append("\t</item>\n")
        out.write("".join(item))
    out.write(FOOTER)
    return posts


def _block_html(rng, words, n):
    """A post body as the block editor stores it: HTML between <!-- wp:... --> comments."""
    from core.markdown import render

    theme = french.THEMES[n % len(french.THEMES)]
    html = str(render(french.markdown_body(rng, words=words, theme=theme)))
    blocks = []
    for chunk in html.split("\n"):
        if not chunk.strip():
            continue
        if chunk.startswith("<h"):
            # WordPress exports headings without ids: the importer's renderer makes them.
            tag = chunk[1:3]
            text = chunk[chunk.index(">") + 1 : chunk.rindex("<")]
            level = f' {{"level":{tag[1]}}}' if tag != "h2" else ""
            blocks.append(f"<!-- wp:heading{level} -->\n<{tag}>{text}</{tag}>\n<!-- /wp:heading -->")
        elif chunk.startswith("<p>"):
            blocks.append(f"<!-- wp:paragraph -->\n{chunk}\n<!-- /wp:paragraph -->")
        else:
            blocks.append(chunk)
    return "\n\n".join(blocks)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.wxr", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="path of the WXR file to write")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.posts < 1 or args.comments_per_post < 0:
        parser.error("--posts must be at least 1 and --comments-per-post not negative")
    with open(args.out, "w", encoding="utf-8") as out:
        count = write_wxr(out, posts=args.posts, comments_per_post=args.comments_per_post, seed=args.seed)
    print(f"{count} posts written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
