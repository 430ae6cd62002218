"""Build the sample contracts in data/samples/ from the plain-text sources.

The samples (a PDF, a DOCX and a TXT) exercise document ingestion and review end to end; their
planted problems are listed in data/SAMPLES.md. Sources live in
scripts/sample_sources/<name>.txt and use a tiny line markup:

    # Title              document title
    ## Heading           section heading
    | a | b | c |        table row (a run of rows is one table; the first row is the header)
    {nbsp}               replaced by U+00A0 (no-break space)

Blocks are separated by blank lines; lines within a block are kept as separate lines. The build
is deterministic (fixed PDF creation date, DOCX core properties and zip entry times).
Run:  /work/venv/bin/python scripts/build_samples.py
"""

from __future__ import annotations

import io
import re
import string
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from fpdf import FPDF
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample_sources"
OUT_DIR = ROOT / "data" / "samples"

FIXED_DATE = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)
ZIP_DATE = (2025, 3, 3, 9, 0, 0)
PDF_HEADER = "CloudLedger Subscription Agreement - Confidential"
LIST_ITEM = re.compile(r"^\([a-z]+\) ")


@dataclass(frozen=True)
class Block:
    """One blank-line-separated chunk of a source: title, heading, table or paragraph."""

    kind: str
    lines: tuple[str, ...]


def parse(text: str) -> list[Block]:
    """Split source text into blocks, expanding the {nbsp} token."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("{nbsp}", "\u00a0").strip()):
        lines = tuple(line.rstrip() for line in chunk.splitlines())
        if lines[0].startswith("## "):
            blocks.append(Block("heading", (lines[0][3:],)))
        elif lines[0].startswith("# "):
            blocks.append(Block("title", (lines[0][2:],)))
        elif lines[0].startswith("|"):
            blocks.append(Block("table", lines))
        else:
            blocks.append(Block("para", lines))
    return blocks


def table_rows(block: Block) -> list[list[str]]:
    """Cells of each `| a | b |` row, stripped."""
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in block.lines]


class SamplePDF(FPDF):
    """FPDF with a running header line and a 'Page N of M' footer on every page."""

    def header(self) -> None:
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, PDF_HEADER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def pdf_line(pdf: FPDF, text: str, style: str = "", size: float = 10) -> None:
    """Write one wrapped line of text, indenting '(a)'-style list items."""
    text.encode("latin-1")  # core fonts only: fail loudly on anything else
    indent = 8 if LIST_ITEM.match(text) else 0
    pdf.set_font("Helvetica", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def build_pdf(blocks: list[Block], out: Path) -> None:
    pdf = SamplePDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(string.capwords(blocks[0].lines[0].lower()))
    pdf.set_author("CloudLedger Inc.")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    for block in blocks:
        if block.kind == "title":
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(0, 8, block.lines[0], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(4)
            continue
        if block.kind == "heading":
            pdf.ln(2)
            pdf_line(pdf, block.lines[0], "B", 11)
        else:
            for line in block.lines:
                pdf_line(pdf, line)
        pdf.ln(2.5)
    pdf.output(str(out))


def add_docx_table(doc: DocxDocument, block: Block) -> None:
    rows = table_rows(block)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    doc.add_paragraph()


def add_docx_paragraph(doc: DocxDocument, block: Block) -> None:
    paragraph = doc.add_paragraph()
    for i, line in enumerate(block.lines):
        run = paragraph.add_run(line)
        if i < len(block.lines) - 1:
            run.add_break()


def set_docx_properties(doc: DocxDocument, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "Contract Analyzer samples"
    props.last_modified_by = "Contract Analyzer samples"
    naive = FIXED_DATE.replace(tzinfo=None)
    props.created = props.modified = props.last_printed = naive
    props.revision = 1


def write_fixed_zip(data: bytes, out: Path) -> None:
    """Re-pack a zip with fixed entry timestamps so the bytes are reproducible."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))


def build_docx(blocks: list[Block], out: Path) -> None:
    doc = Document()
    for block in blocks:
        if block.kind == "title":
            doc.add_heading(block.lines[0], level=0)
        elif block.kind == "heading":
            doc.add_heading(block.lines[0], level=1)
        elif block.kind == "table":
            add_docx_table(doc, block)
        else:
            add_docx_paragraph(doc, block)
    set_docx_properties(doc, string.capwords(blocks[0].lines[0].lower()))
    buffer = io.BytesIO()
    doc.save(buffer)
    write_fixed_zip(buffer.getvalue(), out)


def build_txt(blocks: list[Block], out: Path) -> None:
    parts = []
    for block in blocks:
        if block.kind == "table":
            parts.append("\n".join(" | ".join(row) for row in table_rows(block)))
        else:
            parts.append("\n".join(block.lines))
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8", newline="\n")


Builder = Callable[[list[Block], Path], None]

SAMPLES: tuple[tuple[str, str, Builder], ...] = (
    ("saas-subscription-agreement", ".pdf", build_pdf),
    ("mutual-nda", ".docx", build_docx),
    ("professional-services-agreement", ".txt", build_txt),
)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, suffix, build in SAMPLES:
        blocks = parse((SOURCES / f"{name}.txt").read_text(encoding="utf-8"))
        out = OUT_DIR / f"{name}{suffix}"
        build(blocks, out)
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
