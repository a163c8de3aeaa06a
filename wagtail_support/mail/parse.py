"""Reading an e-mail from its raw bytes, defensively: broken MIME, unknown charsets, hostile
headers and huge bodies give a best-effort result and a list of problems, never an exception.

The standard library's ``compat32`` policy is used on purpose: it is the most forgiving parser
(the modern policy raises on some malformed headers when they are read), and every header and
part is decoded here by hand, each step guarded.
"""

import base64
import codecs
import email
import email.header
import email.message
import email.utils
import hashlib
import html as html_module
import re
from dataclasses import dataclass, field
from email import policy

from .headers import message_ids, normalize_message_id

# Enough for any real message; a bigger body is cut for display (the raw copy keeps all of it).
MAX_TEXT_CHARS = 500_000
MAX_HTML_CHARS = 1_000_000
# Hostile mail nests multiparts thousands deep or holds thousands of parts.
MAX_DEPTH = 30
MAX_PARTS = 500

_SURROGATE = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ParsedAttachment:
    name: str
    content_type: str
    data: bytes

    @property
    def size(self):
        return len(self.data)


@dataclass
class ParsedEmail:
    message_id: str = ""
    from_email: str = ""
    from_name: str = ""
    to: list = field(default_factory=list)
    cc: list = field(default_factory=list)
    delivered_to: list = field(default_factory=list)
    reply_to: list = field(default_factory=list)
    subject: str = ""
    in_reply_to: list = field(default_factory=list)
    references: list = field(default_factory=list)
    content_type: str = ""
    text: str = ""
    html: str = ""
    attachments: list = field(default_factory=list)
    part_types: set = field(default_factory=set)  # every part's content type, nested ones too
    headers: dict = field(default_factory=dict)  # lowercase name -> list of decoded values
    problems: list = field(default_factory=list)

    def header(self, name):
        """The first value of header ``name`` (any case), or None when it is absent."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def recipients(self):
        return [*self.to, *self.cc, *self.delivered_to]


def parse(raw):
    """A ParsedEmail from raw bytes (or str). Never raises on bad input."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    parsed = ParsedEmail()
    try:
        message = email.message_from_bytes(bytes(raw), policy=policy.compat32)
    except Exception as exc:  # the parser is lenient; this is a last resort
        parsed.problems.append(f"unparseable: {exc!r}")
        parsed.text = _decode_bytes(bytes(raw)[:MAX_TEXT_CHARS], None)
        return parsed
    parsed.problems.extend(repr(defect) for defect in getattr(message, "defects", [])[:20])
    _read_headers(message, parsed)
    _read_body(message, parsed)
    return parsed


def synthetic_message_id(raw):
    """For mail without a Message-ID: the same bytes delivered twice still make one message."""
    return f"sha256-{hashlib.sha256(bytes(raw)).hexdigest()[:40]}@no-message-id.invalid"


