from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def rating_for(context, message):
    """The customer's rating of ``message`` (None: of the resolution), if they gave one."""
    ratings = context.get("ratings") or {}
    return ratings.get(getattr(message, "pk", None))
