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
from .filters import FilterPanelEntry, SavedFilter, Sharing
from .forms import ContactFieldType, ContactFormField
from .history import EventKind, TicketEvent
from .inbound import InboundChannel, InboundEmail, InboundStatus
from .intake import Category, Source, SourceKind
from .mail import OutboundEmail, OutboundKind, OutboundStatus, Participant
from .pages import MyRequestsPage
from .preferences import NotificationKind, NotificationPreferences
from .ratings import Rating
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
    "FilterPanelEntry",
    "Follow",
    "InboundChannel",
    "InboundEmail",
    "InboundStatus",
    "Kind",
    "Message",
    "MessageKind",
    "MyRequestsPage",
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
    "Sharing",
    "Source",
    "SourceKind",
    "State",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "Workflow",
]
