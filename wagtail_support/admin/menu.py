from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .config import (
    BlockedSenderViewSet,
    CannedAnswerViewSet,
    CategoryViewSet,
    SourceViewSet,
    WorkflowViewSet,
)
from .desk import DeskViewSet
from .inbound_mail import InboundEmailViewSet
from .sla_config import ServiceLevelViewSet, ServiceViewSet, SupportScheduleViewSet
from .trash_views import TrashViewSet


class SupportViewSetGroup(ViewSetGroup):
    """The "Support" menu: each item is shown to whoever holds its model permissions."""

    menu_label = _("Support")
    menu_icon = "help"
    menu_order = 250
    items = (
        DeskViewSet(),
        SourceViewSet("support_sources"),
        WorkflowViewSet("support_workflows"),
        CategoryViewSet("support_categories"),
        CannedAnswerViewSet("support_canned_answers"),
        BlockedSenderViewSet("support_blocklist"),
        ServiceLevelViewSet("support_service_levels"),
        SupportScheduleViewSet("support_schedules"),
        ServiceViewSet("support_services"),
        InboundEmailViewSet("support_inbound_mail"),
        TrashViewSet(),
    )
