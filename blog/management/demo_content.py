"""French demo content for `manage.py demo`: original text, in the shape of the seed article."""

SIMONE_BIO = (
    "Simone est la rédactrice principale du blog. Ingénieure de formation, elle a passé dix ans "
    "à construire des systèmes d’apprentissage automatique avant de choisir de les raconter. "
    "Elle croit à une intelligence artificielle ouverte, sobre et utile, et à des lecteurs qui "
    "comprennent ce qu’ils utilisent."
)

JULIEN_BIO = (
    "Julien suit l’écosystème des startups françaises depuis Station F. Il aime les chiffres "
    "vérifiés, les entretiens longs et les graphiques qui tiennent sur une page."
)

LONG_ARTICLE_TITLE = "IA générative en Europe : la partie est-elle vraiment perdue ?"

LONG_ARTICLE_EXCERPT = (
    "Face aux géants américains, les laboratoires européens semblent partir avec un handicap "
    "énorme. Pourtant, la bataille ne se joue pas seulement sur la taille des modèles."
)

LONG_ARTICLE = """\
Chaque semaine apporte son nouveau record : un modèle plus grand, un contexte plus long, un score
de référence battu de quelques points. Dans ce vacarme, une question revient sans cesse dans les
conférences européennes : nos laboratoires ont-ils encore une chance, ou regardent-ils passer un
train déjà lancé à pleine vitesse ?

Nous avons interrogé des chercheurs, des investisseurs et des clients pour démêler ce qui relève
de la fatalité et ce qui relève du récit. Leur réponse est plus nuancée qu’on ne le croit.

## Un rapport de force déséquilibré

Il serait naïf de le nier : les moyens ne sont pas comparables. Les grands laboratoires
américains disposent de budgets annuels qui dépassent le capital total levé par l’ensemble des
startups européennes du secteur.

### L’argent, premier carburant

Entraîner un modèle de pointe coûte désormais des centaines de millions d’euros. À ce prix, seuls
quelques acteurs peuvent se permettre de rater une génération et de recommencer.

- des tours de table qui se comptent en milliards ;
- des partenariats avec les grands fournisseurs de cloud ;
- des équipes de recherche de plusieurs milliers de personnes.

### Le calcul, goulet d’étranglement

Le second obstacle est matériel. Les processeurs graphiques les plus récents sont rares, chers et
réservés en priorité aux plus gros clients. Un laboratoire qui attend ses machines six mois perd
un cycle complet d’innovation.

## Ce que l’Europe fait différemment

Malgré ce constat, plusieurs équipes européennes ont su se faire une place en un temps record.
Leur secret tient moins à la puissance brute qu’à des choix stratégiques assumés.

### Le pari de l’ouverture

Publier les poids de certains modèles, c’est offrir aux développeurs du monde entier un outil
qu’ils peuvent inspecter, adapter et déployer chez eux. Cette générosité apparente construit une
communauté fidèle et fait de ces modèles des standards de fait.

### La sobriété comme argument

Un modèle plus petit mais bien entraîné coûte moins cher à faire tourner. Pour une entreprise qui
traite des millions de requêtes par jour, la facture compte autant que la qualité des réponses.

- une latence plus faible pour les usages interactifs ;
- une consommation d’énergie réduite ;
- la possibilité d’héberger le modèle sur ses propres serveurs.

## Les obstacles qui restent à franchir

L’enthousiasme ne doit pas masquer les difficultés. Trois chantiers conditionnent la suite.

### Financer la prochaine génération

Chaque génération de modèles coûte plus cher que la précédente. Il faudra convaincre des
investisseurs européens, souvent prudents, de suivre des montants jusqu’ici réservés aux
fonds américains.

### Passer du laboratoire au marché

Une bonne technologie ne suffit pas : il faut une documentation claire, un support réactif, des
outils simples et des commerciaux capables de signer avec de grands groupes.

## Les conditions d’une victoire

Pour s’imposer, un champion européen n’a pas besoin d’être le plus gros. Il doit être le plus
pertinent pour ceux qui l’utilisent.

- exceller sur des usages précis, avec une personnalisation fine ;
- maîtriser les modalités qui comptent : texte, image, voix ;
- s’appuyer sur des canaux de distribution déjà installés chez les clients ;
- faire de la conformité réglementaire un avantage plutôt qu’un fardeau.

## Verdict : rien n’est joué

Alors, trop tard ? Non. La course ne se gagnera pas seulement à coups de milliards, mais aussi
par l’efficacité, l’ouverture et la confiance. L’Europe a montré qu’elle savait jouer sur ces
terrains-là.

La vraie question n’est peut-être pas de savoir qui entraînera le plus grand modèle, mais qui
saura changer les règles du jeu.
"""

