from odoo.http import request

from ..models.ir_attachment import PORTAL_UPLOAD_MAX_SIZE


def read_portal_uploads(field_name):
    """:return: the files posted in the form field `field_name`, as dicts {"name", "raw", "mimetype"}, each read up
    to one byte over the size limit (enough for `ir.attachment._pce_check_portal_uploads` to refuse it without
    reading a huge upload into memory)."""
    return [
        {"name": upload.filename, "raw": upload.read(PORTAL_UPLOAD_MAX_SIZE + 1), "mimetype": upload.mimetype}
        for upload in request.httprequest.files.getlist(field_name)
        if upload.filename
    ]
