"""A corpus of malformed and hostile e-mail: broken MIME, odd charsets, huge bodies, deep nesting,
script in HTML, header injection. Each entry is (name, raw bytes)."""

import base64
import random

HEAD = (
    b"From: Ann <ann@example.net>\r\nTo: support@example.com\r\n"
    b"Subject: %(subject)s\r\nMessage-ID: <%(id)s@corpus.example>\r\n"
)


def _head(name, subject=b"Corpus"):
    return HEAD % {b"subject": subject, b"id": name.encode()}


def _mime(name, content_type, body, extra=b"", subject=b"Corpus"):
    return (
        _head(name, subject)
        + b"MIME-Version: 1.0\r\nContent-Type: "
        + content_type
        + b"\r\n"
        + extra
        + b"\r\n"
        + body
    )


def _nested(depth, leaf=b"Content-Type: text/plain\r\n\r\ndeep\r\n"):
    body = leaf
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\r\n\r\n--'
            + boundary
            + b"\r\n"
            + body
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return body


def _rfc822_nested(depth):
    inner = b"From: x@example.net\r\nSubject: inner\r\n\r\ninnermost\r\n"
    for _ in range(depth):
        inner = (
            b"From: x@example.net\r\nSubject: fwd\r\nContent-Type: message/rfc822\r\n\r\n" + inner
        )
    return inner


