from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailSupportConfig(AppConfig):
    name = "wagtail_support"
    label = "wagtail_support"
    verbose_name = _("Support")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Registers the configuration checks with Django's check framework.
        from . import checks  # noqa: F401
        from .access import connect as connect_access
        from .admin.inbox_choices import connect as connect_inbox_choices
        from .intake_config import connect as connect_intake_config
        from .sla import policy
        from .workflows import kept_actions
        from .workflows.defaults import install_defaults

        policy.connect()
        connect_intake_config()
        kept_actions.connect()
        connect_access()
        connect_inbox_choices()

        post_migrate.connect(install_defaults, sender=self, dispatch_uid="wagtail_support_defaults")

        from .mail.notify import on_attachments_left_out, on_ticket_changed
        from .signals import attachments_left_out, ticket_changed

        ticket_changed.connect(on_ticket_changed, dispatch_uid="wagtail_support_mail")
        attachments_left_out.connect(
            on_attachments_left_out, dispatch_uid="wagtail_support_mail_left_out"
        )

        from .faq.signals import connect_faq_signals

        connect_faq_signals()

        try:
            from anymail.signals import inbound
        except ImportError:  # anymail is a dependency, but a site may strip it
            return
        from .mail.webhook import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="wagtail_support_inbound")
