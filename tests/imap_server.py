"""A private Dovecot IMAP server on loopback for the poller's tests: its own configuration, runtime
directory and maildir in a temporary folder, stopped by its master PID afterwards."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
first_valid_uid = 1
default_login_user = dovenull
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def dovecot_binary():
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_dovecot(user="desk", password="imap-test-pass"):
    """Yields (host, port, user, password) of a running server with one empty mailbox."""
    root = Path(tempfile.mkdtemp(prefix="ws-dovecot-"))
    root.chmod(0o755)
    port = _free_port()
    dovecot = pwd.getpwnam("dovecot")
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, dovecot.pw_uid, dovecot.pw_gid)
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    (root / "passwd").chmod(0o644)
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port))
    # The master daemonises; its output goes to a file, because a pipe would stay open (held
    # by the daemon) and block the test.
    with open(root / "start.log", "wb") as log:
        subprocess.run([dovecot_binary(), "-c", str(config)], check=True, stdout=log, stderr=log)
    pid_file = root / "run" / "master.pid"
    try:
        _wait_for(port, root)
        yield "127.0.0.1", port, user, password
    finally:
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port, root):
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    log = "".join(
        (root / name).read_text() for name in ("start.log", "dovecot.log") if (root / name).exists()
    )
    raise RuntimeError(f"dovecot did not start on port {port}:\n{log}")
