import os
import re
import unicodedata

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# Files customers send through the portal (quotation requests, tickets): how many, how large, how named
PORTAL_UPLOAD_MAX_FILES = 10
PORTAL_UPLOAD_MAX_SIZE = 10 * 1024 * 1024  # bytes, each
PORTAL_UPLOAD_MAX_FILENAME = 120  # characters
# Files a browser or a desktop would run rather than open as a document
PORTAL_UPLOAD_REFUSED_EXTENSIONS = {
    "bat", "cmd", "com", "dll", "exe", "htm", "html", "js", "jar", "msi", "php", "ps1", "scr", "sh", "svg", "vbs",
    "xhtml",
}  # fmt: skip


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _pce_clean_filename(self, name):
        """:return: a file name without path, control characters or odd symbols, not too long."""
        name = unicodedata.normalize("NFKC", os.path.basename((name or "").replace("\\", "/")))
        name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._")
        stem, extension = os.path.splitext(name)
        return (stem[: PORTAL_UPLOAD_MAX_FILENAME - len(extension)] + extension) if stem else ""

    @api.model
    def _pce_check_portal_uploads(self, uploads, max_files=PORTAL_UPLOAD_MAX_FILES):
        """Validate files a customer sends through the portal: how many, their size, their names and their kind.

        :param list uploads: dicts {"name", "raw"} (see `controllers.uploads.read_portal_uploads`)
        :return: list of dicts {"name", "raw", "mimetype"}, names cleaned and types read from the content
        :raise UserError: with a message for the customer
        """
        if len(uploads) > max_files:
            raise UserError(_("Attach %s files at most.", max_files))
        clean = []
        for upload in uploads:
            raw = upload.get("raw") or b""
            original = upload.get("name") or ""
            name = self._pce_clean_filename(original)
            if not raw:
                raise UserError(_("The file %s is empty.", original or _("(no name)")))
            if len(raw) > PORTAL_UPLOAD_MAX_SIZE:
                raise UserError(
                    _(
                        "The file %(name)s is too large (%(max)s MB at most).",
                        name=original,
                        max=PORTAL_UPLOAD_MAX_SIZE // (1024 * 1024),
                    )
                )
            extension = os.path.splitext(name)[1].lstrip(".").lower()
            if not name or extension in PORTAL_UPLOAD_REFUSED_EXTENSIONS:
                raise UserError(_("The file %s cannot be attached: send documents, images or archives.", original))
            clean.append({"name": name, "raw": raw, "mimetype": guess_mimetype(raw)})
        return clean
