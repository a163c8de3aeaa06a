"""The demo page tree: a HomePage as the default site's root."""

from django.db import transaction
from wagtail.models import Page, Site

from sandbox.home.models import HomePage

HOME_INTRO = (
    "<p>This is the wagtail-support sandbox: a Wagtail site with a help desk inside. "
    "Log in as a customer to follow your requests, or open the admin as an agent.</p>"
)


@transaction.atomic
def ensure_home_page():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(title="Support sandbox", slug="home-sandbox", intro=HOME_INTRO)
        )
    if not any(block.block_type == "contact_form" for block in home.body):
        home.body.append(("heading", "Write to us"))
        home.body.append(("contact_form", {"source": "website", "heading": ""}))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    replaced = site.root_page_id and site.root_page_id != home.pk
    old_root_id = site.root_page_id
    site.root_page = home
    site.site_name = "Support sandbox"
    site.save()
    if replaced:
        # Wagtail's own migration leaves a plain "Welcome" page as the site root; it is not ours
        # to keep once the sandbox's home page replaces it.
        old = Page.objects.filter(pk=old_root_id).first()
        if old is not None and old.specific_class is Page:
            old.delete()
    return home
