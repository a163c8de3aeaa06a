from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class MyRequestsPage(RoutablePageMixin, Page):
    """The customer's "My requests" as a page in the site's tree: list, request pages, new
    request and guest links below its URL. The same views serve
    ``include("wagtail_support.urls")``."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = []

    class Meta:
        verbose_name = _("My requests page")

    def _urls(self, request):
        from ..portal.views import PortalUrls

        return PortalUrls(self.get_url(request) or self.url)

    def _call(self, view, request, **kwargs):
        from ..portal import views

        return getattr(views, view)(request, urls=self._urls(request), **kwargs)

    @path("")
    def requests(self, request):
        return self._call("request_list", request)

    @path("new/")
    def new(self, request):
        return self._call("new_request", request)

    @path("notifications/")
    def notifications(self, request):
        return self._call("notification_preferences", request)

    @path("link/<str:token>/")
    def guest(self, request, token):
        return self._call("guest_request", request, token=token)

    @path("link/<str:token>/files/<int:pk>/")
    def guest_file(self, request, token, pk):
        return self._call("guest_attachment", request, token=token, pk=pk)

    @path("link/<str:token>/rate/")
    def guest_rate(self, request, token):
        return self._call("guest_rate", request, token=token)

    @path("<str:number>/")
    def detail(self, request, number):
        return self._call("request_detail", request, number=number)

    @path("<str:number>/reply/")
    def reply(self, request, number):
        return self._call("reply", request, number=number)

    @path("<str:number>/rate/")
    def rate(self, request, number):
        return self._call("rate_view", request, number=number)

    @path("<str:number>/do/<slug:slug>/")
    def action(self, request, number, slug):
        return self._call("customer_action", request, number=number, slug=slug)

    @path("<str:number>/files/<int:pk>/")
    def file(self, request, number, pk):
        return self._call("attachment", request, number=number, pk=pk)
