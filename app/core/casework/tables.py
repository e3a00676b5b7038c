"""The casework tables, kept with the other tables in ``records`` (``records.casework_tables``)
so that the migrations know them without importing casework; named here as casework uses them."""

from app.core.records.casework_tables import (
    CaseRecordRow,
    CaseRow,
    CaseSettingRow,
    CaseStepRow,
)

__all__ = ["CaseRecordRow", "CaseRow", "CaseSettingRow", "CaseStepRow"]
