import re

import nh3

LINK_REL = "noopener noreferrer nofollow"
# Anything fetched from elsewhere: a scheme other than data: and cid:, or a protocol-relative URL.
REMOTE_URL = re.compile(r"^\s*(//|(?!data:|cid:)[a-z][a-z0-9+.-]*:)", re.I)
# cid: names a part of the same e-mail and fetches nothing: kept when stored, so the page can
# show the part from the desk's storage (``inline``); never handed to a browser as it is.
# nh3 before 0.2.19 does not export its default schemes (ammonia's), which are these.
DEFAULT_URL_SCHEMES = getattr(nh3, "ALLOWED_URL_SCHEMES", None) or {
    "bitcoin", "ftp", "ftps", "geo", "http", "https", "im", "irc", "ircs", "magnet", "mailto",
    "mms", "mx", "news", "nntp", "openpgp4fpr", "sip", "sms", "smsto", "ssh", "tel", "url",
    "webcal", "wtai", "xmpp",
}  # fmt: skip
URL_SCHEMES = set(DEFAULT_URL_SCHEMES) | {"cid"}
CID = re.compile(r"^\s*cid:", re.I)


def content_id(value):
    """The Content-ID a ``cid:`` URL names, as a header would give it (no angle brackets)."""
    from urllib.parse import unquote

    return unquote(CID.sub("", value or "", count=1)).strip().strip("<>").lower()


def clean_html(html):
    """HTML from outside (e-mail bodies, rich replies) with scripts, styles, event handlers and
    unsafe URLs removed; links open without handing over the desk's page. ``cid:`` stays on
    images only: it fetches nothing, and the page shows the part (``without_remote_images``)."""
    if not html:
        return ""
    return nh3.clean(html, link_rel=LINK_REL, url_schemes=URL_SCHEMES, attribute_filter=_cid_on_img)


def _cid_on_img(element, attribute, value):
    if value and CID.match(value) and not (element == "img" and attribute == "src"):
        return None
    return value


def without_remote_images(html, inline=None, *, block=True):
    """(html, number of images blocked) for the page: cleaned HTML whose images from other
    servers lose their address (unless not ``block``). A tracking pixel in a customer's mail would
    otherwise tell its sender when an agent opened the ticket, and from which address.

    ``inline`` ({Content-ID: URL}) shows the e-mail's own images (``cid:``) from the desk's
    storage; a ``cid:`` not in it loses its address, as no browser could load it anyway."""
    if not html:
        return "", 0
    blocked = []
    inline = inline or {}

    def keep(element, attribute, value):
        if attribute not in ("src", "href") or not value:
            return value
        if CID.match(value):
            # Only an image may show a part, and only one that was found in the desk's storage.
            return inline.get(content_id(value)) if element == "img" else None
        if block and element == "img" and attribute == "src" and REMOTE_URL.match(value):
            blocked.append(value)
            return None
        return value

    cleaned = nh3.clean(html, link_rel=LINK_REL, attribute_filter=keep, url_schemes=URL_SCHEMES)
    return cleaned, len(blocked)
