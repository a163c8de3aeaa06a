"""The sandbox's Content-Security-Policy (docs/security.md#content-security-policy).

One strict policy for the whole site: scripts only from the site's own static files (or with
the request's nonce), no plugins, no framing by other sites. Django 6's own CSP support sends it
on the newest stack and django-csp on Django 5.2 (``csp_settings``).

Wagtail's admin outside the help desk needs one exception: its InlinePanel, MultipleChooserPanel
and date and time pickers write inline scripts (Wagtail 7 and 8) from panel and widget templates
that are rendered without the request, so they cannot carry its nonce, and jQuery re-runs them
when a form is added to a formset. Those admin views get ``'unsafe-inline'`` for scripts
(``AdminInlineScripts``); the desk and the incoming-mail screens, which show what customers and
strangers wrote, keep the strict policy.
"""

import django

SELF, NONE, UNSAFE_INLINE = "'self'", "'none'", "'unsafe-inline'"
# Wagtail's admin shows Gravatar pictures unless WAGTAIL_GRAVATAR_PROVIDER_URL is None.
GRAVATAR = "https://www.gravatar.com"
# Wagtail's dashboard asks for the latest release (WAGTAIL_ENABLE_UPDATE_CHECK).
WAGTAIL_RELEASES = "https://releases.wagtail.org"

# Admin views under this URL namespace keep the strict policy.
STRICT_ADMIN_NAMESPACES = {"support_desk", "support_inbound_mail"}


def directives(nonce=None):
    return {
        "default-src": [SELF],
        "script-src": [SELF, nonce] if nonce else [SELF],
        # Style attributes (a state's colour in the desk, Wagtail's admin) cannot carry a nonce;
        # a style runs no code.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", GRAVATAR],
        "connect-src": [SELF, WAGTAIL_RELEASES],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's preview shows the page in a frame of its own admin.
        "frame-ancestors": [SELF],
    }


def csp_settings():
    """(settings, middleware, context processor) for the CSP support of the running Django. The
    context processor gives templates the nonce: ``{{ csp_nonce }}`` on Django 6,
    ``{{ CSP_NONCE }}`` with django-csp; the header names it only when a template used it."""
    if django.VERSION >= (6, 0):
        from django.utils.csp import CSP

        return (
            {"SECURE_CSP": directives(CSP.NONCE)},
            "django.middleware.csp.ContentSecurityPolicyMiddleware",
            "django.template.context_processors.csp",
        )
    from csp.constants import NONCE

    return (
        {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": directives(NONCE)}},
        "csp.middleware.CSPMiddleware",
        "csp.context_processors.nonce",
    )


def header(policy):
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


ADMIN_POLICY = header({**directives(), "script-src": [SELF, UNSAFE_INLINE]})


class AdminInlineScripts:
    """Gives Wagtail's admin views, but the help desk's strict ones, the policy that lets
    Wagtail's inline scripts run. Listed after the CSP middleware, so its response passes here
    first; both CSP middlewares leave a header that is already set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and _needs_inline_scripts(request):
            response["Content-Security-Policy"] = ADMIN_POLICY
        return response


def _needs_inline_scripts(request):
    from django.urls import NoReverseMatch, reverse

    try:
        admin = reverse("wagtailadmin_home")
    except NoReverseMatch:  # a URLconf without Wagtail's admin
        return False
    if not request.path.startswith(admin):
        return False
    match = getattr(request, "resolver_match", None)
    return not (match and STRICT_ADMIN_NAMESPACES.intersection(match.namespaces))
