"""Read a redlined .docx the way Word's "Reject all" / "Accept all" would, from its XML: a check
of the redline that does not reuse the code that wrote it."""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def part(data: bytes, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def _with_document(data: bytes, root: etree._Element) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = etree.tostring(root, xml_declaration=True, standalone=True)
            dst.writestr(item, content)
    return out.getvalue()


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    at = parent.index(element)
    for child in list(element):
        parent.insert(at, child)
        at += 1
    parent.remove(element)


def reject_all(data: bytes) -> bytes:
    root = part(data)
    for p in root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS):
        p.getparent().remove(p)  # an inserted paragraph goes entirely
    for ins in root.xpath("//w:ins", namespaces=NS):
        ins.getparent().remove(ins)
    for deleted in root.xpath("//w:delText", namespaces=NS):
        deleted.tag = f"{{{W}}}t"
    for wrapper in root.xpath("//w:del", namespaces=NS):
        _unwrap(wrapper)
    return _with_document(data, root)


def accept_all(data: bytes) -> bytes:
    root = part(data)
    for wrapper in root.xpath("//w:del", namespaces=NS):
        wrapper.getparent().remove(wrapper)
    for mark in root.xpath("//w:pPr/w:rPr/w:ins", namespaces=NS):
        mark.getparent().remove(mark)
    for wrapper in root.xpath("//w:ins", namespaces=NS):
        _unwrap(wrapper)
    return _with_document(data, root)


def changes(data: bytes) -> tuple[list[etree._Element], list[etree._Element]]:
    """The tracked deletions and the tracked insertions of text (not paragraph marks)."""
    root = part(data)
    dels = root.xpath("//w:del", namespaces=NS)
    ins = root.xpath("//w:ins[w:r]", namespaces=NS)
    return dels, ins


def comments(data: bytes) -> list[str]:
    """The text of each comment, in order."""
    root = part(data, "word/comments.xml")
    return [
        "\n".join(c.xpath(".//w:t/text()", namespaces=NS)) for c in root.findall(f"{{{W}}}comment")
    ]
