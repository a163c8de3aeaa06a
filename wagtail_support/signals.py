from django.dispatch import Signal

# Sent after the transaction that changed a ticket commits, with ``ticket``, ``events`` (the
# TicketEvents written, in order) and ``actor``. Notifications (mail, followers) listen here, so a
# rolled-back change never notifies anyone.
ticket_changed = Signal()

# Sent after commit when files of an incoming e-mail were over the attachment limits and left
# out, with ``inbound`` (InboundEmail), ``message`` (the ticket message) and ``files`` (name, size,
# reason each). Agents get an internal note; outbound mail listens here to tell the customer.
attachments_left_out = Signal()
