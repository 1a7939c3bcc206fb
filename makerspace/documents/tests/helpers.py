"""Reading generated files back, as a person's Word or PDF reader would."""

import io
import re

from docx import Document
from pypdf import PdfReader


def squeeze(text: str) -> str:
    """Drop the line breaks and spaces a layout inserts, so a wrapped label is found whole."""
    return re.sub(r"\s+", "", text)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.extend(p.text for p in part.paragraphs)
            for table in part.tables:
                parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def docx_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
