"""The incoming-mail admin says which stored copies are what arrived and which anymail rebuilt
from an ESP's parsed fields (issue #13, items 3 and 13)."""

import pytest
from django.urls import reverse

from tests.mail import deliver, raw_mail
from tests.utils import admin_login, make_user
from wagtail_support.models import InboundEmail

pytestmark = pytest.mark.django_db


def test_the_list_and_the_inspect_page_say_whether_the_copy_is_rebuilt(client):
    admin_login(client, make_user("root", superuser=True))
    received = deliver(raw_mail(subject="As received"))
    rebuilt = deliver(raw_mail(subject="From fields"))
    InboundEmail.objects.filter(pk=rebuilt.pk).update(rebuilt=True)

    listing = client.get(reverse("support_inbound_mail:index")).content.decode()
    assert "Rebuilt" in listing
    rows = {
        subject: next(row for row in listing.split("<tr") if subject in row)
        for subject in ("From fields", "As received")
    }
    # Wagtail's boolean cell: a tick in the positive colour, or a cross.
    assert "w-text-positive-100" in rows["From fields"]
    assert "w-text-positive-100" not in rows["As received"] and "icon" in rows["As received"]

    inspect = client.get(reverse("support_inbound_mail:inspect", args=[rebuilt.pk]))
    assert "the raw copy is the message rebuilt from them" in inspect.content.decode()
    inspect = client.get(reverse("support_inbound_mail:inspect", args=[received.pk]))
    assert "the raw copy is the message as the ESP or mailbox delivered it" in (
        inspect.content.decode()
    )


def test_the_delete_view_opens_and_there_is_no_copy_view(client):
    # Found by the access matrix: "copy" was a form for new mail (500) and "delete" linked to a
    # usage view that had been removed (500).
    admin_login(client, make_user("root", superuser=True))
    mail = deliver(raw_mail(subject="Delete me"))
    assert client.get(reverse("support_inbound_mail:delete", args=[mail.pk])).status_code == 200
    assert client.get(f"/admin/support_inbound_mail/copy/{mail.pk}/").status_code == 404
