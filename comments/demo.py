"""A threaded French discussion for the demo blog (`manage.py demo` calls `create_demo_discussion`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Comment

DEMO_DOMAIN = "demo.plume.example"

# (key, parent key, name, text, status); created in this order, a few hours apart.
DISCUSSION = [
    (
        "camille",
        None,
        "Camille",
        "Merci pour cette synthèse très claire ! Le passage sur les modèles ouverts "
        "répond exactement à la question que je me posais.",
        Comment.Status.APPROVED,
    ),
    (
        "thomas",
        "camille",
        "Thomas",
        "Pareil. Par contre, *ouvert* ne veut pas toujours dire que les données "
        "d’entraînement le sont aussi : c’est une nuance importante.",
        Comment.Status.APPROVED,
    ),
    (
        "camille-2",
        "thomas",
        "Camille",
        "Bonne remarque. Tu aurais une source sur ce point ?",
        Comment.Status.APPROVED,
    ),
    (
        "thomas-2",
        "camille-2",
        "Thomas",
        "Oui : la fiche du modèle détaille la licence, mais pas le corpus. "
        "Voir la [documentation officielle](https://docs.mistral.ai/).",
        Comment.Status.APPROVED,
    ),
    (
        "ines",
        None,
        "Inès",
        "Article passionnant. Est-ce que vous prévoyez un comparatif des coûts d’inférence ?",
        Comment.Status.APPROVED,
    ),
    (
        "julien",
        "ines",
        "Julien",
        "Ça m’intéresserait aussi, surtout pour un usage en entreprise.",
        Comment.Status.APPROVED,
    ),
    (
        "nora",
        None,
        "Nora",
        "Petite coquille dans le deuxième paragraphe, sinon rien à redire !",
        Comment.Status.PENDING,
    ),
]


def _email(key):
    return f"{key.split('-')[0]}@{DEMO_DOMAIN}"


@transaction.atomic
def create_demo_discussion(post):
    """Build the demo discussion on `post`; running it again changes nothing."""
    if Comment.objects.filter(post=post, author_email__endswith=f"@{DEMO_DOMAIN}").exists():
        return []
    start = max(post.published_at or timezone.now(), timezone.now() - timedelta(days=2))
    created = {}
    for index, (key, parent_key, name, body, status) in enumerate(DISCUSSION):
        comment = Comment(
            post=post,
            parent=created.get(parent_key),
            author_name=name,
            author_email=_email(key),
            body=body,
            status=status,
            moderation_rule="demo",
            moderation_reason="Données de démonstration",
            created_at=min(start + timedelta(hours=3 * (index + 1)), timezone.now()),
        )
        comment.full_clean()
        comment.save()
        created[key] = comment
    return list(created.values())
