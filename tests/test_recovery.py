"""Recovery after a worker dies (issue #13, item 12): every kind of pending work (incoming mail,
a change's notifications, outgoing mail) is picked up by a periodic sweep, and each mail still
goes out once; a real worker killed mid-task has its work done once, within a minute, by the
next one."""

import datetime as dt
import os
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bench.loadtest.mailbox import count_sends, file_stem
from tests.celery_worker import running_worker
from tests.mail import raw_mail
from tests.test_mail_exactly_once import (
    PREFORK,
    pool_processes,
    wait_until,
    waiting_for_a_lock,
    worker_env,
)
from tests.utils import make_agent, new_ticket
from tests.utils import perform_action as act
from wagtail_support import jobs, tasks
from wagtail_support.mail import inbound, pending
from wagtail_support.models import InboundEmail, OutboundEmail, Ticket, TicketEvent
from wagtail_support.models.mail import OutboundKind, OutboundStatus


def last_operation(ticket):
    return TicketEvent.objects.filter(ticket=ticket).order_by("pk").last().operation


def changed_ago(ticket, seconds):
    when = timezone.now() - dt.timedelta(seconds=seconds)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=when)


@pytest.mark.django_db
def test_a_change_whose_notification_task_was_lost_is_planned_by_the_sweep_once(commit):
    ticket = new_ticket(email="kim@example.net")  # its task waits for a commit that never comes
    assert jobs.run(tasks.notify_pending) == []  # too recent: its task may still be on its way
    changed_ago(ticket, 601)
    with commit():
        assert jobs.run(tasks.notify_pending) == [ticket.pk]
    [row] = OutboundEmail.objects.filter(ticket=ticket)
    assert row.kind == OutboundKind.CONFIRMATION and row.status == OutboundStatus.SENT
    assert jobs.run(tasks.notify_pending) == []  # nothing left to plan
    # The lost task, handed out again once the broker's visibility timeout ends, finds it done.
    with commit():
        assert jobs.run(tasks.notify_change, ticket.pk, str(last_operation(ticket))) == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_next_change_plans_an_earlier_one_whose_task_was_lost(commit):
    ticket = new_ticket(email="lea@example.net")  # the confirmation's task is lost
    created = last_operation(ticket)
    with commit():
        act(ticket, "take", make_agent("anna"))  # this change's task runs
    taken = last_operation(ticket)
    assert taken > created
    confirmation = OutboundEmail.objects.get(ticket=ticket, kind=OutboundKind.CONFIRMATION)
    assert confirmation.status == OutboundStatus.SENT
    assert Ticket.objects.get(pk=ticket.pk).notified_version == taken
    assert jobs.run(tasks.notify_change, ticket.pk, str(created)) == []


@pytest.mark.django_db
def test_an_earlier_change_that_cannot_be_planned_does_not_hold_up_the_next(
    commit, monkeypatch, caplog
):
    from wagtail_support.mail import notify

    ticket = new_ticket(email="mia@example.net")  # its task is lost, and its planning fails
    created = last_operation(ticket)
    real = notify.notify_change

    def broken_for_the_first(ticket_id, operation):
        if str(operation) == str(created):
            raise ValueError("a template nobody can render")
        return real(ticket_id, operation)

    monkeypatch.setattr(notify, "notify_change", broken_for_the_first)
    with commit():
        act(ticket, "take", make_agent("anna"))
    assert Ticket.objects.get(pk=ticket.pk).notified_version == last_operation(ticket)
    assert f"mail of change {created} of ticket {ticket.pk} not planned" in caplog.text
    # A change that fails itself is not marked planned: its task fails, the sweep tries again.
    other = new_ticket(email="ned@example.net")
    assert last_operation(other) == created  # every ticket's creation writes its version 2
    with pytest.raises(ValueError):
        pending.plan(other.pk, str(created))
    assert Ticket.objects.get(pk=other.pk).notified_version < created


@pytest.mark.django_db
def test_the_sweeps_ages_are_settings(commit, settings):
    ticket = new_ticket(email="max@example.net")
    changed_ago(ticket, 30)
    settings.WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_AFTER = 60
    assert pending.sweep(60) == [] and jobs.run(tasks.notify_pending) == []
    settings.WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_AFTER = 20
    with commit():
        assert jobs.run(tasks.notify_pending) == [ticket.pk]

    row = OutboundEmail.objects.get(ticket=ticket)
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundStatus.QUEUED, created_at=timezone.now() - dt.timedelta(seconds=30)
    )
    settings.WAGTAIL_SUPPORT_SWEEP_OUTBOUND_AFTER = 60
    assert jobs.run(tasks.send_stale_email) == []
    settings.WAGTAIL_SUPPORT_SWEEP_OUTBOUND_AFTER = 20
    assert jobs.run(tasks.send_stale_email) == [row.pk]

    stored = inbound.store(raw_mail(), channel="webhook")
    InboundEmail.objects.filter(pk=stored.pk).update(
        received_at=timezone.now() - dt.timedelta(seconds=30)
    )
    settings.WAGTAIL_SUPPORT_SWEEP_INBOUND_AFTER = 60
    assert jobs.run(tasks.requeue_inbound) == 0
    settings.WAGTAIL_SUPPORT_SWEEP_INBOUND_AFTER = 20
    assert jobs.run(tasks.requeue_inbound) == 1


