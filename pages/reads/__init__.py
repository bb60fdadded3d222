"""What the home page reads: one to-do section per role the person holds (``home.sections``).

Each section runs a fixed number of queries whatever the number of items, and lists only what the person may
see: items from ``DutyItem.objects.for_user(user)``, requests and hand-backs of those items.
"""
