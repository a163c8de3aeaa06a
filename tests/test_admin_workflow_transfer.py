"""The admin's workflow export/import screen."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user
from wagtail_support.models import Workflow

pytestmark = pytest.mark.django_db

SCREEN = reverse("wagtail_support_admin:workflow_transfer")


@pytest.fixture
def admin_client(client):
    client.login(username=make_user("admin", superuser=True).username, password=PASSWORD)
    return client


def json_file(document, name="flow.json"):
    return SimpleUploadedFile(name, json.dumps(document).encode(), "application/json")


def test_the_screen_lists_workflows_with_export_links_and_is_in_the_settings_menu(admin_client):
    page = admin_client.get(SCREEN)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("wagtail_support_admin:workflow_export", args=["presales"]) in html
    assert SCREEN in admin_client.get(reverse("wagtailadmin_home")).content.decode()


def test_export_downloads_the_document(admin_client):
    response = admin_client.get(reverse("wagtail_support_admin:workflow_export", args=["support"]))
    assert response["Content-Disposition"] == 'attachment; filename="workflow-support.json"'
    assert json.loads(response.content)["workflow"]["slug"] == "support"


def test_import_creates_a_workflow_from_an_upload(admin_client):
    document = json.loads(
        admin_client.get(
            reverse("wagtail_support_admin:workflow_export", args=["feedback"])
        ).content
    )
    document["workflow"].update(slug="feedback-2", name="Feedback 2")
    response = admin_client.post(SCREEN, {"document": json_file(document)}, follow=True)
    assert "Imported workflow “Feedback 2” (feedback-2)." in response.content.decode()
    assert Workflow.objects.get(slug="feedback-2").states.count() == 3


def test_import_shows_every_error_and_creates_nothing(admin_client):
    before = Workflow.objects.count()
    response = admin_client.post(SCREEN, {"document": json_file({"format": "x", "version": 1})})
    assert response.status_code == 200
    html = response.content.decode()
    assert "document.workflow: missing" in html
    assert Workflow.objects.count() == before
    response = admin_client.post(
        SCREEN, {"document": SimpleUploadedFile("f.json", b"{nope", "application/json")}
    )
    assert "not valid JSON" in response.content.decode()


def test_agents_without_the_workflow_permissions_are_refused(client):
    agent = make_agent("agent")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="agent", password=PASSWORD)
    assert client.get(SCREEN).status_code in (302, 403)
    export = reverse("wagtail_support_admin:workflow_export", args=["support"])
    response = client.get(export)
    assert response.status_code in (302, 403) and "attachment" not in response.get(
        "Content-Disposition", ""
    )
    assert SCREEN not in client.get(reverse("wagtailadmin_home")).content.decode()
