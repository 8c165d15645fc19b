from django import template

register = template.Library()


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, post):
    """The comments of `post` and the "Laisser un commentaire" form (filled in by the comments app)."""
    return {"post": post, "request": context.get("request")}
