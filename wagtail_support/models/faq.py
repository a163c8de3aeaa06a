"""The FAQ page and its entries (R-PB1), and what visitors do with them: "Was this helpful?"
votes and suggestions opened from the contact form.

An entry is an ``Orderable`` child row of its page, not a StreamField block: it has a database id
that votes, suggestion statistics and canned answers can point at; Wagtail's search backend indexes
it as its own object, so search returns entries rather than whole pages; and only the published
version of an entry is a row, so drafts never show up in search or suggestions.
"""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from ..conf import support_settings
from .canned import CannedAnswer
from .intake import Category
from .tickets import Ticket


class FAQLayout(models.TextChoices):
    ACCORDION = "accordion", _("Accordion: questions that open to show their answer")
    LIST = "list", _("List: every question with its answer, and a table of contents")
    CARDS = "cards", _("Cards: a grid of questions with their answers")


class FAQPageMixin(RoutablePageMixin):
    """What makes a page a FAQ: grouped entries, search, JSON-LD, "Was this helpful?" votes.
    The page class must have ``layout`` and an ``entries`` child relation of FAQ entries."""

    def layout_template(self):
        return f"wagtail_support/faq/layout_{self.layout}.html"

    def get_context(self, request, *args, **kwargs):
        from ..faq import structured_data, visitors
        from ..faq.search import search_page

        context = super().get_context(request, *args, **kwargs)
        # In a preview the entries are the draft's, in memory, and new ones have no id yet.
        entries = list(self.entries.select_related("category").order_by("sort_order"))
        query = request.GET.get("q", "").strip()[:200]
        results = search_page(self, query) if query else None
        votes = visitors.votes_on(request, self)
        page_url = self.get_url(request) or ""
        voted = request.GET.get("voted", "")
        for entry in entries:
            entry.my_vote = votes.get(entry.pk)
            if entry.pk is not None:
                entry.helpful_url = page_url + self.reverse_subpage("helpful", args=[entry.pk])
            entry.is_open = voted == str(entry.pk)
        context.update(
            base_template=support_settings.PORTAL_BASE_TEMPLATE,
            entries=entries,
            groups=group_by_category(entries),
            query=query,
            results=results,
            json_ld=structured_data.faq_json_ld(self, entries, request),
        )
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("helpful/<int:entry_id>/")
    def helpful(self, request, entry_id):
        from ..faq.views import vote

        return vote(request, self, entry_id)


def group_by_category(entries):
    """[(category or None, [entries])] in the categories' order; uncategorised entries last."""
    groups = {}
    for entry in entries:
        groups.setdefault(entry.category, []).append(entry)

    def order(item):
        category = item[0]
        return (1, 0, "") if category is None else (0, category.sort_order, category.name)

    return sorted(groups.items(), key=order)


class FAQPage(FAQPageMixin, Page):
    template = "wagtail_support/pages/faq_page.html"
    intro = RichTextField(_("introduction"), blank=True)
    layout = models.CharField(
        _("look"), max_length=20, choices=FAQLayout.choices, default=FAQLayout.ACCORDION
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("layout"),
        InlinePanel("entries", label=_("Questions and answers"), heading=_("Questions")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtail_support.SupportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("FAQ page")


class FAQEntryQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self, site=None):
        """Entries of live, public FAQ pages (of ``site`` when given)."""
        pages = FAQPage.objects.live().public()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        # A list, not a subquery: every search backend can filter on a list of ids.
        return self.filter(page__in=list(pages.values_list("pk", flat=True)))

    def with_votes(self):
        return self.annotate(
            helpful_count=Count("votes", filter=Q(votes__helpful=True)),
            unhelpful_count=Count("votes", filter=Q(votes__helpful=False)),
        )


class FAQEntry(index.Indexed, Orderable):
    page = ParentalKey(FAQPage, on_delete=models.CASCADE, related_name="entries")
    question = models.CharField(_("question"), max_length=255)
    answer = RichTextField(_("answer"))
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("category"),
        help_text=_("Entries are grouped by category; the categories are the help desk's own."),
    )
    canned_answer = models.ForeignKey(
        CannedAnswer,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("published from canned answer"),
    )

    objects = FAQEntryQuerySet.as_manager()

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("category")]
    search_fields = [
        index.SearchField("question", boost=3),
        index.SearchField("answer"),
        index.AutocompleteField("question"),
        index.FilterField("page"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self):
        return self.question

    @property
    def anchor(self):
        return f"faq-{self.pk}"


class FAQVote(models.Model):
    """One visitor's answer to "Was this helpful?" on one entry; a visitor who changes their mind
    changes their vote, never adds a second one."""

    entry = models.ForeignKey(FAQEntry, on_delete=models.CASCADE, related_name="votes")
    visitor = models.CharField(max_length=64)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("FAQ vote")
        constraints = [
            models.UniqueConstraint(fields=["entry", "visitor"], name="ws_faq_vote_once")
        ]

    def __str__(self):
        return f"{self.entry_id}: {'+' if self.helpful else '-'}"


class FAQSuggestionOpen(models.Model):
    """A FAQ entry a visitor opened from the contact form's suggestions. ``form_key`` names the
    one showing of the form; if that form is sent, ``ticket`` and ``sent_at`` are filled in. An
    open whose form was never sent is a request the FAQ may have answered (deflection)."""

    entry = models.ForeignKey(
        FAQEntry, null=True, on_delete=models.SET_NULL, related_name="suggestion_opens"
    )
    question = models.CharField(max_length=255)  # kept when the entry is deleted
    form_key = models.CharField(max_length=64)
    typed = models.CharField(max_length=255, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FAQ suggestion opened")
        constraints = [
            models.UniqueConstraint(fields=["form_key", "entry"], name="ws_faq_open_once")
        ]
        indexes = [models.Index(fields=["opened_at"], name="ws_faq_open_at")]

    def __str__(self):
        return self.question