SHORT_POSTS = [
    {
        "title": "Cinq questions à poser avant d’adopter un assistant de code",
        "image": ("circuits", "Des cercles concentriques cuivrés sur une grille, comme un circuit"),
        "author": "julien",
        "days_ago": 3,
        "categories": ["modeles-de-langage"],
        "tags": ["LLM", "Développeurs"],
        "body": """\
Les assistants de programmation se multiplient. Avant d’en équiper une équipe, quelques
questions simples évitent bien des déceptions.

## Où partent les données ?

Le code source est souvent le bien le plus précieux d’une entreprise. Vérifiez où il est envoyé
et combien de temps il est conservé.

## Qui relit les suggestions ?

Un assistant propose ; un humain décide. Prévoyez une revue de code aussi exigeante qu’avant.

## Combien cela coûte-t-il vraiment ?

Additionnez les licences, le temps de formation et le temps passé à corriger les suggestions.
""",
    },
    {
        "title": "L’AI Act expliqué en dix minutes",
        "author": "simone",
        "days_ago": 8,
        "categories": ["ethique-et-regulation"],
        "tags": ["Régulation", "Europe"],
        "body": """\
Le règlement européen sur l’intelligence artificielle classe les usages selon leur niveau de
risque. Voici l’essentiel pour ne pas s’y perdre.

## Quatre niveaux de risque

- **inacceptable** : interdit, comme la notation sociale ;
- **élevé** : autorisé sous conditions strictes ;
- **limité** : obligations de transparence ;
- **minimal** : aucune contrainte particulière.

## Et les modèles généralistes ?

Les fournisseurs de grands modèles doivent documenter leurs données d’entraînement et publier un
résumé de leurs pratiques.
""",
    },
    {
        "title": "Station F, deux ans après : ce qui a changé pour les startups de l’IA",
        "image": ("donnees", "Des barres vertes de hauteurs différentes, comme un graphique"),
        "author": "julien",
        "days_ago": 15,
        "categories": ["startups"],
        "tags": ["Europe", "Startups"],
        "body": """\
Il y a deux ans, les jeunes pousses de l’intelligence artificielle cherchaient surtout des
ingénieurs. Aujourd’hui, elles cherchent des clients.

Les investisseurs, eux, posent une question nouvelle à chaque rendez-vous : quelle est votre
marge une fois les coûts de calcul payés ? Une question saine, qui fait le tri entre les
démonstrations spectaculaires et les entreprises durables.
""",
    },
]

DRAFT_POST = {
    "title": "Brouillon : les GPU européens arriveront-ils à temps ?",
    "author": "julien",
    "categories": ["intelligence-artificielle"],
    "tags": ["GPU", "Europe"],
    "body": """\
Notes pour un futur article sur les projets de puces européennes.

## Les projets en cours

- à compléter après les entretiens ;
- vérifier les calendriers annoncés.
""",
}

SCHEDULED_POST = {
    "title": "Modèles ouverts : ce que la prochaine génération devra prouver",
    "author": "simone",
    "days_ahead": 7,
    "categories": ["modeles-de-langage"],
    "tags": ["Open source", "LLM"],
    "body": """\
La prochaine génération de modèles ouverts est attendue dans quelques mois. Elle devra convaincre
sur trois terrains : la qualité, la sobriété et la facilité de déploiement.

## La qualité

Les écarts avec les modèles fermés se réduisent, mais restent visibles sur le raisonnement long.

## La sobriété

Faire autant avec moins de paramètres reste le meilleur argument face aux géants.
""",
}

CATEGORIES = [
    # slug, name, parent slug, description
    (
        "intelligence-artificielle",
        "Intelligence artificielle",
        None,
        "Tout sur l’IA, de la recherche aux usages.",
    ),
    ("modeles-de-langage", "Modèles de langage", "intelligence-artificielle", "Les LLM, ouverts ou fermés."),
    ("ethique-et-regulation", "Éthique et régulation", "intelligence-artificielle", "Les règles du jeu."),
    ("numerique", "Numérique", None, "L’économie et la société numériques."),
    ("startups", "Startups", "numerique", "Les jeunes pousses françaises et européennes."),
]

PAGES = [
    {
        "title": "À propos",
        "slug": "a-propos",
        "menu_order": 1,
        "body": """\
Ce blog raconte l’intelligence artificielle telle qu’elle se fait, en Europe et ailleurs :
des analyses longues, des entretiens et des explications sans jargon.

## Notre ligne éditoriale

- vérifier avant de publier ;
- expliquer plutôt qu’impressionner ;
- citer nos sources.

## Nous écrire

Une remarque, une correction ? Laissez un commentaire sous l’article concerné : chaque message est
lu par la rédaction.
""",
    },
    {
        "title": "Politique de confidentialité",
        "slug": "politique-de-confidentialite",
        "menu_order": 2,
        "body": """\
Nous collectons le moins de données possible, conformément au RGPD.

## Ce que nous conservons

- pour un commentaire : le nom, l’adresse e-mail (jamais affichée) et le texte ;
- une adresse IP tronquée, pour lutter contre le spam ;
- aucun cookie publicitaire ni outil de mesure d’audience tiers.

## Vos droits

Vous pouvez demander l’export ou l’effacement de vos commentaires en écrivant à la rédaction avec
l’adresse e-mail utilisée.
""",
    },
]
