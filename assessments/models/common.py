from django.db import models

POINTS = {"max_digits": 7, "decimal_places": 2}
# Ranked units first, by rank; the unranked (no judged item) after them, on every database.
RANK_ORDER = models.F("rank").asc(nulls_last=True)
LINE_RANK_ORDER = models.F("score__rank").asc(nulls_last=True)
