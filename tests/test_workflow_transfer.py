"""Workflows as JSON: export, import, replace, and every refusal with its place."""

import copy
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.utils import new_ticket
from wagtail_support.models import State, Workflow
from wagtail_support.workflows.transfer import (
    WorkflowImportError,
    export_workflow,
    import_workflow,
    load_document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_doc():
    Group.objects.create(name="Accounting")
    support = Workflow.objects.get(slug="support")
    waiting = support.states.get(slug="waiting")
    waiting.visible_to_groups.set([Group.objects.get(name="Accounting")])
    waiting.save()
    return export_workflow(support)


def copied(doc, slug="copy", name="Copy"):
    doc = copy.deepcopy(doc)
    doc["workflow"].update(slug=slug, name=name)
    return doc


def test_export_holds_states_actions_fields_and_group_names(support_doc):
    flow = support_doc["workflow"]
    assert support_doc["format"] == "wagtail-support-workflow" and support_doc["version"] == 1
    assert [s["slug"] for s in flow["states"]][:3] == ["new", "in-progress", "waiting"]
    assert flow["states"][2]["visible_to_groups"] == ["Accounting"]
    resolve = next(a for a in flow["actions"] if a["slug"] == "resolve")
    assert resolve["to_state"] == "resolved"
    assert resolve["fields"][0]["key"] == "resolution"
    assert "Fixed" in resolve["fields"][0]["choices"]
    json.dumps(support_doc)  # plain JSON all the way down


def test_a_round_trip_is_exact(support_doc):
    workflow = import_workflow(copied(support_doc))
    assert export_workflow(workflow) == copied(support_doc)


def test_every_problem_is_reported_with_its_place(support_doc):
    doc = copied(support_doc)
    flow = doc["workflow"]
    flow["states"][0]["type"] = "limbo"
    flow["states"][1]["colour"] = "#fff"
    flow["actions"][0]["to_state"] = "nowhere"
    flow["actions"][1]["allowed_groups"] = ["Nobody here"]
    del flow["actions"][2]["writes"]
    with pytest.raises(WorkflowImportError) as refused:
        import_workflow(doc)
    errors = refused.value.errors
    assert any(e.startswith("states[0].type:") for e in errors)
    assert "states[1].colour: unknown key" in errors
    assert any(e.startswith("actions[1].allowed_groups:") and "Nobody here" in e for e in errors)
    assert "actions[2].writes: missing" in errors
    assert not Workflow.objects.filter(slug="copy").exists()


def test_consistency_errors_come_after_the_shape_is_right(support_doc):
    doc = copied(support_doc)
    doc["workflow"]["actions"][0]["to_state"] = "nowhere"
    with pytest.raises(WorkflowImportError) as refused:
        import_workflow(doc)
    assert refused.value.errors == [
        "workflow: Action 'reply' moves tickets to 'nowhere', which is not a state."
    ]


def test_wrong_format_and_bad_json_are_refused():
    with pytest.raises(WorkflowImportError, match="format: expected 'wagtail-support-workflow'"):
        import_workflow({"format": "other", "version": 1, "workflow": {}})
    with pytest.raises(WorkflowImportError, match="not valid JSON: line 1 column 2"):
        load_document("{oops")


def test_an_existing_slug_needs_replace(support_doc):
    with pytest.raises(WorkflowImportError, match="exists already"):
        import_workflow(support_doc)


def test_missing_groups_can_be_created(support_doc):
    doc = copied(support_doc)
    doc["workflow"]["actions"][0]["allowed_groups"] = ["Night shift"]
    workflow = import_workflow(doc, create_groups=True)
    reply = workflow.actions.get(slug="reply")
    assert [g.name for g in reply.allowed_groups.all()] == ["Night shift"]


def test_replace_updates_in_place_and_keeps_tickets_states(support_doc):
    ticket = new_ticket(email="a@example.net")
    new_state = State.objects.get(workflow__slug="support", slug="new")
    doc = copy.deepcopy(support_doc)
    doc["workflow"]["states"][0]["name"] = "Fresh"
    doc["workflow"]["actions"] = [a for a in doc["workflow"]["actions"] if a["slug"] != "take"]
    workflow = import_workflow(doc, replace=True)
    state = workflow.states.get(slug="new")
    assert state.pk == new_state.pk and state.name == "Fresh"
    ticket.refresh_from_db()
    assert ticket.state_id == new_state.pk
    assert not workflow.actions.filter(slug="take").exists()


def test_replace_refuses_to_drop_a_state_with_tickets(support_doc):
    new_ticket(email="a@example.net")
    doc = copy.deepcopy(support_doc)
    doc["workflow"]["states"] = [s for s in doc["workflow"]["states"] if s["slug"] != "new"]
    doc["workflow"]["states"][0]["type"] = "new"
    for action in doc["workflow"]["actions"]:
        action["from_states"] = [s for s in action["from_states"] if s != "new"]
    with pytest.raises(
        WorkflowImportError, match="state 'new' would be removed, but 1 ticket is in it"
    ):
        import_workflow(doc, replace=True)
    assert State.objects.filter(workflow__slug="support", slug="new").exists()


def test_the_command_exports_and_imports(tmp_path, support_doc, capsys):
    path = tmp_path / "support.json"
    call_command("support_workflow", "export", "support", "-o", str(path))
    assert json.loads(path.read_text()) == support_doc
    doc = json.loads(path.read_text())
    path.write_text(json.dumps(copied(doc, "support-copy", "Support copy")))
    call_command("support_workflow", "import", str(path))
    assert "Imported workflow Support copy (support-copy)" in capsys.readouterr().out
    assert Workflow.objects.get(slug="support-copy").states.count() == 6


def test_the_command_lists_every_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "wagtail-support-workflow", "version": 2, "workflow": 1}')
    with pytest.raises(CommandError) as refused:
        call_command("support_workflow", "import", str(path))
    message = str(refused.value)
    assert "version: this site reads version 1" in message
    assert "workflow: expected an object" in message
    with pytest.raises(CommandError, match="No workflow with the slug 'nope'"):
        call_command("support_workflow", "export", "nope")
