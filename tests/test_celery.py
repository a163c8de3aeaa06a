import pytest
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import EagerResult

from tests.celery_worker import running_worker
from wagtail_support.tasks import ping


@pytest.mark.broker
def test_a_real_worker_consumes_the_broker_queue():
    with running_worker():
        result = ping.delay()
        try:
            assert result.get(timeout=60) == "pong"
        except CeleryTimeout:
            pytest.fail("no worker answered within 60 s")
        # Not eager: the answer came back through the result backend from the worker process.
        assert not isinstance(result, EagerResult)


@pytest.mark.django_db
def test_every_task_returns_what_celerys_json_serialiser_takes(commit):
    """A worker stores each result through the JSON serialiser; a model row fails there, after
    the work is done (every periodic send_unattended_report did). Each task is run with work to
    do, so a list of rows would be a non-empty list."""
    from celery import current_app
    from django.utils import timezone
    from kombu.serialization import dumps

    from tests.mail import raw_mail
    from tests.utils import make_agent, make_user, new_ticket
    from tests.utils import perform_action as act
    from wagtail_support.mail import inbound
    from wagtail_support.models import NoticeKind, OutboundEmail, SlaNotice, TicketEvent

    make_user("root", superuser=True)
    with commit():
        ticket = new_ticket(email="ann@example.net")
        act(ticket, "take", make_agent("anna"))
    operation = TicketEvent.objects.filter(ticket=ticket).first().operation
    notice = SlaNotice.objects.create(
        ticket=ticket, target="first_response", kind=NoticeKind.BREACH, due_at=timezone.now()
    )
    stored = inbound.store(raw_mail(), channel="webhook")
    arguments = {
        "wagtail_support.ping": (),
        "wagtail_support.send_confirmation": (ticket.pk,),
        "wagtail_support.notify_change": (ticket.pk, str(operation)),
        "wagtail_support.deliver_email": (OutboundEmail.objects.first().pk,),
        "wagtail_support.send_stale_email": (),
        "wagtail_support.notify_pending": (),
        "wagtail_support.sla_scan": (),
        "wagtail_support.auto_close": (),
        "wagtail_support.purge_mail": (),
        "wagtail_support.purge_trash": (),
        "wagtail_support.send_sla_notice": (notice.pk,),
        "wagtail_support.send_unattended_report": ([notice.pk],),
        "wagtail_support.process_inbound": (stored.pk,),
        "wagtail_support.poll_mailboxes": (),
        "wagtail_support.poll_mailbox": (ticket.source_id,),
        "wagtail_support.requeue_inbound": (),
    }
    registered = {name for name in current_app.tasks if name.startswith("wagtail_support.")}
    assert registered == set(arguments)  # a new task gets a line here
    results = {}
    for name, args in arguments.items():
        with commit():
            results[name] = current_app.tasks[name].apply(args=args).get()
        dumps(results[name], serializer="json")  # raises EncodeError on anything else
    # The two that returned rows return their ids now.
    assert results["wagtail_support.send_sla_notice"]
    assert results["wagtail_support.send_unattended_report"]
