"""The onthaal document as a PDF, rendered by WeasyPrint from the content stored with it.

WeasyPrint draws text with the Pango library (a system package, not a Python one). It is
imported only here, when a document is signed, so the rest of the application runs without it;
when Pango is missing the signer gets an error that names the package to install.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfEngineMissingError(RuntimeError):
    """WeasyPrint or its system library Pango is not installed on this server."""


def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as problem:  # OSError: cannot load library 'pango-1.0-0'
        raise PdfEngineMissingError(
            "The PDF of the onthaal document cannot be made: WeasyPrint needs the Pango "
            f"library (on Debian: apt-get install {PANGO_PACKAGES}). Cause: {problem}"
        ) from problem
    return weasyprint


def render_onthaal_document(content: dict[str, Any]) -> bytes:
    """The PDF bytes of an onthaal document with `content` (see
    `selectors_record.document_content`)."""
    weasyprint = _weasyprint()
    html = render_to_string("onboarding/record/document_pdf.html", {"doc": content})
    # No base URL and no external resources: the document is self-contained (fonts are the
    # system's, the style is inline in the template).
    return bytes(weasyprint.HTML(string=html).write_pdf())
