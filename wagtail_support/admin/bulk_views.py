from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import bulk
from ..ids import parse_ids
from ..models import Action
from ..workflows.forms import agents
from .pages import require_agent


class BulkForm(forms.Form):
    operation = forms.ChoiceField(
        label=gettext_lazy("With the selected tickets"),
        choices=[
            ("take", gettext_lazy("Take")),
            ("assign", gettext_lazy("Assign to…")),
            ("follow", gettext_lazy("Follow")),
            ("action", gettext_lazy("Perform the action…")),
            ("spam", gettext_lazy("Mark as spam")),
            ("spam_block", gettext_lazy("Mark as spam and block the senders")),
            ("not_spam", gettext_lazy("Not spam")),
        ],
    )
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assignee"), queryset=agents(), required=False
    )
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = Action.objects.filter(agents_may_perform=True)
        names = sorted({(a.slug, a.name) for a in actions}, key=lambda choice: str(choice[1]))
        self.fields["action"].choices = [("", "---------"), *names]


@require_POST
def bulk_view(request):
    require_agent(request.user)
    form = BulkForm(request.user, request.POST)
    back = request.POST.get("next") or ""
    target = back if back.startswith("/") and not back.startswith("//") else None
    # Any id is accepted here; the service only ever touches tickets the agent may see.
    ids = parse_ids(request.POST.getlist("tickets"))
    if not form.is_valid() or not ids:
        messages.error(request, _("Select tickets and what to do with them."))
        return redirect(target or "support_desk:inbox")
    data = form.cleaned_data
    if data["operation"] == "assign" and not data["assignee"]:
        messages.error(request, _("Choose whom to assign them to."))
        return redirect(target or "support_desk:inbox")
    if data["operation"] == "action" and not data["action"]:
        messages.error(request, _("Choose the action."))
        return redirect(target or "support_desk:inbox")
    result = bulk.run(
        request.user,
        ids,
        data["operation"],
        action_slug=data["action"],
        assignee=data["assignee"],
    )
    if result.refused:
        messages.error(
            request,
            _("Nothing was changed on these tickets: %(list)s")
            % {"list": "; ".join(f"{n}: {why}" for n, why in result.refused.items())},
        )
    if result.done:
        messages.success(request, _("Done: %(list)s") % {"list": ", ".join(result.done)})
    return redirect(target or "support_desk:inbox")
