"""core.documents: real PDF/DOCX/text files built in memory, the error for each bad input, and the
exactness of normalisation's source map."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject

from core.clauses.segment import extract_clauses
from core.documents import LoadedDocument, load, normalize
from core.documents.messages import display_name, page_list
from core.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoExtractableText,
    UnsupportedFileType,
)
from core.settings import Settings

SETTINGS = Settings()
EVAL_FILES = Path(__file__).parents[1].parent / "shared" / "eval" / "files"
# Every Unicode space separator (Zs) plus tab, vertical tab and form feed.
HSPACE = " \t\x0b\x0c\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
BREAKS = "\n\r\x85\u2028\u2029"


# ---------------------------------------------------------------- builders


def make_pdf(pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for body in pages:
        pdf.add_page()
        if body:
            pdf.multi_cell(0, 6, body)
    return bytes(pdf.output())


def rewrite_pdf(data: bytes, *, user: str | None = None, owner: str | None = None) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    if user is not None:
        # RC4: pypdf can do it without the optional `cryptography` package (AES needs it).
        writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(n_pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(n_pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def save_docx(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_table() -> bytes:
    document = docx.Document()
    document.add_heading("Mutual NDA", level=1)
    document.add_paragraph("Intro paragraph before the table.")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Key Terms"  # horizontally merged
    table.cell(1, 0).text = "Purpose"
    table.cell(1, 1).text = "Evaluating a deal"
    table.cell(2, 0).text = "Term"
    table.cell(2, 1).text = "Two years"
    document.add_paragraph("Closing paragraph after the table.")
    return save_docx(document)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def assert_error(
    error: type[DocumentError], data: bytes, filename: str, config: Settings = SETTINGS
) -> str:
    with pytest.raises(error) as caught:
        load(data, filename, config)
    message = str(caught.value)
    assert type(caught.value) is error, message
    assert "\n" not in message and "\r" not in message
    assert display_name(filename) in message
    return message


# ---------------------------------------------------------------- normalize


def test_normalize_spaces_tabs_nbsp_with_exact_source_map() -> None:
    raw = "  Section\xa01.\tTerm\t\tof  the\u202fAgreement \u2007 \n\x0cNext\u2009line"
    text, smap = normalize(raw)
    assert text == "Section 1. Term of the Agreement\nNext line"
    assert len(smap) == len(text) + 1 and smap[-1] == len(raw)
    assert smap[text.index("S")] == 2
    assert smap[7] == raw.index("\xa0")  # the NBSP became the space after "Section"
    assert smap[text.index(" of")] == raw.index("\t\t")  # collapsed run -> its first char
    assert smap[text.index("\n")] == raw.index("\n")


def test_normalize_turns_wide_layout_gaps_into_line_breaks() -> None:
    raw = "as follows:     3. Fees.   (a) Customer pays.  Net 30."
    text, smap = normalize(raw)
    assert text == "as follows:\n3. Fees.\n(a) Customer pays. Net 30."
    assert smap[text.index("\n3")] == raw.index("     ")
    for i, char in enumerate(text):
        if not char.isspace():
            assert raw[smap[i]] == char


def test_normalize_crlf_and_blank_line_runs() -> None:
    raw = "\r\n\r\nOne\r\nTwo\r\n\r\n\r\n\r\nThree\rFour\n \n\t\n"
    text, smap = normalize(raw)
    assert text == "One\nTwo\n\nThree\nFour"
    assert raw[smap[text.index("\n")]] == "\r"  # "\r\n" maps to its first character
    assert [raw[smap[i]] for i in range(len(text)) if text[i] == "\n"] == ["\r"] * 4


def test_normalize_keeps_invisible_characters() -> None:
    raw = "pay\u200bment \ufeffdue\u00ad now"
    assert normalize(raw)[0] == raw


def test_normalize_empty_and_blank() -> None:
    assert normalize("") == ("", [0])
    assert normalize(" \t\r\n\n ") == ("", [6])


def reference_normalize(raw: str) -> str:
    """The rules of the spec, written the slow and obvious way."""
    text = re.sub(rf"\r\n|[{BREAKS}]", "\n", raw)
    # a wide gap between words on one line is a layout break
    text = re.sub(rf"(?<=[^{HSPACE}\n])[{HSPACE}]{{3,}}(?=[^{HSPACE}\n])", "\n", text)
    text = re.sub(f"[{HSPACE}]+", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


MESSY = st.lists(
    st.one_of(
        st.sampled_from([*"ab.\u200b", *HSPACE, *BREAKS, "\r\n"]),
        st.characters(),
    ),
    max_size=200,
).map("".join)


@given(MESSY)
@settings(max_examples=400, deadline=None, database=None)
def test_normalize_property(raw: str) -> None:
    text, smap = normalize(raw)
    assert len(smap) == len(text) + 1
    assert smap[-1] == len(raw)
    assert all(a < b for a, b in itertools.pairwise(smap))
    for i, char in enumerate(text):
        source = raw[smap[i]]
        if char == " ":
            assert source in HSPACE
        elif char == "\n":
            assert source in BREAKS or source in HSPACE  # a line break or a layout gap
        else:
            assert source == char
    assert text == reference_normalize(raw)
    assert normalize(text)[0] == text  # idempotent


def test_normalize_handles_a_large_text_exactly() -> None:
    # Speed is measured in bench/, not asserted here; this checks a big input stays exact.
    words = ["The", "Supplier", "shall\u00a0indemnify", "the\tCustomer,", "(a)", "1.2"]
    seps = [" ", " ", "  ", "\t", "\n", "\r\n\r\n\r\n", " \n "]
    raw = "".join(words[i % 6] + seps[i % 7] for i in range(60_000))[:300_000]
    text, smap = normalize(raw)
    assert text == reference_normalize(raw)
    assert len(smap) == len(text) + 1


# ---------------------------------------------------------------- PDF


def test_multi_page_pdf_page_starts() -> None:
    pages = ["First page text.\nIt has two lines.", "Second page begins here.", "Third."]
    doc = load(make_pdf(pages), "deal.pdf", SETTINGS)
    assert isinstance(doc, LoadedDocument)
    assert (doc.format, doc.pages, doc.warnings) == ("pdf", 3, [])
    assert len(doc.page_starts) == 3 and doc.page_starts[0] == 0
    assert doc.text[doc.page_starts[1] :].startswith("Second page begins here.")
    assert doc.text[doc.page_starts[2] :].startswith("Third.")
    assert doc.raw_text[doc.source_map[doc.page_starts[1]]] == "S"
    assert doc.heading_offsets == [] and len(doc.sha256) == 64


def test_pdf_with_some_empty_pages_warns() -> None:
    doc = load(make_pdf(["Real text.", "", "", "More text."]), "gaps.pdf", SETTINGS)
    assert doc.warnings == ["pages 2-3 have no extractable text"]
    assert doc.page_starts[1] == doc.page_starts[2] == doc.page_starts[3]
    assert doc.text[doc.page_starts[3] :] == "More text."


def test_encrypted_pdf_is_refused() -> None:
    data = rewrite_pdf(make_pdf(["Secret terms."]), user="s3cret")
    message = assert_error(EncryptedDocument, data, "contract.pdf")
    assert message == "contract.pdf is encrypted; remove the password and upload it again"


def test_pdf_with_owner_password_only_is_read_with_warning() -> None:
    data = rewrite_pdf(make_pdf(["Permission-restricted text."]), user="", owner="owner-pw")
    doc = load(data, "restricted.pdf", SETTINGS)
    assert doc.text == "Permission-restricted text."
    assert len(doc.warnings) == 1 and "encrypted" in doc.warnings[0]


def test_truncated_pdf_is_corrupt() -> None:
    data = make_pdf(["Some text.", "More text."])
    assert_error(CorruptDocument, data[: len(data) // 2], "half.pdf")


def test_scanned_pdf_has_no_text() -> None:
    message = assert_error(NoExtractableText, blank_pdf(2), "scan.pdf")
    assert "OCR" in message


def test_pdf_page_limit() -> None:
    message = assert_error(
        DocumentTooLarge, make_pdf(["a", "b", "c"]), "long.pdf", Settings(max_pages=2)
    )
    assert "3 pages" in message and "limit is 2" in message


def test_pdf_decompression_bomb_hits_the_stream_limit() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Looks harmless."])))
    page = writer.pages[0]
    stream = DecodedStreamObject()
    # 60 MB: readable with pypdf's default 75 MB limit, above the loader's 50 MB one.
    stream.set_data(page.get_contents().get_data() + b" " * 60_000_000)  # type: ignore[union-attr]
    page.replace_contents(stream.flate_encode(level=6))
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) < 200_000
    assert "safety limit" in assert_error(DocumentTooLarge, out.getvalue(), "bomb.pdf")


def test_not_a_pdf_with_pdf_name_is_corrupt() -> None:
    assert_error(CorruptDocument, b"<html>Not found</html>", "download.pdf")


# ---------------------------------------------------------------- DOCX


def test_docx_table_between_paragraphs_keeps_order() -> None:
    doc = load(docx_with_table(), "nda.docx", SETTINGS)
    assert doc.format == "docx" and doc.pages is None and doc.page_starts == []
    assert doc.text.split("\n") == [
        "Mutual NDA",
        "Intro paragraph before the table.",
        "Key Terms",  # once, although python-docx repeats merged cells
        "Purpose",
        "Evaluating a deal",
        "Term",
        "Two years",
        "Closing paragraph after the table.",
    ]
    assert doc.heading_offsets == [0]


def test_docx_content_controls_and_tracked_changes() -> None:
    document = docx.Document()
    document.add_paragraph("Start.")
    body = document.element.body
    w = nsdecls("w")
    body.insert(
        len(body) - 1,  # before w:sectPr
        parse_xml(
            f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Liability cap: </w:t></w:r>"
            "<w:ins w:id='1' w:author='a'><w:r><w:t>twice</w:t></w:r></w:ins>"
            "<w:del w:id='2' w:author='a'><w:r><w:delText>once</w:delText></w:r></w:del>"
            "<w:r><w:tab/><w:t>the fees</w:t><w:br/><w:t>paid.</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )
    heading = document.add_paragraph("Custom outline heading")
    heading._p.get_or_add_pPr().append(parse_xml(f"<w:outlineLvl {w} w:val='0'/>"))
    doc = load(save_docx(document), "redline.docx", SETTINGS)
    assert doc.text == "Start.\nLiability cap: twice the fees\npaid.\nCustom outline heading"
    assert doc.heading_offsets == [doc.text.index("Custom")]


def docx_with_automatic_numbering() -> bytes:
    """Headings numbered by a multilevel list linked to their styles (1. / 1.1 / (a)), a list
    numbered directly with a restart (i), (ii), bullets, and an empty numbered paragraph."""
    document = docx.Document()
    w = nsdecls("w")
    levels = [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")]
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    lvls = "".join(
        f"<w:lvl w:ilvl='{i}'><w:start w:val='1'/><w:numFmt w:val='{fmt}'/>"
        f"<w:lvlText w:val='{text}'/></w:lvl>"
        for i, (fmt, text) in enumerate(levels)
    )
    for xml in (
        f"<w:abstractNum {w} w:abstractNumId='0'>{lvls}</w:abstractNum>",
        f"<w:abstractNum {w} w:abstractNumId='1'><w:lvl w:ilvl='0'><w:start w:val='1'/>"
        "<w:numFmt w:val='lowerRoman'/><w:lvlText w:val='(%1)'/></w:lvl></w:abstractNum>",
        f"<w:abstractNum {w} w:abstractNumId='2'><w:lvl w:ilvl='0'>"
        "<w:numFmt w:val='bullet'/><w:lvlText w:val='\u2022'/></w:lvl></w:abstractNum>",
        f"<w:num {w} w:numId='1'><w:abstractNumId w:val='0'/></w:num>",
        f"<w:num {w} w:numId='2'><w:abstractNumId w:val='1'/></w:num>",
        f"<w:num {w} w:numId='3'><w:abstractNumId w:val='2'/></w:num>",
    ):
        numbering.append(parse_xml(xml))
    for name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        props = document.styles[name].element.get_or_add_pPr()
        props.append(
            parse_xml(f"<w:numPr {w}><w:ilvl w:val='{ilvl}'/><w:numId w:val='1'/></w:numPr>")
        )

    def numbered(text: str, num_id: int, ilvl: int = 0) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f"<w:numPr {w}><w:ilvl w:val='{ilvl}'/><w:numId w:val='{num_id}'/></w:numPr>")
        )

    document.add_heading("", level=1)  # empty: carries a section break in real templates
    document.add_heading("Services", level=1)
    document.add_heading("Scope. The Supplier provides the services.", level=2)
    document.add_heading("Termination.", level=2)
    numbered("Either party may terminate on notice.", 1, 2)
    numbered("Either party may terminate for breach.", 1, 2)
    document.add_heading("Fees", level=1)
    document.add_heading("Invoices. Invoices are due in thirty days.", level=2)
    numbered("The Customer shall:", 1, 1)
    numbered("pay on time;", 2)
    numbered("keep records.", 2)
    numbered("A bullet point.", 3)
    return save_docx(document)


def test_docx_automatic_numbering_is_rendered_as_word_shows_it() -> None:
    doc = load(docx_with_automatic_numbering(), "numbered.docx", SETTINGS)
    assert doc.text.split("\n") == [
        "1. Services",
        "1.1 Scope. The Supplier provides the services.",
        "1.2 Termination.",
        "(a) Either party may terminate on notice.",
        "(b) Either party may terminate for breach.",
        "2. Fees",  # a higher level resets the ones below it
        "2.1 Invoices. Invoices are due in thirty days.",
        "2.2 The Customer shall:",
        "(i) pay on time;",
        "(ii) keep records.",
        "A bullet point.",
    ]
    # The numbers belong to the clauses a reviewer sees and cites.
    numbers = [s.clause.number for s in extract_clauses(doc.text, [], doc.heading_offsets)]
    assert numbers == ["1.1", "1.2(a)", "(b)", "2.1", "2.2"]  # 2.2 keeps the list it opens


def test_docx_with_broken_list_definitions_loads_without_numbers() -> None:
    document = docx.Document()
    w = nsdecls("w")
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f"<w:num {w} w:numId='77'><w:abstractNumId w:val='999'/></w:num>"))
    numbering.append(
        parse_xml(
            f"<w:abstractNum {w} w:abstractNumId='98'><w:lvl w:ilvl='zz'/>"
            "<w:lvl w:ilvl='0'><w:start w:val='x'/><w:lvlText w:val='%9.%1'/></w:lvl>"
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f"<w:num {w} w:numId='78'><w:abstractNumId w:val='98'/></w:num>"))
    for num_id, ilvl in (("77", "0"), ("78", "12"), ("78", "0")):
        paragraph = document.add_paragraph("Clause text.")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f"<w:numPr {w}><w:ilvl w:val='{ilvl}'/><w:numId w:val='{num_id}'/></w:numPr>")
        )
    doc = load(save_docx(document), "broken-lists.docx", SETTINGS)
    # Unknown list, level out of range: no number; a level above never used shows its start.
    assert doc.text.split("\n") == ["Clause text.", "Clause text.", "1.1 Clause text."]


def test_docx_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(4 << 20)
            for _ in range(75):  # 300 MB of zeros, about 300 KB compressed
                member.write(chunk)
    data = out.getvalue()
    assert len(data) < 1_000_000
    message = assert_error(DocumentTooLarge, data, "bomb.docx")
    assert message == "bomb.docx unpacks to 314.6 MB; the limit is 200 MB"


def test_docx_without_document_xml_is_not_word() -> None:
    workbook = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
    assert "Excel" in assert_error(UnsupportedFileType, workbook, "sheet.docx")
    assert_error(UnsupportedFileType, zip_bytes({"a.txt": b"hi"}), "archive.docx")


def test_broken_docx_is_corrupt() -> None:
    assert_error(CorruptDocument, zip_bytes({"word/document.xml": b"<oops"}), "broken.docx")
    assert_error(CorruptDocument, docx_with_table()[:3000], "cut.docx")
    assert_error(CorruptDocument, b"just some text", "fake.docx")


def test_legacy_doc_and_encrypted_docx() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert ".docx or PDF" in assert_error(UnsupportedFileType, ole, "old.doc")
    assert ".docx or PDF" in assert_error(UnsupportedFileType, ole, "renamed.docx")
    protected = ole + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    assert_error(EncryptedDocument, protected, "locked.docx")


def test_empty_docx() -> None:
    assert_error(EmptyDocument, save_docx(docx.Document()), "blank.docx")


# ---------------------------------------------------------------- mislabelled files


def test_pdf_renamed_docx_is_read_as_pdf() -> None:
    doc = load(make_pdf(["Actually a PDF."]), "contract.docx", SETTINGS)
    assert doc.format == "pdf" and doc.text == "Actually a PDF."
    assert doc.warnings == ["contract.docx is really a PDF"]


def test_docx_renamed_pdf_is_read_as_docx() -> None:
    doc = load(docx_with_table(), "x.pdf", SETTINGS)
    assert doc.format == "docx" and "Evaluating a deal" in doc.text
    assert doc.warnings == ["x.pdf is really a Word document"]


def test_png_renamed_txt() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(8) + b"IHDR" + bytes(40)
    assert "PNG image" in assert_error(UnsupportedFileType, png, "notes.txt")


def test_binary_garbage_named_txt() -> None:
    assert_error(UnsupportedFileType, bytes(range(1, 32)) * 20, "garbage.txt")
    assert_error(UnsupportedFileType, b"text\x00with NUL", "nul.txt")


@pytest.mark.parametrize("filename", ["setup.exe", "scan.png", "book.xlsx", "noext."])
def test_unknown_extensions(filename: str) -> None:
    message = assert_error(UnsupportedFileType, b"MZ\x90\x00", filename)
    assert "PDF" in message and ".docx" in message


# ---------------------------------------------------------------- text and markdown


def test_text_crlf_and_bom() -> None:
    doc = load(b"\xef\xbb\xbfLine one\r\nLine two\r\n", "a.txt", SETTINGS)
    assert doc.format == "txt" and doc.text == "Line one\nLine two"
    assert doc.raw_text == "Line one\r\nLine two\r\n"
    assert doc.source_map[doc.text.index("Line two")] == doc.raw_text.index("Line two")
    assert doc.pages is None and doc.page_starts == [] and doc.warnings == []


def test_text_utf16_and_cp1252() -> None:
    assert load("Über\nall".encode("utf-16"), "u.txt", SETTINGS).text == "Über\nall"
    doc = load(b"Caf\xe9 \x93quoted\x94", "legacy.text", SETTINGS)
    assert doc.text == "Café “quoted”"
    assert doc.warnings == ["legacy.text is not UTF-8; it was read as Windows-1252"]


def test_markdown_headings() -> None:
    raw = "# Title\n\nIntro\n```\n# shell comment\n```\n  ## Section 2\n#hashtag\n"
    doc = load(raw.encode(), "terms.md", SETTINGS)
    assert doc.format == "md"
    heads = [doc.text[o:].split("\n")[0] for o in doc.heading_offsets]
    assert heads == ["# Title", "## Section 2"]


def test_file_without_extension_is_sniffed() -> None:
    assert load(b"Plain words", "README", SETTINGS).format == "txt"
    assert load(make_pdf(["PDF words"]), "upload", SETTINGS).format == "pdf"


# ---------------------------------------------------------------- limits and messages


def test_empty_and_blank_inputs() -> None:
    assert_error(EmptyDocument, b"", "empty.txt")
    assert_error(EmptyDocument, b"", "empty.pdf")
    assert_error(EmptyDocument, b" \r\n\t\n", "blank.md")


def test_size_limits() -> None:
    message = assert_error(DocumentTooLarge, b"a" * 31_200_000, "x.pdf")
    assert message == "x.pdf is 31.2 MB; the limit is 20 MB"
    too_long = assert_error(DocumentTooLarge, b"word " * 30, "long.txt", Settings(max_chars=100))
    assert "100" in too_long


def test_messages_name_the_file_on_one_line() -> None:
    filename = "C:\\Users\\me\\Deal\nfinal.exe"
    message = assert_error(UnsupportedFileType, b"x", filename)
    assert message.startswith("Deal final.exe ")
    assert display_name("") == "the file"
    assert page_list([1, 3, 4, 5, 9]) == "pages 1, 3-5, 9" and page_list([2]) == "page 2"


# ---------------------------------------------------------------- shared eval files


def _eval_files() -> list[Path]:
    if not EVAL_FILES.is_dir():
        pytest.skip(f"../shared/eval not present: {EVAL_FILES} is missing")
    return sorted(p for p in EVAL_FILES.iterdir() if p.suffix in {".pdf", ".docx"})


def test_eval_files_load() -> None:
    files = _eval_files()
    assert files
    for path in files:
        doc = load(path.read_bytes(), path.name, SETTINGS)
        assert doc.text.strip(), path.name
        assert len(doc.source_map) == len(doc.text) + 1
        if path.suffix == ".pdf":
            assert doc.pages and len(doc.page_starts) == doc.pages, path.name
            assert doc.page_starts[0] == 0 and doc.page_starts == sorted(doc.page_starts)
        else:
            assert doc.pages is None and doc.page_starts == []


@pytest.mark.parametrize("stem", ["bonterms-mutual-nda", "common-paper-mutual-nda"])
def test_eval_nda_table_text(stem: str) -> None:
    _eval_files()
    path = EVAL_FILES / f"{stem}.docx"
    doc = load(path.read_bytes(), path.name, SETTINGS)
    cells = [
        normalize(cell.text)[0]
        for table in docx.Document(str(path)).tables
        for row in table.rows
        for cell in row.cells
    ]
    cell_lines = {line for cell in cells for line in cell.split("\n") if line}
    assert len(cell_lines) >= 10
    missing = [line for line in cell_lines if line not in doc.text]
    assert not missing
