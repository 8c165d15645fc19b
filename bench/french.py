"""
French-looking editorial text for the benchmark data: titles, Markdown bodies, comments.

Sentences are assembled from phrase lists about technology and AI, the subject of the
blog Plume is built for, so that the bodies read like its articles, search on French
words finds a realistic share of them, and nothing is downloaded. Everything is driven by
a `random.Random`, so a seed gives the same text every time.
"""

SUBJECTS = [
    "La startup française", "Le nouveau modèle", "Cette approche", "L’équipe de recherche",
    "Le marché européen", "Chaque nouvelle génération de modèles", "La communauté des développeurs",
    "L’intelligence artificielle générative", "Le calcul intensif", "La régulation européenne",
    "Un acteur comme Mistral AI", "La concurrence américaine", "Le secteur public",
    "Une entreprise de taille moyenne", "Le monde de la recherche", "L’écosystème open source",
    "La stratégie hybride", "Cette technologie", "Le grand public", "La rédaction",
]  # fmt: skip
VERBS = [
    "transforme", "accélère", "redéfinit", "repose sur", "soulève", "bouscule", "renforce",
    "met en lumière", "remet en question", "dépend de", "améliore", "fragilise", "révèle",
    "simplifie", "encourage", "complique", "finance", "observe", "anticipe", "explore",
]  # fmt: skip
OBJECTS = [
    "les modèles de langage", "l’apprentissage automatique", "la puissance de calcul",
    "les données d’entraînement", "la confidentialité des utilisateurs", "les processeurs graphiques",
    "l’efficacité énergétique", "les usages professionnels", "la qualité des réponses",
    "les outils des développeurs", "le coût de l’inférence", "les performances annoncées",
    "la transparence des algorithmes", "les investissements en recherche", "la chaîne de valeur",
    "les attentes des lecteurs", "l’accès aux talents", "les licences ouvertes",
]  # fmt: skip
CIRCUMSTANCES = [
    "depuis plusieurs mois", "à une vitesse folle", "en Europe comme ailleurs",
    "sans réelle concurrence", "dans un contexte très compétitif", "pour les entreprises",
    "au quotidien", "selon les premiers tests", "à moyen terme", "malgré des moyens limités",
    "plus que jamais", "d’une manière inattendue", "face aux géants américains",
    "dans les laboratoires", "pour des millions d’utilisateurs", "avec un budget serré",
]  # fmt: skip
CONNECTORS = ["", "", "", "Pourtant, ", "Ainsi, ", "En effet, ", "De plus, ", "Par ailleurs, ",
              "Concrètement, ", "Autrement dit, ", "Dans les faits, ", "Reste que "]  # fmt: skip

# Each body has one theme: its vocabulary appears only there, so a search for it
# matches about one post in len(THEMES), like a real query would.
THEMES = [
    ("souveraineté", ["la souveraineté numérique", "l’autonomie stratégique", "le cloud souverain"]),
    ("santé", ["l’imagerie médicale", "le diagnostic assisté", "les données de santé"]),
    ("éducation", ["l’enseignement supérieur", "les devoirs des élèves", "la formation continue"]),
    ("énergie", ["la consommation électrique", "les centres de données", "le refroidissement des serveurs"]),
    ("droit", ["le règlement européen sur l’IA", "la propriété intellectuelle", "le droit d’auteur"]),
    ("création", ["la génération d’images", "la musique synthétique", "les artistes indépendants"]),
    ("sécurité", ["la cybersécurité", "les attaques par injection", "la protection des systèmes"]),
    ("emploi", ["le marché du travail", "l’automatisation des tâches", "les nouveaux métiers"]),
    ("langues", ["la traduction automatique", "les langues régionales", "la diversité linguistique"]),
    ("robotique", ["les robots industriels", "la conduite autonome", "les capteurs embarqués"]),
]  # fmt: skip
SEARCH_QUERY = "souveraineté numérique"

