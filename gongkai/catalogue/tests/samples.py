"""Small sample files built in memory for the attachment tests (no binary blobs in the repo)."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

OFD_NS = "http://www.ofdspec.org/2016"


def _name(value: str) -> NameObject:
    return NameObject(value)


def make_pdf(*lines: str, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """A one-page PDF whose text (CJK included) pypdf can extract: a Type0 font with Identity-H
    encoding and a ToUnicode map from the glyph ids used to the characters."""
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    cmap = DecodedStreamObject()
    cmap.set_data(
        (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{len(chars)} beginbfchar\n"
            + "".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>\n" for ch in chars)
            + "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode()
    )
    descendant = DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/CIDFontType0"),
            _name("/BaseFont"): _name("/STSong-Light"),
            _name("/DW"): NumberObject(1000),
        }
    )
    font = DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type0"),
            _name("/BaseFont"): _name("/STSong-Light"),
            _name("/Encoding"): _name("/Identity-H"),
            _name("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
            _name("/ToUnicode"): writer._add_object(cmap),
        }
    )
    page[_name("/Resources")] = DictionaryObject(
        {_name("/Font"): DictionaryObject({_name("/F1"): writer._add_object(font)})}
    )
    ops = ["BT", "/F1 12 Tf", "50 800 Td", "14 TL"]
    ops += ["<" + "".join(f"{cid[ch]:04X}" for ch in line) + "> Tj T*" for line in lines]
    ops.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode())
    page[_name("/Contents")] = writer._add_object(content)
    if user_password is not None or owner_password is not None:
        # RC4 needs no extra crypto library (pypdf's fallback provider handles it).
        writer.encrypt(user_password=user_password or "", owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_ofd(*pages: list[str]) -> bytes:
    """An OFD package (GB/T 33190-2016): OFD.xml → Doc_0/Document.xml → one Content.xml per
    page, each line a TextObject split into two TextCode runs as real producers do."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
            f"<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages>"
            "</ofd:Document>",
        )
        for i, lines in enumerate(pages):
            objects = "".join(
                f'<ofd:TextObject ID="{10 + n}" Boundary="0 0 100 10" Font="1" Size="3.5">'
                f'<ofd:TextCode X="0" Y="3">{line[: len(line) // 2]}</ofd:TextCode>'
                f'<ofd:TextCode X="20" Y="3">{line[len(line) // 2 :]}</ofd:TextCode></ofd:TextObject>'
                for n, line in enumerate(lines)
            )
            zf.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return out.getvalue()


def make_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG header (signature and IHDR chunk) followed by an empty IDAT and IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def make_jpeg(width: int = 4, height: int = 3) -> bytes:
    """JPEG markers up to the frame header (SOF0), enough to judge type and size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def make_ole2(stream_name: str) -> bytes:
    """The start of a compound file (DOC/XLS) naming one stream in its directory."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    entry = stream_name.encode("utf-16-le") + b"\x00\x00"
    return header + entry.ljust(128, b"\x00") + b"\x00" * 384


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def make_zip_bomb(*, member_bytes: int, members: int = 1) -> bytes:
    """A DOCX-shaped zip whose media members inflate to ``member_bytes`` of zeros each."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
        block = b"\x00" * (1024 * 1024)
        for i in range(members):
            with zf.open(f"word/media/image{i}.bin", "w", force_zip64=True) as member:
                remaining = member_bytes
                while remaining > 0:
                    member.write(block[: min(remaining, len(block))])
                    remaining -= len(block)
    return out.getvalue()
