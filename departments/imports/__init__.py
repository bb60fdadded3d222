"""Bulk import of townships, streets and schools (``import_units``) and of people (``import_people``).

An upload is first accepted by ``departments.forms.ImportFileForm`` (size, type by
content), which gives an ``Upload``; the importers read it, check every row with
the row forms, and write nothing unless every row is right, in one transaction.
"""

from .common import ImportResult, RowError
from .files import FileRejected, Upload
from .people import PERSON_COLUMNS, import_people
from .units import UNIT_COLUMNS, import_units

__all__ = [
    "PERSON_COLUMNS",
    "UNIT_COLUMNS",
    "FileRejected",
    "ImportResult",
    "RowError",
    "Upload",
    "import_people",
    "import_units",
]
