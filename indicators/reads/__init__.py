"""The pages' composed reads of the indicators: no writes, a fixed number of queries whatever the county's size.

- ``dashboard``: the dashboard of a year and stage, from the stored values (and whether the year is being
  recomputed);
- ``charts``: the dashboard's charts;
- ``school_page``: a school's figures, its indicators computed from them, the edit history;
- ``county``: the county-level indicators of a year, and which of them a person enters;
- ``shortfall_preview``: the 问题清单 of a year, before it is raised;
- ``ledger``: the 问题台账 of the raised rectification items.

Who may read what is asked of ``departments.access`` by the views (and ``querysets``' ``for_user``).
"""
