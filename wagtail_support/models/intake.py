from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField

from ..workflows.models import Workflow


class Category(models.Model):
    """What a request is about ("order", "payment", "installation errors"); chosen by the customer
    where public, changed by agents."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    public = models.BooleanField(
        _("customers may choose it"), default=True, help_text=_("Off: only agents set it.")
    )
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    WEB_FORM = "web", _("Website form")
    EMAIL = "email", _("E-mail")
    MANUAL = "manual", _("Phone or walk-in (entered by an agent)")
    API = "api", _("API")


class Source(ClusterableModel):
    """A stream of requests (a site's contact form, a mailbox, the phone line), each with its own
    workflow and numbering."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Blank: every site."),
    )
    workflow = models.ForeignKey(
        Workflow, on_delete=models.PROTECT, related_name="sources", verbose_name=_("workflow")
    )
    number_prefix = models.CharField(
        _("ticket number prefix"),
        max_length=10,
        default="",
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]*$", _("Use letters, digits and hyphens."))],
        help_text=_("Sources that share a prefix share one sequence of numbers."),
    )
    default_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default assignee"),
    )
    default_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default group"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    preamble = RichTextField(
        _("preamble"),
        blank=True,
        help_text=_("Shown above the form: rules, support hours, expected response time."),
    )
    schedule = models.ForeignKey(
        "wagtail_support.SupportSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("support hours shown with the form"),
        help_text=_("The schedule's hours and whether support is open now, above the form."),
    )
    success_message = models.CharField(
        _("message after sending"),
        max_length=255,
        blank=True,
        help_text=_("Blank: “Thank you. Your request number is …”"),
    )

    # E-mail sources: the address customers write to, and optionally a mailbox to poll.
    email_address = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_(
            "Mail an ESP's inbound webhook delivers to this address (plus-addressed variants "
            "included) becomes requests in this source."
        ),
    )
    imap_host = models.CharField(
        _("IMAP server"), max_length=255, blank=True, help_text=_("Blank: no mailbox is polled.")
    )
    imap_port = models.PositiveIntegerField(
        _("IMAP port"), null=True, blank=True, help_text=_("Blank: 993 with TLS, 143 without.")
    )
    imap_ssl = models.BooleanField(_("IMAP over TLS"), default=True)
    imap_username = models.CharField(_("IMAP user name"), max_length=255, blank=True)
    imap_password_env = models.CharField(
        _("environment variable with the IMAP password"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z_][A-Za-z0-9_]*$", _("A variable name."))],
        help_text=_("The password itself is never stored in the database."),
    )
    imap_folder = models.CharField(
        _("IMAP folder"), max_length=255, blank=True, help_text=_("Blank: INBOX.")
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self):
        return self.name
