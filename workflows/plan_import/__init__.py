"""Reading a county plan document (the form of 奉节府办发〔2021〕100号) into data.

``parser.parse_plan(text)`` turns the text into a ``ParsedPlan`` (pure, no database);
``loader.load_plan(parsed)`` writes it in one transaction, idempotently.
"""
