"""The assessment's computation, without writes: the facts of a year read in a few aggregated queries
(``facts``), the scheme's parameters (``parameters``), and every unit's lines, score and rank from them
(``scoring``, pandas). ``assessments.services.runs`` saves what they compute."""
