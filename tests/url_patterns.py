"""Every URL pattern the help desk installs, walked from the root URLconf, for the tests that
request them all (hostile input, the access matrix): a view added later is in the walk without
anyone listing it."""

import re
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver

# The app's own namespaces: the desk, the configuration viewsets, My requests, the FAQ endpoints.
APP_NAMESPACES = re.compile(r"^(support_|wagtail_support)")
# anymail's inbound webhooks, which the app installs for incoming mail.
WEBHOOK_NAMESPACES = re.compile(r"^anymail$")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def app_routes(namespaces=APP_NAMESPACES, resolver=None, prefix="", namespace=""):
    """(namespace:name, route with converters) for every URL pattern under ``namespaces``."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            inner = ":".join(filter(None, [namespace, item.namespace]))
            yield from app_routes(namespaces, item, route, inner)
        elif isinstance(item, URLPattern) and namespaces.match(namespace):
            yield f"{namespace}:{item.name}", route.lstrip("^")


def page_routes(page):
    """The routes a page serves: below its own URL for a routable page, else the page itself."""
    base = page.url
    if not hasattr(page, "get_subpage_urls"):
        yield f"{type(page).__name__}:page", base
        return
    for item in page.get_subpage_urls():
        yield f"{type(page).__name__}:{item.name}", base + str(item.pattern).lstrip("^")


def all_routes(pages=(), namespaces=APP_NAMESPACES):
    """{name: route} of the URL patterns under ``namespaces`` and the routes of ``pages``."""
    routes = dict(app_routes(namespaces))
    for page in pages:
        routes.update(page_routes(page))
    return routes


def fill(route, values):
    """The route with each converter replaced by ``values(name, converter)``, quoted."""

    def one(match):
        return quote(str(values(match.group(2), match.group(1) or "str")), safe="")

    return "/" + CONVERTER.sub(one, route).lstrip("/")
