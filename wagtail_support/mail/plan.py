"""One operation's mails: each address reached once, the rules on notes and preferences applied
to every one of them, the queued rows delivered together at the end."""

from django.utils import translation

from .. import jobs
from ..models import MessageKind, OutboundEmail
from ..models.mail import OutboundStatus
from ..models.preferences import wants
from . import context as mail_context
from . import recipients
from .outbound import queue, stable_message_id
from .render import Content, compose


def shipped(name):
    return Content(
        subject=f"wagtail_support/mail/{name}_subject.txt",
        body=f"wagtail_support/mail/{name}.txt",
        from_files=True,
    )


class Plan:
    """The mails of one operation, each address once; queued rows are delivered at the end."""

    def __init__(self, ticket, events=(), message=None):
        self.ticket = ticket
        self.events = list(events)
        self.message = message
        self.note = message is not None and message.kind == MessageKind.NOTE
        self.actor = next((event.actor for event in self.events if event.actor_id), None)
        self.actor_email = next((e.actor_email for e in self.events if e.actor_email), "")
        self.customer_side = recipients.customer_side_addresses(ticket)
        self.reached = set()
        self.rows = []

    def is_actor(self, addressee):
        if self.actor is not None and addressee.user is not None:
            return addressee.user.pk == self.actor.pk
        return bool(self.actor_email) and addressee.key == self.actor_email.strip().lower()

    def on_customer_side(self, addressee):
        return addressee.customer_side or addressee.key in self.customer_side

    def may_receive(self, addressee, preference=None, *, carries_message=True):
        """``carries_message``: the mail would carry this operation's message; on the
        customer's side that is never allowed for an internal note, whatever the template."""
        if addressee.key in self.reached:
            return False
        if self.note and carries_message and self.on_customer_side(addressee):
            return False
        if preference and self.on_customer_side(addressee):
            return wants(addressee.user, preference)
        return True

    def send(
        self,
        kind,
        addressee,
        content,
        key,
        *,
        link_only=False,
        extra=None,
        automatic=True,
        with_message=True,
    ):
        known = OutboundEmail.objects.with_message_ids(
            stable_message_id(self.ticket, key, addressee.email)
        ).first()
        if known is not None:
            # Planned before (the task ran again): deliver what was queued, render nothing.
            return self._keep(addressee, known)
        with translation.override(addressee.language or None):
            variables = mail_context.build(
                self.ticket,
                addressee,
                message=self.message if with_message else None,
                events=self.events,
                actor=self.actor,
                link_only=link_only,
                extra=extra,
            )
        rendered = compose(self.ticket, addressee, content, variables)
        row, _ = queue(
            self.ticket,
            kind,
            addressee,
            rendered,
            key=key,
            message=self.message if with_message else None,
            automatic=automatic,
        )
        return self._keep(addressee, row)

    def _keep(self, addressee, row):
        self.reached.add(addressee.key)
        if row.status in (OutboundStatus.QUEUED, OutboundStatus.FAILED):
            self.rows.append(row)
        return row

    def deliver(self):
        from .. import tasks

        for row in self.rows:
            jobs.enqueue(tasks.deliver_email, row.pk)
        return self.rows
