from django.utils.text import slugify


def unique_slug(model, text, *, instance=None, field="slug", reserved=(), max_length=None):
    """Slugify `text` (accents folded to ASCII when the script allows it) and make it unique."""
    max_length = max_length or model._meta.get_field(field).max_length
    base = (slugify(text) or slugify(text, allow_unicode=True) or model._meta.model_name)[: max_length - 4]
    base = base.strip("-") or model._meta.model_name
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    candidate, n = base, 1
    while candidate in reserved or others.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
