"""wagtail-support: a customer-support help desk that lives inside a Wagtail site."""

__version__ = "0.1.0.dev0"
