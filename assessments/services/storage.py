"""Saving a run's lines: with COPY on PostgreSQL (a year of a large county has hundreds of thousands of lines;
COPY writes them in seconds where INSERTs take half a minute), with bulk_create elsewhere."""

import io

import pandas as pd
from django.db import connection

from ..models import ScoreLine

LINE_COLUMNS = [
    "score_id",
    "kind",
    "item_id",
    "item_title",
    "role",
    "circular_title",
    "quantity",
    "points",
    "explanation",
]
BATCH = 5000


def line_frame(lines, score_ids):
    """The lines in LINE_COLUMNS order, texts cut to their columns' lengths."""
    frame = lines.assign(
        score_id=lines["unit_id"].map(score_ids),
        item_id=lines["item_id"].astype("Int64"),
        item_title=lines["title"].str.slice(0, 200),
        circular_title=lines["circular_title"].str.slice(0, 200),
        explanation=lines["explanation"].str.slice(0, 300),
    )
    return frame[LINE_COLUMNS]


def save_lines(lines, score_ids):
    frame = line_frame(lines, score_ids)
    if connection.vendor == "postgresql":
        # One CSV made by pandas, one COPY: no Python call per line. FORCE_NOT_NULL reads an empty text as "",
        # so only item_id (the one nullable column) can be NULL.
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, header=False, float_format="%.2f")
        texts = "kind, item_title, role, circular_title, explanation"
        columns = ", ".join(LINE_COLUMNS)
        sql = f"COPY {ScoreLine._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({texts}))"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
        return
    ScoreLine.objects.bulk_create(
        (
            ScoreLine(**{**row, "item_id": None if pd.isna(row["item_id"]) else int(row["item_id"])})
            for row in frame.astype(object).to_dict("records")
        ),
        batch_size=BATCH,
    )
