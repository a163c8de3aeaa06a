"""The trash: a deleted ticket leaves every list, search, page and link; admins with
``wagtail_support.manage_trash`` list it, restore it (recorded) or remove it for good; the
periodic purge removes what has been there longer than ``WAGTAIL_SUPPORT_TRASH_DAYS``, with its
attachments' files and raw mail."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mail import deliver, raw_mail
from tests.utils import (
    PASSWORD,
    admin_login,
    event_kinds,
    make_agent,
    make_user,
    new_ticket,
    perform_action,
    reload,
    upload,
)
from wagtail_support import access, search, trash
from wagtail_support.beat import BEAT_SCHEDULE
from wagtail_support.lists import desk_tickets
from wagtail_support.models import (
    Attachment,
    EventKind,
    InboundEmail,
    Message,
    Ticket,
    TicketEvent,
)
from wagtail_support.models.attachments import attachment_storage
from wagtail_support.portal import guest
from wagtail_support.tasks import purge_trash

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent("ada", perms=("delete_ticket", "manage_trash"))


def delete(ticket, actor):
    return perform_action(ticket, "delete", actor, {"message": ""})


def test_a_deleted_ticket_is_in_no_list_search_page_or_link(client, admin):
    carol = make_user("carol")
    mine = new_ticket(customer=carol, subject="Parcel lost")
    guest_ticket = new_ticket(email="gus@example.net", subject="Parcel lost too")
    link = guest.path(guest_ticket)
    for ticket in (mine, guest_ticket):
        delete(ticket, admin)
    anna = make_agent("anna", perms=("view_all_tickets",))
    for key in ("all", "unassigned", "unread"):
        assert not desk_tickets(anna, key).exists()
    assert not search.search(access.visible_tickets(anna), "parcel").exists()
    assert guest.ticket_for(link.rstrip("/").rsplit("/", 1)[1]) is None
    assert client.get(link).status_code == 404
    client.login(username="carol", password=PASSWORD)
    assert client.get(f"/my-requests/{mine.number}/").status_code == 404
    admin_login(client, anna)
    assert client.get(reverse("support_desk:ticket", args=[mine.pk])).status_code == 404
    # The trash lists them, for those who may manage it only.
    assert set(trash.trashed_tickets(admin)) == {mine, guest_ticket}
    assert not trash.trashed_tickets(anna).exists()
    assert not access.visible_tickets(carol, as_customer=True, trashed=True).exists()


def test_restore_puts_it_back_and_the_history_has_both(client, admin):
    ticket = new_ticket(email="gus@example.net")
    delete(ticket, admin)
    admin_login(client, admin)
    page = client.get(reverse("support_trash:index")).content.decode()
    assert ticket.number in page and "ada" in page
    response = client.post(reverse("support_trash:restore", args=[ticket.pk]))
    assert response["Location"] == reverse("support_desk:ticket", args=[ticket.pk])
    restored = reload(ticket)
    assert restored.deleted_at is None and restored.deleted_by is None
    assert list(desk_tickets(admin, "all")) == [restored]
    kinds = event_kinds(restored)
    assert kinds.index(EventKind.DELETED) < kinds.index(EventKind.RESTORED)
    entry = TicketEvent.objects.get(ticket=ticket, kind=EventKind.RESTORED)
    assert entry.actor == admin and entry.data["deleted_by"]["id"] == admin.pk
    # Back in the desk, it can be worked on again.
    assert perform_action(restored, "take", admin).assignee == admin
    # Restoring what is not in the trash is a 404.
    assert client.post(reverse("support_trash:restore", args=[ticket.pk])).status_code == 404


def test_agents_without_the_permission_have_no_trash(client, admin):
    ticket = new_ticket(email="gus@example.net")
    delete(ticket, admin)
    deleter = make_agent("dan", perms=("delete_ticket",))
    admin_login(client, deleter)
    dashboard = client.get("/admin/").content.decode()
    assert reverse("support_trash:index") not in dashboard
    assert client.get(reverse("support_trash:index")).status_code in (302, 403)
    client.post(reverse("support_trash:restore", args=[ticket.pk]))
    client.post(reverse("support_trash:empty"), {"all": "1"})
    assert reload(ticket).deleted_at is not None
    admin_login(client, admin)
    assert reverse("support_trash:index") in client.get("/admin/").content.decode()


def test_emptying_removes_tickets_their_files_and_raw_mail_for_good(
    client, admin, django_capture_on_commit_callbacks
):
    kept = new_ticket(email="gus@example.net", subject="Keep me")
    result = deliver(raw_mail(subject="Bin me", text="Rubbish\n"))
    binned = result.ticket
    perform_action(binned, "note", admin, {"message": "With a file"})
    note = Message.objects.filter(ticket=binned).last()
    stored = Attachment.objects.create(
        ticket=binned, message=note, file=upload(), original_name="note.txt", size=10
    )
    name = stored.file.name
    assert attachment_storage().exists(name)
    other = new_ticket(email="ann@example.net", subject="Also binned")
    for ticket in (binned, other):
        delete(ticket, admin)
    admin_login(client, admin)
    # Nothing is removed without a choice.
    assert client.post(reverse("support_trash:empty")).status_code == 302
    assert Ticket.objects.filter(pk=binned.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("support_trash:empty"), {"tickets": [binned.pk]})
    assert not Ticket.objects.filter(pk=binned.pk).exists()
    assert not InboundEmail.objects.filter(pk=result.pk).exists()
    assert not Attachment.objects.filter(pk=stored.pk).exists()
    assert not attachment_storage().exists(name)
    assert Ticket.objects.filter(pk=other.pk).exists()
    client.post(reverse("support_trash:empty"), {"all": "1"})
    assert list(Ticket.objects.all()) == [kept]


def test_the_periodic_purge_removes_what_is_past_its_days(admin, settings):
    old, recent = new_ticket(email="a@example.net"), new_ticket(email="b@example.net")
    delete(old, admin)
    delete(recent, admin)
    now = timezone.now()
    Ticket.objects.filter(pk=old.pk).update(deleted_at=now - dt.timedelta(days=31))
    Ticket.objects.filter(pk=recent.pk).update(deleted_at=now - dt.timedelta(days=29))
    settings.WAGTAIL_SUPPORT_TRASH_DAYS = None
    assert trash.purge_expired() == 0
    settings.WAGTAIL_SUPPORT_TRASH_DAYS = 30
    assert purge_trash.apply().get() == 1
    assert list(Ticket.objects.values_list("pk", flat=True)) == [recent.pk]
    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "wagtail_support.purge_trash")
    assert entry["schedule"] == 3600.0


def test_the_purge_leaves_live_tickets_alone_whatever_it_is_given(admin):
    live = new_ticket(email="a@example.net")
    assert trash.purge(Ticket.objects.all()) == 0
    assert Ticket.objects.filter(pk=live.pk).exists()


def test_mail_to_a_trashed_tickets_number_starts_a_new_ticket(admin):
    first = deliver(raw_mail(subject="Printer on fire"))
    delete(first.ticket, admin)
    again = deliver(raw_mail(subject=f"Re: [#{first.ticket.number}] Printer on fire"))
    assert again.status == "processed"
    assert again.ticket != first.ticket and again.ticket.deleted_at is None
    assert reload(first.ticket).deleted_at is not None
