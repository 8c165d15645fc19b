"""The public page types, with content on them, for the validators and browser tests."""

from django.urls import reverse

from .factories import AuthorFactory, CategoryFactory, CommentFactory, PageFactory, PostFactory, TagFactory

ARTICLE_BODY = "\n\n".join(
    [
        "Chaque semaine apporte son nouveau record : un modèle plus grand, un contexte plus long, "
        "un score de référence battu de quelques points. Dans ce vacarme, une question revient sans "
        "cesse dans les conférences européennes : nos laboratoires ont-ils encore une chance ?",
        "## Un rapport de force déséquilibré",
        "Il serait naïf de le nier : les moyens ne sont pas comparables. Les grands laboratoires "
        "américains disposent de budgets annuels qui dépassent le capital total levé par l’ensemble "
        "des startups européennes du secteur, et chaque génération de modèles creuse l’écart.",
        "### L’argent, premier carburant",
        "Entraîner un modèle de pointe coûte désormais des centaines de millions d’euros. À ce prix, "
        "seuls quelques acteurs peuvent se permettre de rater une génération et de recommencer.",
        "- des tours de table qui se comptent en milliards ;\n- des partenariats avec les grands "
        "fournisseurs de cloud ;\n- des équipes de plusieurs milliers de personnes.",
        "## Ce que l’Europe fait différemment",
        "> La sobriété n’est pas une contrainte, c’est un argument commercial.",
        "Le pari de l’ouverture a permis à des acteurs plus petits de fédérer une communauté de "
        "développeurs qui s’approprient leurs modèles, les adaptent et en font un standard de fait.",
        "## Verdict : rien n’est joué",
        "Alors, trop tard ? Non. La course ne se gagnera pas seulement à coups de milliards, mais "
        "aussi par l’efficacité, l’ouverture et la confiance.",
    ]
)

# Served by whitenoise on a live server; the test client only renders the address.
DEMO_IMAGE = "/static/img/demo/europe.jpg"


def make_site():
    """A small blog with every page type filled in; returns the addresses to check, by name."""
    simone = AuthorFactory(
        slug="simone",
        display_name="Simone",
        role_title="Rédactrice principale",
        bio="Simone écrit sur l’*intelligence artificielle* depuis dix ans.",
        website="https://example.org/simone",
    )
    julien = AuthorFactory(slug="julien", display_name="Julien Marchand", role_title="Journaliste tech")
    ia = CategoryFactory(slug="modeles-de-langage", name="Modèles de langage")
    europe = TagFactory(slug="europe", name="Europe")
    PostFactory(
        slug="cinq-questions",
        title="Cinq questions à poser avant d’adopter un assistant de code",
        excerpt="Avant d’équiper une équipe, quelques questions simples évitent bien des déceptions.",
        author=julien,
        categories=[ia],
        featured_image_url="/static/img/demo/circuits.jpg",
        featured_image_alt="Des cercles cuivrés sur une grille",
    )
    article = PostFactory(
        slug="ia-generative-en-europe",
        title="IA générative en Europe : la partie est-elle vraiment perdue ?",
        excerpt="Face aux géants américains, les laboratoires européens semblent partir avec un handicap "
        "énorme. Pourtant, la bataille ne se joue pas seulement sur la taille des modèles.",
        body=ARTICLE_BODY,
        author=simone,
        categories=[ia],
        tags=[europe],
        featured_image_url=DEMO_IMAGE,
        featured_image_alt="Des points lumineux sur un fond bleu nuit",
    )
    PostFactory(
        slug="ai-act",
        title="L’AI Act expliqué en dix minutes",
        excerpt="Ce que le règlement européen change, et pour qui.",
        author=simone,
        categories=[ia],
        tags=[europe],
    )
    first = CommentFactory(
        post=article, author_name="Camille", body="Merci pour cette synthèse très claire !"
    )
    CommentFactory(
        post=article,
        parent=first,
        author_name="Thomas",
        body="Pareil. Une nuance : *ouvert* ne veut pas tout dire.",
    )
    PageFactory(
        slug="a-propos",
        title="À propos",
        body="## Qui sommes-nous\n\nUn blog.\n\n## Nous écrire\n\nÀ la rédaction.",
    )
    return {
        "home": "/",
        "post": article.get_absolute_url(),
        "page": "/a-propos/",
        "author": "/author/simone/",
        "category": "/category/modeles-de-langage/",
        "tag": "/tag/europe/",
        "search": "/search/?q=europe",
        "404": "/cette-page-n-existe-pas/",
    }


def small_site():
    """Two posts by one author in one category and tag, a comment, a page: every cacheable page type."""
    category, tag, author = CategoryFactory(), TagFactory(), AuthorFactory()
    older = PostFactory(author=author, categories=[category], tags=[tag], title="Un article plus ancien")
    post = PostFactory(author=author, categories=[category], tags=[tag], title="Le dernier article")
    CommentFactory(post=post, body="Un premier avis.")
    page = PageFactory(title="À propos")
    return {"post": post, "older": older, "page": page, "category": category, "tag": tag, "author": author}


def public_pages(site):
    """The HTML pages of `small_site()` anyone may read."""
    return [
        reverse("blog:home"),
        reverse("blog:home") + "?page=1",
        site["post"].get_absolute_url(),
        site["page"].get_absolute_url(),
        site["category"].get_absolute_url(),
        site["tag"].get_absolute_url(),
        site["author"].get_absolute_url(),
        reverse("blog:search") + "?q=article",
    ]


def public_feeds(site):
    """The feeds and sitemaps of `small_site()`."""
    slug = site["post"].slug
    return [
        reverse("blog:feed"),
        reverse("blog:feed-atom"),
        reverse("blog:category-feed", kwargs={"slug": site["category"].slug}),
        reverse("blog:tag-feed", kwargs={"slug": site["tag"].slug}),
        reverse("blog:author-feed", kwargs={"slug": site["author"].slug}),
        reverse("comments:feed"),
        reverse("comments:post-feed", kwargs={"slug": slug}),
        reverse("comments:post-feed-atom", kwargs={"slug": slug}),
        reverse("blog:sitemap"),
        reverse("blog:sitemap-section", kwargs={"section": "posts"}),
    ]
