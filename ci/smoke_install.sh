#!/usr/bin/env bash
# Installs the built wheel into a brand-new project made by `wagtail start`, adds the app exactly as
# the README's "Install into your Wagtail site" says, and runs migrate and check there.
# Usage: ci/smoke_install.sh PYTHON WHEEL [CONSTRAINTS]
set -euo pipefail
python=$1
wheel=$(realpath "$2")
constraints=${3:+$(realpath "$3")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --disable-pip-version-check -q \
    ${constraints:+-c "$constraints"} "$wheel"
cd "$work"
"$work/venv/bin/wagtail" start smokesite >/dev/null
cd smokesite
cat >> smokesite/settings/base.py <<'PY'

# Added as README.md's "Install into your Wagtail site" says.
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail_support"]
STORAGES = {
    **STORAGES,
    "support_attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BASE_DIR / "private-media", "base_url": None},
    },
}
WAGTAIL_SUPPORT_ATTACHMENT_STORAGE = "support_attachments"
PY
cat >> smokesite/urls.py <<'PY'

# Added as README.md says: My requests before Wagtail's catch-all route.
urlpatterns.insert(0, path("my-requests/", include("wagtail_support.urls")))
PY
"$work/venv/bin/python" manage.py migrate --noinput >/dev/null
"$work/venv/bin/python" manage.py check --fail-level WARNING
# The shipped migrations must match the models in this fresh project too.
"$work/venv/bin/python" manage.py makemigrations --check --dry-run wagtail_support
"$work/venv/bin/python" -c "
import os, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'smokesite.settings.dev')
django.setup()
from django.urls import reverse
assert reverse('wagtail_support_portal:list') == '/my-requests/'
"
echo "smoke install: OK ($(basename "$wheel") in a fresh 'wagtail start' project)"
