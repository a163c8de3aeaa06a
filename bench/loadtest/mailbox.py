"""A mail backend that keeps one file per send, named by the Message-ID, so the load test can
count what actually left: a second send of the same Message-ID gets its own file (``.2``,
``.3``…) instead of overwriting the first, and shows up as a duplicate."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def file_stem(message_id):
    return UNSAFE.sub("_", message_id.strip().strip("<>"))


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = Path(
            getattr(settings, "LOADTEST_MAIL_DIR", None) or os.environ["LOADTEST_MAIL_DIR"]
        )
        directory.mkdir(parents=True, exist_ok=True)
        for email in email_messages:
            message = email.message()
            stem = file_stem(message["Message-ID"] or "no-message-id")
            data = message.as_bytes()
            copy = 1
            while True:
                name = directory / (stem if copy == 1 else f"{stem}~{copy}")
                try:
                    # O_EXCL: two processes sending the same Message-ID never share one file.
                    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    copy += 1
                    continue
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                break
        return len(email_messages)


def count_sends(directory):
    """``{message_id_stem: number_of_sends}`` of what the backend recorded in ``directory``."""
    sends = {}
    for path in Path(directory).iterdir():
        stem = path.name.partition("~")[0]
        sends[stem] = sends.get(stem, 0) + 1
    return sends
