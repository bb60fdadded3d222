"""The indicators' writes, one named function each, in one transaction, authorised inside where a person acts;
side effects (Celery tasks) after commit.

- ``schools``: registering a school and its parts (``register_school``, ``ensure_parts``), editing a figure;
- ``store``: storing a year's computed values (``store_year``), refreshing a year after its figures change;
- ``stale_years``: the years whose stored values a rule, threshold or school-type change made stale (an outbox),
  refreshed by a worker after commit;
- ``figure_uploads``: a figures file held between its upload and its confirmation, confirmed or purged;
- ``county``: entering a county-level figure;
- ``rectification``: raising a year's shortfalls into rectification items;
- ``plan_catalogue``: the plan's indicator catalogue, written with the plan.

Computation lives in ``indicators.computation``, the pages' reads in ``indicators.reads``.
"""