def corpus():
    rng = random.Random(7)
    cases = []

    def add(name, raw):
        cases.append((name, raw))

    # --- broken MIME
    add("no-boundary", _mime("no-boundary", b"multipart/mixed", b"--x\r\nhello\r\n--x--\r\n"))
    add(
        "unterminated-boundary",
        _mime(
            "unterminated-boundary",
            b'multipart/mixed; boundary="zz"',
            b"--zz\r\nContent-Type: text/plain\r\n\r\nno end",
        ),
    )
    add(
        "boundary-never-used",
        _mime("boundary-never-used", b'multipart/alternative; boundary="q"', b"just text\r\n"),
    )
    add(
        "bad-base64",
        _mime(
            "bad-base64",
            b"text/plain; charset=utf-8",
            b"!!!not base64@@@\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
        ),
    )
    add(
        "bad-quoted-printable",
        _mime(
            "bad-quoted-printable",
            b"text/plain",
            b"=ZZ=4=\r\n=\r\n",
            b"Content-Transfer-Encoding: quoted-printable\r\n",
        ),
    )
    add(
        "unknown-transfer-encoding",
        _mime("ute", b"text/plain", b"x", b"Content-Transfer-Encoding: x-uue-what\r\n"),
    )
    add("garbage-content-type", _mime("gct", b";;;/// ===", b"body\r\n"))
    add("content-type-no-subtype", _mime("ctns", b"text", b"body\r\n"))
    add("header-without-colon", _head("hwc") + b"This is not a header\r\n\r\nbody\r\n")
    add("nul-bytes", _head("nul") + b"\r\nhello\x00world\x00\x01\x02\r\n")
    add("headers-only", _head("headers-only"))
    add("body-only", b"\r\nno headers at all, just text\r\n")
    add("random-binary", bytes(rng.randrange(256) for _ in range(20000)))
    add("truncated-header", b"From: ann@example.net\r\nSubj")
    add("cr-only-lines", _head("cr").replace(b"\r\n", b"\r") + b"\rbody\r")
    add("lf-only-lines", _head("lf").replace(b"\r\n", b"\n") + b"\nbody\n")
    add(
        "duplicate-headers",
        _head("dup")
        + b"From: eve@evil.example\r\nSubject: second\r\nMessage-ID: <dup2@x>\r\n\r\nb",
    )
    add(
        "multipart-without-parts",
        _mime("mwp", b'multipart/mixed; boundary="e"', b"--e--\r\n"),
    )
    # --- odd charsets
    add("unknown-charset", _mime("uc", b"text/plain; charset=x-no-such-charset", b"caf\xe9\r\n"))
    add("bogus-charset-name", _mime("bcn", b'text/plain; charset="utf-99"', b"\xff\xfe\r\n"))
    add(
        "cp1251",
        _mime("cp1251", b"text/plain; charset=windows-1251", "Привет, мир".encode("cp1251")),
    )
    add("koi8-r", _mime("koi8", b"text/plain; charset=koi8-r", "Здравствуйте".encode("koi8_r")))
    add("undeclared-8bit", _mime("u8", b"text/plain", "Заявка №5".encode("cp1251")))
    add(
        "invalid-utf8",
        _mime("iu8", b"text/plain; charset=utf-8", b"\xc3\x28 \xa0\xa1 \xf0\x28\x8c"),
    )
    add("utf-7", _mime("utf7", b"text/plain; charset=utf-7", b"Hi Mom -+Jjo--!"))
    add("utf-16-no-bom", _mime("u16", b"text/plain; charset=utf-16", "hello".encode("utf-16-le")))
    add(
        "iso-2022-jp",
        _mime("jp", b"text/plain; charset=iso-2022-jp", "日本語".encode("iso2022_jp")),
    )
    add("big5-broken", _mime("big5", b"text/plain; charset=big5", b"\xa4\xa4\xff\xff\xa4"))
    add(
        "encoded-word-unknown-charset",
        _head("ewuc", b"=?x-unknown?B?SGVsbG8=?=") + b"\r\nbody\r\n",
    )
    add("encoded-word-malformed", _head("ewm", b"=?utf-8?Q?broken=ZZ?= =?utf-8?B?###?=") + b"\r\nb")
    add("subject-raw-8bit", _head("s8", "Тема письма".encode("cp1251")) + b"\r\nbody\r\n")
    add("charset-with-quotes-and-spaces", _mime("cq", b'text/plain; charset=" utf-8 "', b"ok"))
    # --- huge
    ten_mb = b"A" * (10 * 1024 * 1024)
    add("10mb-text-body", _mime("10mb", b"text/plain; charset=us-ascii", ten_mb))
    add(
        "10mb-base64-attachment",
        _mime(
            "10mb-att",
            b'multipart/mixed; boundary="m"',
            b"--m\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--m\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
            b'filename="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + base64.encodebytes(ten_mb)
            + b"\r\n--m--\r\n",
        ),
    )
    add("1mb-subject", _head("1mbs", b"S" * (1024 * 1024)) + b"\r\nbody\r\n")
    add(
        "10000-headers",
        _head("10kh") + b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(10000)) + b"\r\nb",
    )
    add("huge-single-line-html", _mime("hsl", b"text/html", b"<p>" + b"x" * 3_000_000 + b"</p>"))
    # --- deep nesting
    for depth in (50, 200, 1000):
        add(f"nested-{depth}", _head(f"n{depth}") + b"MIME-Version: 1.0\r\n" + _nested(depth))
    add("rfc822-nested-60", _head("r60") + b"MIME-Version: 1.0\r\n" + _rfc822_nested(60))
    parts = b"".join(b"--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(3000))
    add("3000-parts", _mime("3000p", b'multipart/mixed; boundary="p"', parts + b"--p--\r\n"))
    # --- script in HTML
    for name, html in (
        ("script-tag", b"<p>Hi</p><script>alert(document.cookie)</script>"),
        ("javascript-link", b'<a href="javascript:alert(1)">click</a>'),
        ("onerror", b"<img src=x onerror=alert(1)>"),
        ("iframe", b'<iframe src="https://evil.example"></iframe>text'),
        ("svg-onload", b"<svg onload=alert(1)><circle/></svg>"),
        ("style-expression", b'<div style="width:expression(alert(1))">x</div><style>*{}</style>'),
        ("data-uri", b'<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'),
        ("unclosed-script", b"<p>hello<script>alert(1)"),
        ("form-phishing", b'<form action="https://evil.example"><input name=pw></form>'),
        ("meta-refresh", b'<meta http-equiv="refresh" content="0;url=https://evil.example">'),
    ):
        add(f"html-{name}", _mime(name, b"text/html; charset=utf-8", html))
    # --- header injection and hostile fields
    add(
        "subject-crlf-encoded",
        _head("sce", b"=?utf-8?b?" + base64.b64encode(b"Hi\r\nBcc: all@example.com") + b"?=")
        + b"\r\nb",
    )
    add(
        "from-name-crlf-encoded",
        b"From: =?utf-8?b?"
        + base64.b64encode(b"Ann\r\nBcc: x@y.z")
        + b"?= <ann@example.net>\r\nTo: support@example.com\r\nSubject: x\r\n\r\nb",
    )
    add(
        "filename-traversal",
        _mime(
            "ft",
            b'multipart/mixed; boundary="f"',
            b"--f\r\nContent-Type: text/plain\r\n\r\nfile\r\n--f\r\nContent-Type: text/plain\r\n"
            b'Content-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nroot\r\n'
            b"--f\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
            b"filename*=utf-8''%0D%0Aevil%00.txt\r\n\r\nx\r\n--f--\r\n",
        ),
    )
    add(
        "message-id-huge",
        HEAD.replace(b"<%(id)s@corpus.example>", b"<" + b"m" * 10000 + b"@x>") % {b"subject": b"x"}
        + b"\r\nb",
    )
    add("message-id-spaces", _head("mis").replace(b"<mis@corpus.example>", b"<a b c>") + b"\r\nb")
    add(
        "in-reply-to-10000-ids",
        _head("irt")
        + b"References: "
        + b" ".join(b"<r%d@x>" % i for i in range(10000))
        + b"\r\n\r\nb",
    )
    add(
        "to-5000-addresses",
        _head("to5k").replace(
            b"To: support@example.com",
            b"To: " + b", ".join(b"u%d@example.net" % i for i in range(5000)),
        )
        + b"\r\nb",
    )
    add("from-garbage", _head("fg").replace(b"Ann <ann@example.net>", b"<<<@@@>>>") + b"\r\nb")
    add("from-missing", _head("fm").replace(b"From: Ann <ann@example.net>\r\n", b"") + b"\r\nb")
    add(
        "from-two-addresses",
        _head("f2").replace(b"Ann <ann@example.net>", b"a@x.io, b@y.io") + b"\r\nb",
    )
    add(
        "cc-injection",
        _head("cci") + b"Cc: =?utf-8?q?x=0D=0ABcc=3A_z=40z=2Eio?= <c@example.net>\r\n\r\nb",
    )
    return cases
