from ..workflows.models import (
    Action,
    ActionEmail,
    ActionField,
    AssignmentCursor,
    State,
    Workflow,
)
from .attachments import Attachment
from .blocklist import BlockedSender
from .canned import CannedAnswer
from .faq import FAQEntry, FAQLayout, FAQPage, FAQSuggestionOpen, FAQVote
from .filters import FilterPanelEntry, SavedFilter, Sharing
from .forms import ContactFieldType, ContactFormField
from .history import EventKind, TicketEvent
from .inbound import InboundChannel, InboundEmail, InboundStatus
from .intake import Category, Source, SourceKind
from .mail import OutboundEmail, OutboundKind, OutboundStatus, Participant
from .pages import MyRequestsPage
from .preferences import NotificationKind, NotificationPreferences
from .ratings import Rating
from .sla import (
    NoticeKind,
    ScheduleHours,
    Service,
    ServiceLevel,
    ServiceLevelTarget,
    ServiceStatus,
    SlaNotice,
    SpecialDay,
    SupportSchedule,
    Weekday,
)
from .support_pages import InformationPage, SupportIndexPage
from .tickets import (
    Channel,
    Complexity,
    Follow,
    Kind,
    Message,
    MessageKind,
    Priority,
    ReadMark,
    Ticket,
    TicketCounter,
)

__all__ = [
    "Action",
    "ActionEmail",
    "ActionField",
    "AssignmentCursor",
    "Attachment",
    "BlockedSender",
    "CannedAnswer",
    "Category",
    "Channel",
    "Complexity",
    "ContactFieldType",
    "ContactFormField",
    "EventKind",
    "FAQEntry",
    "FAQLayout",
    "FAQPage",
    "FAQSuggestionOpen",
    "FAQVote",
    "FilterPanelEntry",
    "Follow",
    "InboundChannel",
    "InboundEmail",
    "InboundStatus",
    "InformationPage",
    "Kind",
    "Message",
    "MessageKind",
    "MyRequestsPage",
    "NoticeKind",
    "NotificationKind",
    "NotificationPreferences",
    "OutboundEmail",
    "OutboundKind",
    "OutboundStatus",
    "Participant",
    "Priority",
    "Rating",
    "ReadMark",
    "SavedFilter",
    "ScheduleHours",
    "Service",
    "ServiceLevel",
    "ServiceLevelTarget",
    "ServiceStatus",
    "Sharing",
    "SlaNotice",
    "Source",
    "SourceKind",
    "SpecialDay",
    "State",
    "SupportIndexPage",
    "SupportSchedule",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "Weekday",
    "Workflow",
]