@pytest.mark.django_db
def test_cron_recovers_every_kind_of_pending_work(commit, capsys):
    """``support_periodic`` used to skip the sweeps: lost work waited for celery beat forever."""
    lost_change = new_ticket(email="ned@example.net")  # its notification task is lost
    changed_ago(lost_change, 601)
    with commit():
        sent_late = new_ticket(email="ola@example.net")
    row = OutboundEmail.objects.get(ticket=sent_late)
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundStatus.QUEUED, created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    stored = inbound.store(raw_mail(), channel="webhook")  # its processing task is lost
    InboundEmail.objects.filter(pk=stored.pk).update(
        received_at=timezone.now() - dt.timedelta(minutes=11)
    )
    mail.outbox.clear()
    with commit():
        call_command("support_periodic")
    out = capsys.readouterr().out
    assert "changes notified late: 1" in out and "queued mail sent late: 1" in out
    assert "stored mail processed again: 1" in out
    stored.refresh_from_db()
    assert stored.status == "processed"
    # The lost change's confirmation, the late one, and the confirmation of the mail processed.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.net",
        "ned@example.net",
        "ola@example.net",
    ]


def sent_once(row, mail_dir):
    """``row`` is sent, and was sent once (beat's other jobs may send mail of their own)."""
    row.refresh_from_db()
    sends = count_sends(mail_dir).get(file_stem(row.email_message_id))
    return row.status == OutboundStatus.SENT and sends == 1


def kill_the_worker(worker):
    """SIGKILL to the worker and its pool processes at once, as when its machine goes away:
    nobody is left to give its messages back to the broker."""
    children = pool_processes(worker)
    os.kill(worker.pid, signal.SIGKILL)
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notification_in_flight_when_its_worker_is_killed_is_sent_once(tmp_path):
    """The worker is killed while it plans a change's notifications; its message stays with the
    broker, unacknowledged. The next worker's beat sweep (its settings short here) plans the
    change and the mail goes out. Then a worker with a short visibility timeout gets the lost
    message back, and the task finds the change planned: the mail went out once. Without the
    sweep nothing is sent within the minute (the broker keeps the message for 15 minutes by
    default); without the visibility timeout the lost task never comes back."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = worker_env(mail_dir)
    sweep = {
        **env,
        "WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_EVERY": "1",
        "WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_AFTER": "1",
    }
    beat = ("--beat", f"--schedule={tmp_path / 'beat-schedule'}")
    with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True):
        ticket = new_ticket(email="pia@example.net")  # its planning task is purged below
        with running_worker(env, pool=PREFORK) as first:
            assert jobs.run(tasks.ping).get(timeout=180) == "pong"  # the worker is up
            with transaction.atomic():
                # Queueing its mail needs a key-share lock on the ticket, which this blocks.
                Ticket.objects.select_for_update().get(pk=ticket.pk)
                lost = jobs.run(tasks.notify_change, ticket.pk, str(last_operation(ticket)))
                wait_until(waiting_for_a_lock, 60, "the task did not reach the locked row")
                kill_the_worker(first)
        with running_worker(sweep, pool=(*PREFORK, *beat)):
            # (Beat's other jobs may write mail of their own about the ticket, e.g. the SLA scan's
            # report of a ticket nobody is responsible for.)
            confirmation = OutboundEmail.objects.filter(
                ticket=ticket, kind=OutboundKind.CONFIRMATION
            )
            row = wait_until(confirmation.first, 60, "the sweep did not plan the confirmation")
            wait_until(lambda: sent_once(row, mail_dir), 60, "the mail was not sent once")
        assert not lost.ready()  # the sweep did it: the lost task is still with the broker
        with running_worker({**env, "CELERY_VISIBILITY_TIMEOUT": "5"}, pool=PREFORK):
            assert lost.get(timeout=60) == []  # handed out again: found planned
    assert sent_once(row, mail_dir)
    assert row.to == ["pia@example.net"] and confirmation.count() == 1
