"""Every ``WAGTAIL_SUPPORT_*`` setting, its default and what it means.

Values are read from ``django.conf.settings`` each time they are used, never at import time, so a
site (or ``override_settings`` in a test) can change them at any moment. ``docs/settings.md`` lists
the same settings; a test keeps the two in step.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

PREFIX = "WAGTAIL_SUPPORT_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    types: tuple[type, ...]
    doc: str
    minimum: float | None = 1  # for numbers; None: any value
    choices: tuple = ()

    @property
    def full_name(self) -> str:
        return PREFIX + self.name


MiB = 1024 * 1024

# Programs and scripts that run when opened on a common desktop or server.
REFUSED_EXTENSIONS = (
    *("exe", "com", "scr", "pif", "cpl", "dll", "sys", "msi", "msp", "msix", "appx", "appxbundle"),
    *("bat", "cmd", "ps1", "psm1", "psd1", "vbs", "vbe", "vb", "js", "jse", "wsf", "wsh", "wsc"),
    *("hta", "lnk", "url", "scf", "inf", "reg", "msc", "gadget", "application", "jar", "jnlp"),
    *("sh", "bash", "zsh", "csh", "ksh", "command", "app", "run", "bin", "elf", "so", "dylib"),
    *("deb", "rpm", "apk", "pkg", "dmg", "py", "pyw", "pl", "rb", "php", "xbap", "iqy"),
)

SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "ATTACHMENT_MAX_SIZE",
            10 * MiB,
            (int,),
            "Largest accepted attachment, in bytes, from customers and agents alike.",
        ),
        Setting(
            "ATTACHMENT_MAX_COUNT",
            20,
            (int,),
            "Most attachments one ticket may hold, over all its messages.",
        ),
        Setting(
            "ATTACHMENT_STORAGE",
            "default",
            (str,),
            "Alias in Django's STORAGES where attachments are kept. Use a private storage: "
            "attachments are served only through a permission-checked view.",
        ),
        Setting(
            "ATTACHMENT_REFUSED_EXTENSIONS",
            REFUSED_EXTENSIONS,
            (tuple, list),
            "File name extensions (lower case, no dot) never accepted as attachments: programs "
            "and scripts by default. An empty list refuses no extension.",
        ),
        Setting(
            "ATTACHMENT_ALLOWED_EXTENSIONS",
            None,
            (tuple, list, type(None)),
            "None: any extension not refused is accepted. A list: only these extensions "
            "(lower case, no dot) are accepted; the refused ones stay refused.",
        ),
        Setting(
            "ATTACHMENT_REFUSE_EXECUTABLE_CONTENT",
            True,
            (bool,),
            "Refuse a file whose first bytes are a program's or a script's (Windows MZ, ELF, "
            "Mach-O, Java class, a #! line), whatever its name says.",
        ),
        Setting(
            "INBOUND_WEBHOOK_MAX_SIZE",
            50 * MiB,
            (int,),
            "Largest request body, in bytes, that the inbound webhook views read (whole e-mails "
            "with their attachments). Every other view keeps Django's "
            "DATA_UPLOAD_MAX_MEMORY_SIZE.",
        ),
        Setting(
            "PAGE_SIZE",
            25,
            (int,),
            "Rows per page in every ticket list (admin inbox and the customer's My requests).",
        ),
        Setting(
            "USE_CELERY",
            False,
            (bool,),
            "True: background work (mail, SLA scans) is queued to Celery workers through the "
            "site's Celery app. False: it runs in-process right after the database commit, so "
            "a site without a broker works.",
        ),
        Setting(
            "SPAM_HONEYPOT",
            True,
            (bool,),
            "Contact forms carry a hidden field that people leave empty and bots fill in.",
        ),
        Setting(
            "SPAM_MIN_FILL_SECONDS",
            3,
            (int,),
            "A contact form sent sooner than this after it was shown is spam; 0 turns it off.",
            minimum=0,
        ),
        Setting(
            "SPAM_RATE_LIMIT_PER_IP",
            10,
            (int,),
            "Most contact-form requests one IP address may send per hour; 0 turns it off.",
            minimum=0,
        ),
        Setting(
            "SPAM_RATE_LIMIT_PER_EMAIL",
            5,
            (int,),
            "Most contact-form requests one e-mail address may send per hour; 0 turns it off.",
            minimum=0,
        ),
        Setting(
            "SPAM_ACTION",
            "reject",
            (str,),
            '"reject": a suspected post is refused; "flag": it becomes a ticket in the Spam list.',
            choices=("reject", "flag"),
        ),
        Setting(
            "RECAPTCHA",
            "auto",
            (str,),
            '"auto": reCAPTCHA v2 checkbox on contact forms when RECAPTCHA_PUBLIC_KEY and '
            'RECAPTCHA_PRIVATE_KEY are set and django_recaptcha is installed; "v3": the invisible '
            'score check instead; "off": never.',
            choices=("auto", "v3", "off"),
        ),
        Setting(
            "RECAPTCHA_V3_MIN_SCORE",
            0.5,
            (float, int),
            "Lowest reCAPTCHA v3 score accepted as human.",
            minimum=0,
        ),
        Setting(
            "PORTAL_BASE_TEMPLATE",
            "base.html",
            (str,),
            "Template the customer's My requests pages and the Support section's pages (support "
            "index, information and FAQ pages) extend; it must have title and content blocks.",
        ),
        Setting(
            "GUEST_LINK_DAYS",
            60,
            (int,),
            "Days a request link sent to a guest by e-mail stays valid.",
        ),
        Setting(
            "FROM_EMAIL",
            None,
            (str, type(None)),
            "Sender address of the help desk's mail; None uses DEFAULT_FROM_EMAIL.",
        ),
        Setting(
            "REPLY_TO",
            "plus",
            (str,),
            'Reply-To of ticket mail, which carries a signed token naming the ticket: "plus" '
            'adds "+<token>" to the From address\'s local part (support+12.ab34…@example.com); '
            'a string with "{token}" is filled in (e.g. "{token}@reply.example.com"); "off" '
            "sends no Reply-To (replies are then threaded by headers and the body reference).",
        ),
        Setting(
            "CONFIRMATION_LIMIT_PER_HOUR",
            5,
            (int,),
            "Most request confirmations one customer address receives per hour, so an "
            "auto-replying mailbox can't make the help desk send a flood; 0: no limit.",
            minimum=0,
        ),
        Setting(
            "REFERENCES_LIMIT",
            10,
            (int,),
            "Most Message-IDs in the References header of the help desk's mail: the thread's "
            "first one and the latest ones.",
            minimum=2,
        ),
        Setting(
            "SUPERVISOR_GROUPS",
            ("Support supervisors",),
            (tuple, list),
            'Names of the groups whose active members are the "supervisors" that action '
            "e-mails and unassigned-request alerts go to; when none of them has a member, the "
            "active superusers are.",
        ),
        Setting(
            "EMAIL_BRAND",
            None,
            (str, type(None)),
            "Name the help desk's mail is signed with and sent from (the From display name); "
            "None: the Wagtail site's name.",
        ),
        Setting(
            "SEND_RETRIES",
            5,
            (int,),
            "How often a failed e-mail is retried (with growing waits) before it stays failed.",
            minimum=0,
        ),
        Setting(
            "FAQ_SUGGESTIONS",
            5,
            (int,),
            "Most FAQ entries suggested while a customer types a contact form's subject; 0 turns "
            "suggestions off.",
            minimum=0,
        ),
        Setting(
            "FAQ_SUGGEST_CACHE_SECONDS",
            300,
            (int,),
            "Seconds a list of FAQ suggestions stays in Django's cache; publishing FAQ changes "
            "starts a fresh cache at once.",
            minimum=0,
        ),
        Setting(
            "FAQ_RATE_LIMIT",
            60,
            (int,),
            "Most requests one IP address may make per minute to each public FAQ endpoint "
            '(suggestions, "suggestion opened", "Was this helpful?"); 0 turns the limit off.',
            minimum=0,
        ),
        Setting(
            "FAQ_ABANDONED_AFTER_HOURS",
            24,
            (int,),
            "A contact form on which FAQ suggestions were opened and that was not sent within "
            "this many hours counts as abandoned (deflected) in the statistics.",
        ),
        Setting(
            "INBOUND_AUTO_REPLIES",
            "drop",
            (str,),
            'Incoming auto-replies, bounces and list mail: "drop" keeps only the raw copy with '
            'status dropped; "quarantine" keeps it for an admin to look at and reprocess. Never '
            "answered either way.",
            choices=("drop", "quarantine"),
        ),
        Setting(
            "INBOUND_SOURCE",
            None,
            (str, type(None)),
            "Slug of the source that webhook mail goes to when no source's e-mail address is "
            "among its recipients; None: the only enabled e-mail source, else quarantine.",
        ),
        Setting(
            "SENT_MAIL_BODY_DAYS",
            14,
            (int, type(None)),
            "Days the text and HTML of a sent e-mail are kept; then the periodic purge empties "
            "them and keeps the row (recipients, subject, Message-ID, References, links to the "
            "ticket and message), so replies still thread. The message it carried stays in the "
            "ticket's conversation. None keeps them forever.",
            minimum=0,
        ),
        Setting(
            "SENT_MAIL_HTML_DAYS",
            7,
            (int, type(None)),
            "Days the HTML alternative of a sent e-mail is kept: it is the same text in the "
            "site's mail layout, so it goes first and the text stays for SENT_MAIL_BODY_DAYS. "
            "None keeps it as long as the text.",
            minimum=0,
        ),
        Setting(
            "INBOUND_RAW_DAYS",
            30,
            (int, type(None)),
            "Days the raw copy of an incoming e-mail is kept once it is on a ticket, a duplicate "
            "or dropped; then the periodic purge empties it and keeps the row (sender, subject, "
            "Message-ID, links to the ticket and message). Failed, quarantined and waiting mail "
            "keeps its copy for reprocessing. None keeps them forever.",
            minimum=0,
        ),
        # Recovery after a worker dies (docs/scaling.md#recovery-after-a-worker-dies): each kind
        # of background work has a periodic sweep that picks up what waited too long.
        Setting(
            "SWEEP_INBOUND_EVERY",
            300,
            (int, float),
            "Seconds between two runs of the sweep that processes stored incoming mail whose "
            "processing task never ran or was lost with a worker.",
        ),
        Setting(
            "SWEEP_INBOUND_AFTER",
            600,
            (int, float),
            "Seconds a stored incoming mail waits unprocessed before the sweep processes it.",
        ),
        Setting(
            "SWEEP_NOTIFICATIONS_EVERY",
            300,
            (int, float),
            "Seconds between two runs of the sweep that plans the notifications of ticket "
            "changes whose notification task never ran or was lost with a worker.",
        ),
        Setting(
            "SWEEP_NOTIFICATIONS_AFTER",
            600,
            (int, float),
            "Seconds a change's notifications wait unplanned before the sweep plans them.",
        ),
        Setting(
            "SWEEP_OUTBOUND_EVERY",
            300,
            (int, float),
            "Seconds between two runs of the sweep that sends queued mail whose delivery task "
            "never ran or was lost with a worker.",
        ),
        Setting(
            "SWEEP_OUTBOUND_AFTER",
            600,
            (int, float),
            "Seconds a queued mail waits unsent before the sweep delivers it.",
        ),
        Setting(
            "TRASH_DAYS",
            30,
            (int, type(None)),
            "Days a deleted ticket stays in the trash, where admins can restore it; then the "
            "periodic purge removes it for good, with its messages, history, attachments' files "
            "and raw incoming mail. None keeps the trash until an admin empties it.",
            minimum=0,
        ),
        Setting(
            "MAIL_ATTACHMENTS_MAX_SIZE",
            10 * MiB,
            (int,),
            "Most bytes of a reply's attachments sent with the e-mail that carries it, together; "
            "files past it are listed in the mail with a link to the request instead. 0 sends "
            "every file as a link.",
            minimum=0,
        ),
        Setting(
            "IMAP_BATCH",
            50,
            (int,),
            "Most messages one poll of one IMAP mailbox fetches; the rest wait for the next poll.",
        ),
    )
}


class SupportSettings:
    """Attribute access to the settings: ``support_settings.PAGE_SIZE``."""

    def __getattr__(self, name: str) -> Any:
        try:
            setting = SETTINGS[name]
        except KeyError:
            raise AttributeError(f"{PREFIX}{name} is not a wagtail-support setting") from None
        return getattr(django_settings, setting.full_name, setting.default)


support_settings = SupportSettings()
