import pytest

from tests import services


@pytest.fixture(autouse=True)
def _needs_services(request):
    """Skips a test whose service is missing, or fails it when this run requires that service."""
    required = services.required()
    for service in services.ALL:
        if request.node.get_closest_marker(service) is None:
            continue
        reason = services.missing_reason(service)
        if reason is None:
            continue
        if service in required:
            pytest.fail(f"{reason} (this run requires '{service}': CI or {services.REQUIRE_VAR})")
        pytest.skip(reason)


from tests.browser import page  # noqa: E402, F401  (a fixture, shared by every browser test)
from tests.sla_utils import clock  # noqa: E402, F401  (a fixture: a clock tests move)


@pytest.fixture(autouse=True)
def _fresh_sla_configuration():
    """The SLA configuration is kept per process; a rolled-back test must not leave its levels
    behind for the next one."""
    from wagtail_support import access, intake_config
    from wagtail_support.sla import policy
    from wagtail_support.workflows import kept_actions

    for kept in (policy, intake_config, kept_actions, access):
        kept.forget()
    yield
    for kept in (policy, intake_config, kept_actions, access):
        kept.forget()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs a block, then what it scheduled for after the commit
    (notifications, deliveries, SLA mail)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
