"""The submission workbook: a template to fill in offline and the upload that reads it back.

- ``sheets``: the workbook's shape (sheets, columns, Info labels) and who may use it;
- ``template``: ``template_build``, the workbook prefilled with the current values;
- ``archive``: ``check_archive``, the limits an upload must meet before it is parsed
  (size, parts, unpacked bytes, XML without DTDs, rows, readable cells);
- ``upload``: ``workbook_upload``, the filled-in workbook read back into a submission
  through ``submission_put`` (the REST PUT's path), problems named by cell;
- ``preview``: ``workbook_preview``, what an upload would change, written nothing.
"""

from .preview import workbook_preview
from .sheets import workbook_require_writer
from .template import template_build
from .upload import workbook_upload, workbook_validate

__all__ = [
    "template_build",
    "workbook_preview",
    "workbook_require_writer",
    "workbook_upload",
    "workbook_validate",
]
