from wagtail.admin.forms import WagtailAdminModelForm

from ..workflows.validation import workflow_errors


class WorkflowAdminForm(WagtailAdminModelForm):
    """Checks the workflow as a whole (states, actions and their fields together) before saving,
    with the same rules as the JSON import."""

    def is_valid(self):
        if not super().is_valid():
            return False
        # save(commit=False) assembles the cluster in memory from every (nested) formset.
        workflow = self.save(commit=False)
        errors = workflow_errors(workflow)
        for message in errors:
            self.add_error(None, message)
        return not errors
