"""Following tickets and keeping track of what each agent has read. These don't change the
ticket itself, so they don't go through the engine; following still leaves a trace in the
history."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EventKind, Follow, ReadMark, TicketEvent


def follow(ticket, user):
    """Returns True when the user was not following yet."""
    try:
        with transaction.atomic():
            Follow.objects.create(ticket=ticket, user=user)
    except IntegrityError:
        return False
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.FOLLOW, actor=user)
    return True


def unfollow(ticket, user):
    deleted, _ = Follow.objects.filter(ticket=ticket, user=user).delete()
    if deleted:
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.UNFOLLOW, actor=user)
    return bool(deleted)


def followers(ticket):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(followed_support_tickets__ticket=ticket, is_active=True)


def mark_read(ticket, user, when=None):
    when = when or timezone.now()
    # One statement on every visit but the first, where update_or_create took four (a
    # transaction, a locking read, the write); the first one's insert tolerates a racing twin.
    if not ReadMark.objects.filter(ticket=ticket, user=user).update(read_at=when):
        ReadMark.objects.bulk_create(
            [ReadMark(ticket=ticket, user=user, read_at=when)],
            update_conflicts=True,
            unique_fields=["ticket", "user"],
            update_fields=["read_at"],
        )


def mark_unread(ticket, user):
    ReadMark.objects.filter(ticket=ticket, user=user).delete()


def is_unread(ticket, user):
    mark = ReadMark.objects.filter(ticket=ticket, user=user).first()
    return mark is None or (
        ticket.last_activity_at is not None and mark.read_at < ticket.last_activity_at
    )
