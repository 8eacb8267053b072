"""Why a file cannot be read: one exception with a code that Odoo code maps to a translated message."""

NOT_PDF = "not_pdf"
ENCRYPTED = "encrypted"
IMAGE_ONLY = "image_only"
TOO_LARGE = "too_large"
TOO_MANY_PAGES = "too_many_pages"
MALFORMED = "malformed"
ERROR_CODES = (NOT_PDF, ENCRYPTED, IMAGE_ONLY, TOO_LARGE, TOO_MANY_PAGES, MALFORMED)


class InvoiceReadError(Exception):
    """A file the engine refuses: ``code`` is one of ``ERROR_CODES``, ``args[0]`` an English developer message."""

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown invoice reading error code {code!r}")
        super().__init__(message)
        self.code = code
