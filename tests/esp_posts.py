"""One message posted to anymail's inbound webhooks the way each ESP posts it: as the original
MIME where the ESP sends that, else as the ESP's parsed fields derived from the same message.
Shared by the webhook security tests (attachment bytes, stored raw copies, flattened reports)."""

import base64
import email
import hashlib
import hmac
import json
import re
import time
import warnings
from email import policy
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

SECRET = "hook:s3cret-Hook-Pass"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
MAILGUN_KEY = "mailgun-signing-key"
MAILERSEND_SECRET = "mailersend-inbound-secret"
MANDRILL_KEY = "mandrill-webhook-key"
MANDRILL_URL = "https://desk.example.com/anymail/mandrill/"


def _postal_keys():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    body = "".join(public.decode().strip().splitlines()[1:-1])
    return private, body


POSTAL_PRIVATE, POSTAL_PUBLIC = _postal_keys()

ANYMAIL = {
    "WEBHOOK_SECRET": SECRET,
    "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
    "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": False,
    "MAILERSEND_INBOUND_SECRET": MAILERSEND_SECRET,
    "MANDRILL_WEBHOOK_KEY": MANDRILL_KEY,
    "MANDRILL_WEBHOOK_URL": MANDRILL_URL,
    "POSTAL_WEBHOOK_KEY": POSTAL_PUBLIC,
    "BREVO_API_KEY": "brevo-api-key",
}


