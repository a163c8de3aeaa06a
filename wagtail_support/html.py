import re

import nh3

LINK_REL = "noopener noreferrer nofollow"
# Anything fetched from elsewhere: a scheme other than data: and cid:, or a protocol-relative URL.
REMOTE_URL = re.compile(r"^\s*(//|(?!data:|cid:)[a-z][a-z0-9+.-]*:)", re.I)


def clean_html(html):
    """HTML from outside (e-mail bodies, rich replies) with scripts, styles, event handlers and
    unsafe URLs removed; links open without handing over the desk's page."""
    if not html:
        return ""
    return nh3.clean(html, link_rel=LINK_REL)


def without_remote_images(html):
    """(html, number of images blocked): cleaned HTML whose images from other servers lose their
    address. A tracking pixel in a customer's mail would otherwise tell its sender when an agent
    opened the ticket, and from which address."""
    if not html:
        return "", 0
    blocked = []

    def keep(element, attribute, value):
        if element == "img" and attribute == "src" and REMOTE_URL.match(value or ""):
            blocked.append(value)
            return None
        return value

    return nh3.clean(html, link_rel=LINK_REL, attribute_filter=keep), len(blocked)
