"""Cached FAQ suggestions go stale whenever an entry or a FAQ page changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .search import forget_cached


def connect_faq_signals():
    from ..models import FAQEntry, FAQPage

    post_save.connect(forget_cached, sender=FAQEntry, dispatch_uid="ws_faq_entry_saved")
    post_delete.connect(forget_cached, sender=FAQEntry, dispatch_uid="ws_faq_entry_deleted")
    page_published.connect(forget_cached, sender=FAQPage, dispatch_uid="ws_faq_published")
    page_unpublished.connect(forget_cached, sender=FAQPage, dispatch_uid="ws_faq_unpublished")
    post_delete.connect(forget_cached, sender=FAQPage, dispatch_uid="ws_faq_page_deleted")