def decode_header(value):
    """A header's value as text: encoded words decoded, folding and control characters removed
    (a newline in a decoded header is how header injection gets into outgoing mail)."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    if _SURROGATE.search(text):
        # Raw 8-bit bytes in a header (no encoded words): the parser kept them as surrogates.
        text = _decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    try:
        pieces = []
        for chunk, charset in email.header.decode_header(text):
            if isinstance(chunk, bytes):
                pieces.append(_decode_bytes(chunk, charset))
            else:
                pieces.append(chunk)
        text = "".join(pieces)
    except Exception:
        pass
    return " ".join(_CONTROL.sub("", text).split())


_ADDRESS_HEADERS = {"from", "to", "cc", "reply-to", "delivered-to", "x-original-to", "envelope-to"}


def _read_headers(message, parsed):
    raw_addresses = {}
    for name, value in message.raw_items() if hasattr(message, "raw_items") else message.items():
        key = str(name).lower()
        try:
            parsed.headers.setdefault(key, []).append(decode_header(value))
            if key in _ADDRESS_HEADERS:
                raw_addresses.setdefault(key, []).append(_raw_text(value))
        except Exception as exc:
            parsed.problems.append(f"header {name!r}: {exc!r}")
    parsed.message_id = normalize_message_id(_single_id(parsed.header("message-id")))
    parsed.subject = parsed.header("subject") or ""
    parsed.in_reply_to = message_ids(parsed.header("in-reply-to"))
    parsed.references = message_ids(" ".join(parsed.headers.get("references", [])))
    senders = _addresses(raw_addresses.get("from", []))
    if senders:
        parsed.from_name, parsed.from_email = senders[0]
    parsed.to = [address for _name, address in _addresses(raw_addresses.get("to", []))]
    parsed.cc = [address for _name, address in _addresses(raw_addresses.get("cc", []))]
    parsed.reply_to = [a for _n, a in _addresses(raw_addresses.get("reply-to", []))]
    parsed.delivered_to = [
        address
        for header in ("delivered-to", "x-original-to", "envelope-to")
        for _name, address in _addresses(raw_addresses.get(header, []))
    ]
    try:
        parsed.content_type = message.get_content_type()
    except Exception:
        parsed.content_type = "text/plain"


def _single_id(value):
    found = re.search(r"<[^<>\s]+>", value or "")
    if found:
        return found.group(0)
    value = (value or "").strip()
    return value if value and " " not in value else ""


# The header registry's parser costs about a millisecond per kilobyte, more for hostile text: it
# is fed at most this many characters of each address header (all its copies together). Plain
# lists, read without it, may be longer: thousands of recipients.
MAX_ADDRESS_HEADER = 10_000
MAX_PLAIN_HEADER = 200_000
_BAD_LOCAL = re.compile(r'[\s<>()\[\],;:"@\\\x00-\x1f\x7f]')
_ASCII_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def _raw_text(value):
    """A header's value as it came, encoded words left encoded: raw 8-bit bytes (kept by the
    parser as surrogates) decoded, which UTF-8 addresses (RFC 6531) arrive as."""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value or "")
    if _SURROGATE.search(text):
        text = _decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    return _FOLD.sub("", text)


_FOLD = re.compile(r"\r?\n(?=[ \t])")


def normalize_address(address):
    """``address`` lowercased when it is one plain mailbox (an internationalised one included:
    a Unicode local part and domain, RFC 6531), else ''. Nothing is decoded here: an encoded
    word is never an address."""
    local, at, domain = (address or "").strip().rpartition("@")
    return _valid_address(local, domain) if at else ""


def _valid_address(local, domain):
    domain = (domain or "").strip().rstrip(".").lower()
    local = (local or "").lower()
    if not local or not domain or _BAD_LOCAL.search(local) or "=?" in local:
        return ""
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return ""
    if not _ASCII_DOMAIN.match(ascii_domain):
        return ""
    address = f"{local}@{domain}"
    return address if len(address) <= 254 else ""


def _addresses(values):
    """(name, address) pairs of the valid addresses in raw header ``values``, addresses
    lowercased. The address is parsed from the value as it came, and only then is the display
    name decoded: decoding first lets an encoded word such as ``=?utf-8?Q?ann@customer.example?=``
    in the display name pass for the address (a spoofed sender)."""
    found = []
    room = MAX_ADDRESS_HEADER
    for value in values:
        triples = _simple_mailboxes(value[:MAX_PLAIN_HEADER])
        if triples is None:
            if room <= 0:
                continue
            if len(value) > room:  # cut after the last whole address that fits
                value = value[:room].rpartition(",")[0] or value[:room]
            room -= len(value) + 1
            triples = _mailboxes(value)
        for name, local, domain in triples:
            address = _valid_address(local, domain)
            if address:
                found.append((_clean_name(name), address))
    return found


# Most address headers are plain: "Name <address>" or "address", comma-separated, with no encoded
# word, quote, comment, group or escape. There the commas and angle brackets alone say where each
# address is, as the header registry would, at a twentieth of its cost.
_NOT_PLAIN = re.compile(r'=\?|["()\\:;\[\]\x00-\x08\x0a-\x1f]')
_PLAIN = re.compile(r"^\s*(?:([^<>@]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$")


def _simple_mailboxes(text):
    """(display name, local part, domain) triples of a plain value, or None for any other."""
    if _NOT_PLAIN.search(text):
        return None
    triples = []
    for piece in text.split(","):
        if not piece.strip():
            continue
        match = _PLAIN.match(piece)
        if match is None:
            return None
        name, address = (match.group(1), match.group(2)) if match.group(2) else ("", match[3])
        local, at, domain = address.rpartition("@")
        if not at:
            return None
        triples.append((name, local, domain))
    return triples


def sender_summary(value):
    """What a list shows as the sender of a stored message before it is processed: the From
    address, else the header as it came (encoded words left encoded: decoded, one could show an
    address that is not the sender's)."""
    try:
        senders = _addresses([_raw_text(value)])
    except Exception:
        senders = []
    if senders:
        return senders[0][1]
    return " ".join(_CONTROL.sub(" ", _raw_text(value)).split())[:254]


def _mailboxes(text):
    """(display name, local part, domain) triples by the standard library's header registry,
    which decodes the display name only after it has found the address. It refuses a display
    name holding an encoded CR or LF: such words are then re-encoded without their control
    characters and the value parsed again, still encoded."""
    for attempt in (text, _ENCODED_WORD.sub(_without_controls, text)):
        try:
            header = policy.default.header_factory("from", attempt)
            return [(a.display_name, a.username, a.domain) for a in header.addresses]
        except Exception:
            continue
    return []


_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _without_controls(match):
    text = decode_header(match.group(0)) or " "
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def _clean_name(name):
    return " ".join(_CONTROL.sub(" ", str(name or "")).split())[:150]


def _decode_bytes(data, charset):
    """Text from bytes in a declared (possibly bogus) charset: the declared one when Python knows
    it, else UTF-8, else Windows-1252, which maps every byte; never an exception."""
    if charset:
        charset = str(charset).strip().strip('"').lower()
        try:
            codecs.lookup(charset)
        except (LookupError, ValueError, TypeError):
            charset = None
    if charset:
        try:
            return data.decode(charset, "replace")
        except Exception:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(_guess_8bit(data), "replace")


def _guess_8bit(data):
    """Undeclared 8-bit text: mostly high bytes means a Cyrillic letter per byte (Windows-1251,
    the common legacy Russian charset); a few among ASCII letters means accented Latin."""
    sample = data[:20000]
    high = sum(1 for byte in sample if byte >= 0xC0)
    letters = high + sum(1 for byte in sample if 0x41 <= byte <= 0x7A)
    return "cp1251" if letters and high / letters > 0.4 else "cp1252"


def _walk(message, parsed):
    """Leaf parts, depth first, with nesting and count limits, without recursion."""
    stack = [(message, 0)]
    count = 0
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > MAX_PARTS:
            parsed.problems.append("too many parts")
            return
        try:
            parsed.part_types.add(part.get_content_type())
            payload = part.get_payload()
        except Exception as exc:
            parsed.problems.append(f"part: {exc!r}")
            continue
        if part.is_multipart() and isinstance(payload, list):
            if depth >= MAX_DEPTH:
                parsed.problems.append("nested too deep")
                continue
            stack.extend((child, depth + 1) for child in reversed(payload))
        else:
            yield part


def _filename(part):
    try:
        name = _with_raw_headers(part).get_filename()
    except Exception:
        name = None
    if name is None:
        return None
    name = decode_header(name)
    # Only the last path component, and nothing a file system or a header could trip on.
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r'[\x00-\x1f<>:"|?*]', "_", name).strip(" .")
    return name[:200] or "attachment"


