"""What every model viewset of the desk's configuration shares."""

from django.urls import URLPattern, path
from wagtail.admin.viewsets.model import ModelViewSet


class IntegerKeyViewSet(ModelViewSet):
    """Routes its objects' views by an integer key on every supported Wagtail.

    Wagtail 7 routes them with ``<str:pk>``, so a key that is not a number reaches the database
    and answers 500; Wagtail 8 routes integer keys with ``<int:pk>`` (a 404), and needs nothing."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        if hasattr(ModelViewSet, "pk_path_converter"):
            return patterns
        return [_with_integer_key(pattern) for pattern in patterns]


def _with_integer_key(pattern):
    route = str(pattern.pattern)
    if not isinstance(pattern, URLPattern) or "<str:pk>" not in route:
        return pattern
    return path(route.replace("<str:pk>", "<int:pk>"), pattern.callback, name=pattern.name)
