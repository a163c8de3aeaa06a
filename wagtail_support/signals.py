from django.dispatch import Signal

# Sent after the transaction that changed a ticket commits, with ``ticket``, ``events`` (the
# TicketEvents written, in order) and ``actor``. Notifications (mail, followers) listen here, so a
# rolled-back change never notifies anyone.
ticket_changed = Signal()
