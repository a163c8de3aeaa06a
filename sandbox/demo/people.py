"""Demo accounts: one admin, two agents in two groups, two customers."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from sandbox.accounts.models import VerifiedEmail


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    role: str
    group: str | None = None
    superuser: bool = False


FIRST_LINE = "First line support"
TECHNICAL = "Technical department"

USERS = (
    DemoUser("admin", "admin-demo-1", "admin@example.com", "Ada", "Admin", "admin", superuser=True),
    DemoUser("anna", "agent-demo-1", "anna@example.com", "Anna", "Nowak", "agent", FIRST_LINE),
    DemoUser("boris", "agent-demo-2", "boris@example.com", "Boris", "Ivanov", "agent", TECHNICAL),
    DemoUser("carol", "customer-demo-1", "carol@example.net", "Carol", "Smith", "customer"),
    DemoUser("dmitri", "customer-demo-2", "dmitri@example.org", "Dmitri", "Petrov", "customer"),
)


AGENT_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtail_support", "work_on_tickets"),
    ("wagtail_support", "add_cannedanswer"),
    ("wagtail_support", "change_cannedanswer"),
    ("wagtail_support", "delete_cannedanswer"),
)


def ensure_groups():
    """Agent groups may enter the Wagtail admin and work on tickets."""
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in AGENT_PERMISSIONS
    ]
    groups = {}
    for name in (FIRST_LINE, TECHNICAL):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
        groups[name] = group
    return groups


def ensure_users():
    """Creates the demo users, or puts them back as they should be (password included)."""
    groups = ensure_groups()
    User = get_user_model()
    users = {}
    for spec in USERS:
        user, _ = User.objects.get_or_create(username=spec.username)
        user.email = spec.email
        user.first_name = spec.first_name
        user.last_name = spec.last_name
        user.is_superuser = user.is_staff = spec.superuser
        user.is_active = True
        user.set_password(spec.password)
        user.save()
        # Their addresses count as confirmed: nobody can sign up with them.
        VerifiedEmail.objects.update_or_create(user=user, defaults={"email": spec.email})
        if spec.group:
            user.groups.add(groups[spec.group])
        users[spec.username] = user
    return users
