"""The FAQ's services: search and suggestions, visitors' votes, deflection statistics, JSON-LD,
and the bridge between canned answers and FAQ entries. Views in ``views.py`` only adapt them."""
