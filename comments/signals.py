from django.dispatch import Signal

# Sent after comments changed in bulk (QuerySet.update sends no post_save),
# so that caches of public answers can drop what they hold.
comments_changed = Signal()
