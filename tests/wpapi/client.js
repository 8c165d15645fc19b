// Reads a Plume site through wpapi, the WordPress REST client, as a frontend written for
// WordPress would; prints what it got as one JSON object (tests/test_wordpress_api_client.py).
// Usage: node client.js BASE_URL POST_ID CATEGORY_ID TAG_ID SLUG
"use strict";
const WPAPI = require("wpapi");

async function main() {
    const [base, postId, categoryId, tagId, slug] = process.argv.slice(2);
    const out = {};
    // Discovery, as WordPress frontends start: the Link header of the site's home page.
    const discovered = await WPAPI.discover(base);
    out.discovered = typeof discovered.posts === "function";
    // And bound to the routes the site's /wp-json/ index describes, as WPAPI.discover does.
    const index = await (await fetch(`${base}/wp-json/`)).json();
    const wp = WPAPI.site(`${base}/wp-json`, index.routes);
    const first = await discovered.posts().perPage(2).get();
    out.firstPage = first.map((post) => post.id);
    out.paging = { total: first._paging.total, totalPages: first._paging.totalPages };
    out.secondPage = (await first._paging.next.get()).map((post) => post.id);
    const post = await wp.posts().id(Number(postId)).get();
    out.post = { id: post.id, slug: post.slug, title: post.title.rendered, categories: post.categories };
    out.bySlug = (await wp.posts().slug(slug).get()).map((item) => item.id);
    out.inCategory = (await wp.posts().categories(Number(categoryId)).get()).map((item) => item.id);
    out.withTag = (await wp.posts().tags(Number(tagId)).get()).map((item) => item.id);
    out.searched = (await wp.posts().search("Gutenberg").get()).map((item) => item.id);
    const embedded = await wp.posts().id(Number(postId)).embed().get();
    out.embeddedAuthor = embedded._embedded.author[0].name;
    out.embeddedTerms = embedded._embedded["wp:term"].map((terms) => terms.map((term) => term.slug));
    out.categories = (await wp.categories().get()).map((term) => term.slug);
    out.tags = (await wp.tags().get()).map((term) => term.slug);
    out.users = (await wp.users().get()).map((user) => user.slug);
    out.pages = (await wp.pages().get()).map((page) => page.slug);
    out.comments = (await wp.comments().forPost(Number(postId)).get()).map((comment) => comment.author_name);
    out.media = (await wp.media().get()).map((media) => media.source_url);
    try {
        await wp.posts().id(999999).get();
        out.missing = "found";
    } catch (error) {
        out.missing = { code: error.code, status: error.data.status };
    }
    process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
});
