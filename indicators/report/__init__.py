"""The self-evaluation report (自评报告): a DOCX written section by section (``sections.SECTIONS``) by a Celery
task (``indicators.tasks``), requested and followed on its pages (``views``). ``services`` holds every write."""
