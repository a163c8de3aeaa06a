"""Helpers for building help-desk data in tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail_support import intake
from wagtail_support.models import Source, Ticket, TicketEvent
from wagtail_support.models.history import entries

PASSWORD = "test-pass-phrase-7"


def perm(codename):
    return Permission.objects.get(content_type__app_label="wagtail_support", codename=codename)


def make_user(username, *, groups=(), perms=(), superuser=False, email=None):
    user = get_user_model().objects.create_user(
        username,
        email=email or f"{username}@example.com",
        password=PASSWORD,
        is_superuser=superuser,
        is_staff=superuser,
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for codename in perms:
        user.user_permissions.add(perm(codename))
    return user


def make_agent(username, *, groups=(), perms=()):
    return make_user(username, groups=groups, perms=("work_on_tickets", *perms))


def new_ticket(
    source="website",
    *,
    customer=None,
    email="",
    subject="Printer on fire",
    text="It will not stop burning.",
    **kwargs,
) -> Ticket:
    if not isinstance(source, Source):
        source = Source.objects.get(slug=source)
    return intake.receive(
        source, customer=customer, email=email, subject=subject, text=text, **kwargs
    ).ticket


def reload(ticket):
    return Ticket.objects.select_related("state", "workflow").get(pk=ticket.pk)


def event_kinds(ticket):
    """The kinds of the ticket's history, one per change (as ``history.entries`` gives them)."""
    rows = TicketEvent.objects.filter(ticket=ticket).select_related("message")
    return [event.kind for event in entries(rows)]


def upload(name="note.txt", size=10, content_type="text/plain"):
    return SimpleUploadedFile(name, b"x" * size, content_type=content_type)


def admin_login(client, user):
    """Logs ``user`` in with the right to enter the Wagtail admin."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username=user.username, password=PASSWORD)
    return client


def perform_action(ticket, slug, actor, data=None):
    """Performs the workflow action ``slug`` on ``ticket`` as ``actor``; the ticket as saved."""
    from wagtail_support.workflows.engine import perform

    action = ticket.workflow.actions.get(slug=slug)
    return reload(perform(reload(ticket), action, actor, data).ticket)


def at_once(count, work, prepare=None):
    """Runs ``work`` in ``count`` threads released together, as concurrent requests or workers
    would; ``prepare`` (optional) runs first in each thread and its result is passed to ``work``.
    Returns (results, errors). Each thread closes its own database connection."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            prepared = prepare() if prepare else None
            barrier.wait(timeout=30)
            results.append(work(prepared) if prepare else work())
        except Exception as error:  # the caller asserts on errors
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
