"""Evidence files are written to storage inside the service's transaction (so the row names a file that exists);
if that transaction rolls back — a refused step, a lock lost, a database error — the files it wrote are deleted
again, so storage holds no file that no row names.

Only the service's own transaction is watched: the services are called from views, commands and tasks, none of
which wraps them in a longer transaction of its own.
"""

import contextvars
import logging
from functools import wraps

from django.db import transaction

log = logging.getLogger(__name__)
_written = contextvars.ContextVar("workflows_written_files", default=None)


def record(field_file):
    """Note a file just saved through ``field_file`` (a FieldFile), to delete it if the transaction rolls back."""
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def save_checked(checked_files, new_row):
    """Store each checked upload ((FileInfo, upload) pairs from ``validate_evidence_files``) as the row
    ``new_row(original_name=…, kind_label=…, content_type=…, size=…)`` returns (an Evidence, an ExtensionAttachment):
    its file saved and recorded, then the row saved."""
    for info, upload in checked_files:
        row = new_row(original_name=info.name, kind_label=info.label, content_type=info.content_type, size=info.size)
        row.file.save(info.name, upload, save=False)
        record(row.file)
        row.save()


def removed_on_rollback(service):
    """Run ``service`` in one transaction; delete the files it ``record``-ed if that transaction does not commit."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        written = []
        token = _written.set(written)
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except BaseException:
            for storage, name in written:
                try:
                    storage.delete(name)
                except OSError as error:  # the refusal the user sees matters more than a leftover file
                    log.warning("workflows: could not remove %s after a rollback: %s", name, error)
            raise
        finally:
            _written.reset(token)

    return wrapped
