"""The comments API: a post's public thread and commenting from any origin (`public`),
and moderation (`moderation`); what they read and write is in `serializers`.

Everything that decides goes through `comments.services` (the same pipeline as
the HTML form): these views only translate HTTP to service calls and back.
"""