def _with_raw_headers(part):
    """A stand-in for ``part`` whose Content-Disposition and Content-Type are decoded from raw
    8-bit bytes: the parser turns an undeclared UTF-8 file name (``filename="Отчёт.pdf"``, as
    many mail clients send it) into replacement characters."""
    raw = {}
    for name, value in part.raw_items():
        key = str(name).lower()
        if key in ("content-disposition", "content-type") and key not in raw:
            raw[key] = value
    if not any(_SURROGATE.search(str(value)) for value in raw.values()):
        return part
    stand_in = email.message.Message()
    for key, value in raw.items():
        stand_in[key] = _raw_text(value)
    return stand_in


def _read_body(message, parsed):
    texts, htmls = [], []
    for part in _walk(message, parsed):
        try:
            content_type = part.get_content_type()
        except Exception:
            content_type = "application/octet-stream"
        disposition = str(part.get("Content-Disposition", "") or "").split(";")[0].strip().lower()
        name = _filename(part)
        try:
            data = part.get_payload(decode=True)
        except Exception as exc:
            parsed.problems.append(f"payload: {exc!r}")
            data = None
        if data is None:
            payload = part.get_payload()
            data = payload.encode("utf-8", "replace") if isinstance(payload, str) else b""
        is_body = (
            content_type in ("text/plain", "text/html")
            and disposition != "attachment"
            and name is None
        )
        if is_body:
            try:
                charset = part.get_content_charset()
            except Exception:
                charset = None
            text = _decode_bytes(data, charset)
            (htmls if content_type == "text/html" else texts).append(text)
        elif content_type == "message/rfc822" or content_type.startswith("multipart/"):
            # A forwarded message: kept whole, as a file the agent can open.
            parsed.attachments.append(
                ParsedAttachment(name or "message.eml", "message/rfc822", data)
            )
        else:
            parsed.attachments.append(
                ParsedAttachment(name or "attachment", content_type[:100], data)
            )
    parsed.text = _CONTROL.sub("", "\n\n".join(texts))[:MAX_TEXT_CHARS]
    parsed.html = "\n".join(htmls)[:MAX_HTML_CHARS]
    if not parsed.text.strip() and parsed.html:
        parsed.text = html_to_text(parsed.html)[:MAX_TEXT_CHARS]


_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/tr|/h[1-6]|/blockquote)\s*>")
_DROP = re.compile(r"(?is)<(script|style|head)\b.*?</\1\s*>")
_TAG = re.compile(r"<[^>]*>")


def html_to_text(html):
    """Readable text of an HTML body: scripts and styles dropped, block ends as line breaks."""
    text = _DROP.sub("", html or "")
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    text = html_module.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _CONTROL.sub("", re.sub(r"\n{3,}", "\n\n", "\n".join(lines))).strip()
