"""Public endpoints of the FAQ: suggestions for the contact form, suggestions opened, and the
"Was this helpful?" vote (served by the FAQ page's own route). Each is rate-limited per IP."""

from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Site

from ..contact.spam import client_ip
from ..ids import parse_id
from . import deflection, visitors
from .limits import over_limit
from .search import suggestions


def _too_many():
    message = _("Too many requests. Please try again in a minute.")
    return JsonResponse({"error": message}, status=429)


@require_GET
def suggest(request):
    if over_limit("suggest", client_ip(request)):
        return _too_many()
    site = Site.find_for_request(request)
    response = JsonResponse({"results": suggestions(request, site, request.GET.get("q", ""))})
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_POST
def opened(request):
    from ..models import FAQEntry

    if over_limit("opened", client_ip(request)):
        return _too_many()
    entry_id = parse_id(request.POST.get("entry", ""))
    if entry_id is None:
        return JsonResponse({"error": _("No FAQ entry named.")}, status=400)
    entry = FAQEntry.objects.published(Site.find_for_request(request)).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    deflection.record_open(entry, request.POST.get("started", ""), request.POST.get("q", ""))
    return HttpResponse(status=204)


def vote(request, page, entry_id):
    """Records this visitor's answer to "Was this helpful?" for one entry of ``page``."""
    from ..models import FAQVote

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wants_json = "application/json" in request.headers.get("Accept", "")
    if over_limit("vote", client_ip(request)):
        return _too_many()
    entry = page.entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    choice = request.POST.get("helpful")
    if choice not in ("yes", "no"):
        return JsonResponse({"error": _("Say whether the answer helped.")}, status=400)
    key, new_cookie = visitors.ensure_visitor_key(request)
    try:
        with transaction.atomic():
            FAQVote.objects.update_or_create(
                entry=entry, visitor=key, defaults={"helpful": choice == "yes"}
            )
    except IntegrityError:  # the same visitor's two clicks raced; the first one counted
        pass
    if wants_json:
        response = JsonResponse({"message": _("Thank you for your feedback.")})
    else:
        response = redirect(f"{page.get_url(request)}?voted={entry.pk}#{entry.anchor}")
    return visitors.remember(response, new_cookie)
