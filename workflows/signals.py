"""Signals other apps listen to, so that workflows never imports them.

``plan_loaded``: sent by ``plan_import.loader.load_plan`` inside its transaction, after the plan, its phases,
leadership group and duty templates are written, with ``plan`` (the Plan), ``parsed`` (the ParsedPlan) and
``summary`` (the ImportSummary, whose ``record(section, outcome)`` counts what a receiver wrote). A
receiver that raises rolls the whole import back.
"""

from django.dispatch import Signal

plan_loaded = Signal()