def _post(client, url, data, content_type=None, **extra):
    """Posts as an ESP does; the test's transaction never commits, so what the pipeline
    schedules for after the commit runs at the end of the request."""
    kwargs = {"content_type": content_type} if content_type else {}
    with TestCase.captureOnCommitCallbacks(execute=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anymail 15 deprecates SendGrid with a warning
        return client.post(url, data, **kwargs, **{**AUTH, **extra})


def _json(client, url, payload, **extra):
    return _post(client, url, json.dumps(payload), "application/json", **extra)


def _mailgun_signature():
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(
        MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature}


class Parts:
    """The parsed fields an ESP derives from a message: headers, bodies, attachments."""

    def __init__(self, raw):
        classic = email.message_from_bytes(raw, policy=policy.compat32)
        skip = {"content-type", "mime-version", "content-transfer-encoding"}
        # ESPs hand over unfolded header values.
        self.headers = [
            (k, re.sub(r"\r?\n(?=[ \t])", "", str(v)))
            for k, v in classic.items()
            if k.lower() not in skip
        ]
        modern = email.message_from_bytes(raw, policy=policy.default)
        self.subject = str(modern.get("Subject", ""))
        self.sender = str(modern.get("From", ""))
        self.to = str(modern.get("To", ""))
        body = modern.get_body(("plain",))
        self.text = body.get_content() if body is not None else ""
        html = modern.get_body(("html",))
        self.html = html.get_content() if html is not None else ""
        self.attachments = []  # (name, content type, bytes)
        for part in modern.iter_attachments() if modern.is_multipart() else ():
            payload = part.get_payload(decode=True)
            if payload is None:  # message/*: its MIME source
                payload = b"\r\n".join(p.as_bytes() for p in part.get_payload())
            self.attachments.append((part.get_filename() or "", part.get_content_type(), payload))

    def header_dict(self):
        found = {}
        for name, value in self.headers:
            found.setdefault(name, []).append(value)
        return {name: v[0] if len(v) == 1 else v for name, v in found.items()}


def mailgun_raw(client, raw):
    return _post(
        client,
        "/anymail/mailgun/inbound/",
        {"body-mime": raw.decode(), "recipient": "support@example.com", **_mailgun_signature()},
    )


def mailgun_parsed(client, raw):
    parts = Parts(raw)
    files = {
        f"attachment-{n}": SimpleUploadedFile(name or "file", data, content_type)
        for n, (name, content_type, data) in enumerate(parts.attachments, start=1)
    }
    return _post(
        client,
        "/anymail/mailgun/inbound/",
        {
            "recipient": "support@example.com",
            "sender": "ann@example.net",
            "from": parts.sender,
            "subject": parts.subject,
            "body-plain": parts.text,
            "message-headers": json.dumps(parts.headers),
            "attachment-count": str(len(files)),
            **files,
            **_mailgun_signature(),
        },
    )


def sendgrid_raw(client, raw):
    envelope = json.dumps({"to": ["support@example.com"], "from": "ann@example.net"})
    return _post(
        client, "/anymail/sendgrid/inbound/", {"email": raw.decode(), "envelope": envelope}
    )


def sendgrid_parsed(client, raw):
    parts = Parts(raw)
    files = {
        f"attachment{n}": SimpleUploadedFile(name or "file", data, content_type)
        for n, (name, content_type, data) in enumerate(parts.attachments, start=1)
    }
    info = {key: {"filename": file.name, "type": file.content_type} for key, file in files.items()}
    return _post(
        client,
        "/anymail/sendgrid/inbound/",
        {
            "headers": "".join(f"{name}: {value}\n" for name, value in parts.headers),
            "from": parts.sender,
            "to": parts.to,
            "subject": parts.subject,
            "text": parts.text,
            "charsets": json.dumps({"text": "utf-8", "subject": "utf-8"}),
            "attachments": str(len(files)),
            "attachment-info": json.dumps(info),
            **files,
        },
    )


def _postmark_fields(parts):
    return {
        "FromFull": {"Email": "ann@example.net", "Name": "", "MailboxHash": ""},
        "From": parts.sender,
        "ToFull": [{"Email": "support@example.com", "Name": "", "MailboxHash": ""}],
        "OriginalRecipient": "support@example.com",
        "Subject": parts.subject,
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "TextBody": parts.text,
        # Postmark gives From, To, Cc, Subject, Date and Reply-To as fields of their own.
        "Headers": [
            {"Name": n, "Value": v}
            for n, v in parts.headers
            if n.lower() not in {"from", "to", "cc", "subject", "date", "reply-to"}
        ],
        "Attachments": [
            {
                "Name": name,
                "Content": base64.b64encode(data).decode(),
                "ContentType": content_type,
                "ContentLength": len(data),
            }
            for name, content_type, data in parts.attachments
        ],
    }


def postmark_raw(client, raw):
    payload = {**_postmark_fields(Parts(raw)), "RawEmail": raw.decode()}
    return _json(client, "/anymail/postmark/inbound/", payload)


def postmark_parsed(client, raw):
    return _json(client, "/anymail/postmark/inbound/", _postmark_fields(Parts(raw)))


def amazon_ses(client, raw):
    ses_event = {
        "notificationType": "Received",
        "mail": {"timestamp": "2026-04-05T14:59:01.000Z", "source": "ann@example.net",
                 "messageId": "jpk1h3v9s0ses", "destination": ["support@example.com"]},
        "receipt": {
            "timestamp": "2026-04-05T14:59:01.000Z",
            "recipients": ["support@example.com"],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "action": {"type": "SNS", "topicArn": "arn:aws:sns:us-east-1:1:inbound",
                       "encoding": "BASE64"},
        },
        "content": base64.b64encode(raw).decode(),
    }  # fmt: skip
    sns = {
        "Type": "Notification",
        "MessageId": "8a9e4bb2-sns-message",
        "TopicArn": "arn:aws:sns:us-east-1:1:inbound",
        "Message": json.dumps(ses_event),
        "Timestamp": "2026-04-05T14:59:01.500Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert.pem",
    }
    return _post(
        client,
        "/anymail/amazon_ses/inbound/",
        json.dumps(sns),
        "text/plain; charset=UTF-8",
        HTTP_X_AMZ_SNS_MESSAGE_TYPE="Notification",
        HTTP_X_AMZ_SNS_MESSAGE_ID="8a9e4bb2-sns-message",
        HTTP_X_AMZ_SNS_TOPIC_ARN="arn:aws:sns:us-east-1:1:inbound",
    )


def mailjet(client, raw):
    parts = Parts(raw)
    payload = {
        "Sender": "ann@example.net",
        "Recipient": "support@example.com",
        "From": parts.sender,
        "Subject": parts.subject,
        "Headers": parts.header_dict(),
        "Text-part": parts.text,
        "Parts": [],
        "SpamAssassinScore": "0.0",
    }
    for n, (name, content_type, data) in enumerate(parts.attachments, start=1):
        disposition = f'attachment; filename="{name}"' if name else "attachment"
        payload["Parts"].append(
            {
                "Headers": {"Content-Type": content_type, "Content-Disposition": disposition},
                "ContentRef": f"Attachment{n}",
            }
        )
        payload[f"Attachment{n}"] = base64.b64encode(data).decode()
    return _json(client, "/anymail/mailjet/inbound/", payload)


def brevo(client, raw):
    parts = Parts(raw)
    files = {f"token{n}": item for n, item in enumerate(parts.attachments)}
    item = {
        "Uuid": ["b0e8f2e4-brevo"],
        "Headers": parts.header_dict(),
        "RawTextBody": parts.text,
        "Attachments": [
            {"Name": name, "ContentType": content_type, "ContentLength": len(data),
             "DownloadToken": token}
            for token, (name, content_type, data) in files.items()
        ],
    }  # fmt: skip

    def download(url, headers=None, **kwargs):
        _name, content_type, data = files[url.rstrip("/").rsplit("/", 1)[-1]]
        response = mock.Mock(content=data, headers={"Content-Type": content_type})
        response.raise_for_status = lambda: None
        return response

    with mock.patch("anymail.webhooks.brevo.requests.get", download):
        return _json(client, "/anymail/brevo/inbound/", {"items": [item]})


def sparkpost(client, raw):
    relay = {
        "content": {"email_rfc822": base64.b64encode(raw).decode(), "email_rfc822_is_base64": True,
                    "headers": [], "html": "", "subject": "", "text": "", "to": []},
        "customer_id": "1",
        "friendly_from": "ann@example.net",
        "msg_from": "ann@example.net",
        "rcpt_to": "support@example.com",
        "webhook_id": "1",
        "protocol": "smtp",
    }  # fmt: skip
    return _json(client, "/anymail/sparkpost/inbound/", [{"msys": {"relay_message": relay}}])


def mailersend(client, raw):
    payload = {
        "type": "inbound.message",
        "created_at": "2026-04-05T14:59:01.000000Z",
        "data": {
            "object": "message",
            "id": "6601a5a1",
            "created_at": "2026-04-05T14:59:01.000000Z",
            "raw": raw.decode(),
            "sender": {"email": "ann@example.net"},
            "recipients": {"rcptTo": [{"email": "support@example.com"}]},
        },
    }
    body = json.dumps(payload).encode()
    signature = hmac.new(MAILERSEND_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return _post(
        client, "/anymail/mailersend/inbound/", body, "application/json", HTTP_SIGNATURE=signature
    )


def postal(client, raw):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    payload = {
        "id": 1,
        "rcpt_to": "support@example.com",
        "mail_from": "ann@example.net",
        "message": base64.b64encode(raw).decode(),
        "base64": True,
        "size": len(raw),
    }
    body = json.dumps(payload).encode()
    signature = POSTAL_PRIVATE.sign(body, padding.PKCS1v15(), hashes.SHA1())
    return _post(
        client,
        "/anymail/postal/inbound/",
        body,
        "application/json",
        HTTP_X_POSTAL_SIGNATURE=base64.b64encode(signature).decode(),
    )


def mandrill(client, raw):
    events = json.dumps(
        [{"event": "inbound", "ts": int(time.time()),
          "msg": {"raw_msg": raw.decode(), "email": "support@example.com"}}]
    )  # fmt: skip
    signed = MANDRILL_URL + "mandrill_events" + events
    signature = base64.b64encode(
        hmac.new(MANDRILL_KEY.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()
    return _post(
        client,
        "/anymail/mandrill/",
        {"mandrill_events": events},
        HTTP_X_MANDRILL_SIGNATURE=signature,
    )


# ESPs that post the original message, and those that post parsed fields only.
ORIGINAL = {
    "mailgun_raw": mailgun_raw,
    "sendgrid_raw": sendgrid_raw,
    "postmark_raw": postmark_raw,
    "amazon_ses": amazon_ses,
    "sparkpost": sparkpost,
    "mailersend": mailersend,
    "postal": postal,
    "mandrill": mandrill,
}
PARSED = {
    "mailgun_parsed": mailgun_parsed,
    "sendgrid_parsed": sendgrid_parsed,
    "postmark_parsed": postmark_parsed,
    "mailjet": mailjet,
    "brevo": brevo,
}