HEADINGS = [
    "La compétition des géants", "Des atouts qui font la différence", "Une stratégie hybride",
    "L’efficacité, une force redoutable", "Les défis à relever", "Ce que disent les chiffres",
    "Le point de vue des développeurs", "Et maintenant ?", "Un enjeu européen",
    "Les limites du modèle", "Ce qu’il faut retenir", "Les coulisses du projet",
    "Une question de confiance", "Le rôle des données", "Vers une nouvelle génération",
    "Les premiers retours", "Un marché en mouvement", "Pourquoi c’est important",
]  # fmt: skip
TITLE_TOPICS = [
    "Mistral 3", "Les modèles ouverts", "L’IA générative", "Le cloud européen", "Les assistants de code",
    "La recherche française", "Les GPU", "Les agents autonomes", "La traduction automatique",
    "Les petits modèles", "L’IA à l’école", "La régulation", "Les données synthétiques",
]  # fmt: skip
TITLE_ANGLES = [
    "déjà trop tard pour concurrencer les géants ?", "ce qui change vraiment",
    "notre analyse complète", "les promesses et les limites", "faut-il y croire ?",
    "le guide pour bien démarrer", "cinq questions pour comprendre", "un tournant pour l’Europe",
    "ce que les chiffres ne disent pas", "la fin d’une époque ?", "enquête sur un marché en ébullition",
]  # fmt: skip
FIRST_NAMES = [
    "Simone", "Camille", "Julien", "Léa", "Thomas", "Chloé", "Hugo", "Manon", "Louis", "Inès",
    "Antoine", "Sarah", "Mathieu", "Élise", "Nicolas", "Zoé", "Romain", "Clara", "Maxime", "Jeanne",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
]  # fmt: skip
ROLE_TITLES = ["Rédactrice principale", "Journaliste", "Rédacteur", "Chroniqueuse", "Analyste", "Pigiste"]
COMMENT_OPENINGS = [
    "Merci pour cet article", "Très bonne analyse", "Je ne suis pas d’accord", "Article passionnant",
    "Petite précision", "Question naïve", "Bravo pour la clarté", "Intéressant, mais",
]  # fmt: skip


def sentence(rng, theme_words=()):
    objects = OBJECTS + list(theme_words) * 4 if theme_words else OBJECTS
    subject = rng.choice(SUBJECTS)
    connector = rng.choice(CONNECTORS)
    if connector:
        # "Ainsi, la startup…": the subject loses its capital after a connector.
        subject = subject[0].lower() + subject[1:]
    return f"{connector}{subject} {rng.choice(VERBS)} {rng.choice(objects)} {rng.choice(CIRCUMSTANCES)}."


def paragraph(rng, theme_words=(), sentences=(3, 6)):
    return " ".join(sentence(rng, theme_words) for _ in range(rng.randint(*sentences)))


def title(rng):
    return f"{rng.choice(TITLE_TOPICS)} : {rng.choice(TITLE_ANGLES)}"


def person_name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def markdown_body(rng, *, words=1500, headings=8, theme=None):
    """A post body of about `words` words with `headings` headings (h2, some h3 under them)."""
    theme_words = theme[1] if theme else ()
    per_section = max(1, words // (headings + 1))
    blocks = [_section_text(rng, per_section, theme_words, first=True)]
    chosen = rng.sample(HEADINGS, k=min(headings, len(HEADINGS)))
    chosen += [f"Partie {n}" for n in range(len(chosen) + 1, headings + 1)]
    for index, heading in enumerate(chosen):
        level = "###" if index % 4 == 3 else "##"
        blocks.append(f"{level} {heading}")
        blocks.append(_section_text(rng, per_section, theme_words))
    return "\n\n".join(blocks) + "\n"


def _section_text(rng, target_words, theme_words, *, first=False):
    blocks, count = [], 0
    while count < target_words - 20:  # a block runs to ~90 words: land near the target
        kind = "p" if first or rng.random() < 0.75 else rng.choice(["list", "quote", "emphasis"])
        if kind == "list":
            items = [sentence(rng, theme_words) for _ in range(rng.randint(3, 5))]
            text = "\n".join(f"- {item}" for item in items)
        elif kind == "quote":
            text = f"> {paragraph(rng, theme_words, sentences=(1, 2))}"
        elif kind == "emphasis":
            lead = rng.choice(theme_words or OBJECTS)
            text = (
                f"**À retenir :** *{lead}* reste au cœur du sujet. "
                f"{paragraph(rng, theme_words, sentences=(1, 3))} "
                f"[En savoir plus](https://example.org/{rng.randint(1, 999)})."
            )
        else:
            text = paragraph(rng, theme_words)
        blocks.append(text)
        count += len(text.split())
        first = False
    return "\n\n".join(blocks)


def comment_body(rng):
    return f"{rng.choice(COMMENT_OPENINGS)} ! {paragraph(rng, sentences=(1, 3))}"
