"""What every app's admin shares (core registers no model)."""

from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

# Markdown fields get the live preview; URL fields assume https (Django 6's default) when
# someone types a bare domain.
FORMFIELD_OVERRIDES = {
    MarkdownxField: {"widget": AdminMarkdownxWidget},
    models.URLField: {"assume_scheme": "https"},
}
