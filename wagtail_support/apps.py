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
        from .workflows.defaults import install_defaults

        post_migrate.connect(install_defaults, sender=self, dispatch_uid="wagtail_support_defaults")

        try:
            from anymail.signals import inbound
        except ImportError:  # anymail is a dependency, but a site may strip it
            return
        from .mail.webhook import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="wagtail_support_inbound")
