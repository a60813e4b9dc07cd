"""Reading generated files back for tests: PDF text per page (pdftotext), embedded fonts (pypdf), DOCX parts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page as pdftotext extracts it (logical order, bidi controls removed)."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read PDFs back"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return [BIDI_CONTROLS.sub("", page) for page in out.stdout.decode("utf-8").split("\f")[:-1]]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF (subset prefix removed)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if embedded:
                names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def docx_parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}
