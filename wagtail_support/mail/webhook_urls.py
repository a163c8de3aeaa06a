"""anymail's webhook URLs, with inbound mail allowed a larger body than the rest of the site.

A whole e-mail with its attachments is larger than Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(2.5 MiB), but raising that setting raises it for every view: any form would then take an 8 MiB
post from anyone. Here only the inbound views read their body, under
``WAGTAIL_SUPPORT_INBOUND_WEBHOOK_MAX_SIZE``, and only after the webhook secret is checked, so a
stranger's post is refused before its body is read. Include these instead of ``anymail.urls``::

    path("anymail/", include("wagtail_support.mail.webhook_urls")),
"""

from email.parser import BytesParser
from email.policy import compat32
from email.utils import collapse_rfc2231_value
from io import BytesIO

from anymail import urls as anymail_urls
from anymail.signals import inbound
from anymail.webhooks.base import AnymailBasicAuthMixin
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import URLPattern
from django.utils.datastructures import MultiValueDict

from ..conf import support_settings

TOO_BIG = "Inbound webhook body over WAGTAIL_SUPPORT_INBOUND_WEBHOOK_MAX_SIZE."


def read_body(request, limit):
    """Reads the whole body into ``request`` (as ``request.body`` would) under ``limit`` instead
    of Django's setting, and parses a form post, which Django's parser would refuse too."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise RequestDataTooBig(TOO_BIG)
    body = request.read(limit + 1)  # a missing or understated Content-Length is no way round
    if len(body) > limit:
        raise RequestDataTooBig(TOO_BIG)
    # What HttpRequest.body leaves behind once read, so request.body and request.read() work.
    request._body = body
    request._stream = BytesIO(body)
    if request.content_type == "multipart/form-data":
        request._post, request._files = _form_data(request, body)


def _form_data(request, body):
    """POST and FILES of a multipart/form-data body, parsed by the standard library (Django's
    parser applies DATA_UPLOAD_MAX_MEMORY_SIZE to the fields, and Mailgun sends the whole
    message as one)."""
    content_type = request.META.get("CONTENT_TYPE", "").encode("latin-1")
    message = BytesParser(policy=compat32).parsebytes(
        b"Content-Type: " + content_type + b"\r\n\r\n" + body
    )
    encoding = request.encoding or "utf-8"
    post, files = QueryDict(mutable=True, encoding=encoding), MultiValueDict()
    for part in message.get_payload() if message.is_multipart() else []:
        name = _text(part.get_param("name", header="content-disposition"))
        if not name:
            continue
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is None:
            post.appendlist(name, data.decode(part.get_content_charset() or encoding, "replace"))
        else:
            upload = SimpleUploadedFile(_text(filename), data, part.get_content_type())
            files.appendlist(name, upload)
    post._mutable = False
    return post, files


def _text(value):
    """A header parameter as text: raw UTF-8 in a form post's headers (how browsers and ESPs send
    non-ASCII file names) reaches the parser as surrogate escapes."""
    if isinstance(value, tuple):  # RFC 2231
        value = collapse_rfc2231_value(value)
    if value is None:
        return None
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class LargeInboundBody:
    """Mixed into an anymail webhook view: checks the basic-auth secret (a header), then reads
    the body under the inbound limit, then runs anymail's own validators."""

    def run_validators(self, request):
        AnymailBasicAuthMixin.validate_request(self, request)
        read_body(request, support_settings.INBOUND_WEBHOOK_MAX_SIZE)
        super().run_validators(request)


def _carries_mail(view_class):
    # Mandrill's one view takes both kinds of event; its signal is chosen per event (None here).
    return getattr(view_class, "signal", None) in (inbound, None)


def _lifted(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    if not (
        isinstance(view_class, type)
        and issubclass(view_class, AnymailBasicAuthMixin)
        and _carries_mail(view_class)
    ):
        return pattern
    lifted = type(view_class.__name__, (LargeInboundBody, view_class), {"__module__": __name__})
    view = lifted.as_view(**pattern.callback.view_initkwargs)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


# The same names as anymail's own (``anymail:mailgun_inbound_webhook``), so a site that swaps the
# include keeps its reversed URLs.
app_name = anymail_urls.app_name
urlpatterns = [_lifted(pattern) for pattern in anymail_urls.urlpatterns]
