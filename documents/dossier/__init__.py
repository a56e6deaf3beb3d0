"""The teacher dossier (业务档案): one teacher's whole professional file as an A4 PDF, and
batches of them (a ZIP of PDFs or one combined PDF with a table of contents).

Only verified records are printed; pending ones appear as counts. Gathering one teacher's data
costs a fixed number of queries plus a few per school year with a tier designation (the duty
check), however many records there are.
"""

from .gathering import Dossier, YearSection, dossier_data, photo_uri
from .printing import (
    batch_filename,
    batch_teachers,
    dossier_filename,
    dossier_html,
    teachers_for,
)
from .stamps import dossier_fingerprint, with_data_stamps

__all__ = [
    "Dossier",
    "YearSection",
    "batch_filename",
    "batch_teachers",
    "dossier_data",
    "dossier_filename",
    "dossier_fingerprint",
    "dossier_html",
    "photo_uri",
    "teachers_for",
    "with_data_stamps",
]
