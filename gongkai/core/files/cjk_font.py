"""The CJK font of generated PDFs: Noto Serif CJK SC (宋体-like) from Debian's fonts-noto-cjk, cut
down to the characters of one document.

Why a subsetter of our own: embedded whole, the Simplified Chinese face weighs 24 MB per weight
and MuPDF writes every PDF with it (41 MB for a one-page letter); MuPDF's own subsetter
(``Document.subset_fonts``) fails on Noto CJK's CFF ("format error: Index bounds") and leaves the
font whole, and fontTools is not a dependency. So before MuPDF sees the font we build a small
OpenType font holding only the glyphs the text needs: the CFF charstrings of those glyphs with
their subroutines inlined (so no subroutine table is kept), renumbered from 1, with a ``cmap``
for exactly those characters. MuPDF then embeds some tens of kilobytes and writes a ToUnicode
map from that ``cmap``, so the PDF's text stays extractable.

Only CID-keyed CFF fonts (the Noto CJK family, Source Han) are supported; anything else raises
``CJKFontError``. Layout tables (GSUB, GPOS, vertical metrics) are dropped: horizontal Chinese
text needs none of them; what is lost is kerning of Latin pairs, the joined double em dash "——"
and ligatures such as "fi" (a gain for text extraction). Glyphs are otherwise drawn exactly as
the whole face draws them (tested).

Lookup (``find_cjk_font``): ``$GONGKAI_CJK_FONT_DIR`` if set, then the directories where Debian,
Fedora and Arch install the fonts; Serif before Sans; in a collection (``.ttc``) the face whose
family ends in " SC". Missing fonts raise ``CJKFontError`` naming the package to install.

Kept as one module on purpose (over 500 lines): a self-contained OpenType/CFF reader and
writer whose parts nothing else uses.
"""

import functools
import mmap
import os
import struct
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

FONT_DIR_ENV = "GONGKAI_CJK_FONT_DIR"
SEARCH_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/noto-cjk",  # Arch
    "/usr/share/fonts/google-noto-cjk",  # Fedora
    "/usr/share/fonts/google-noto-serif-cjk-fonts",
    "/usr/local/share/fonts",
)
# File names by preference: the serif (宋体-like) face first, the sans face if only it is there.
FILE_NAMES = {
    False: (
        "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJKsc-Regular.otf",
        "NotoSerifSC-Regular.otf",
        "NotoSansCJK-Regular.ttc",
        "NotoSansCJKsc-Regular.otf",
        "NotoSansSC-Regular.otf",
    ),
    True: (
        "NotoSerifCJK-Bold.ttc",
        "NotoSerifCJKsc-Bold.otf",
        "NotoSerifSC-Bold.otf",
        "NotoSansCJK-Bold.ttc",
        "NotoSansCJKsc-Bold.otf",
        "NotoSansSC-Bold.otf",
    ),
}
MAX_SUBR_DEPTH = 10  # the Type 2 charstring limit


class CJKFontError(RuntimeError):
    """No usable CJK font: the message says what to install or what is wrong with the file."""


def find_cjk_font(*, bold: bool = False, dirs: list[str] | None = None) -> Path:
    """The path of the CJK font file to use; a bold request falls back to the regular weight."""
    if dirs is None:
        env = os.environ.get(FONT_DIR_ENV)
        dirs = [env, *SEARCH_DIRS] if env else list(SEARCH_DIRS)
    for weight in (bold, False) if bold else (False,):
        for name in FILE_NAMES[weight]:
            for folder in dirs:
                path = Path(folder) / name
                if path.is_file():
                    return path
    raise CJKFontError(
        "未找到中文字体 Noto Serif CJK / Noto Sans CJK（No CJK font found）。"
        "请安装 Debian 软件包 fonts-noto-cjk（scripts/install-system-deps.sh），"
        f"或将环境变量 {FONT_DIR_ENV} 设为含 {FILE_NAMES[False][0]} 的目录。"
        f"Searched: {', '.join(dirs)}"
    )


@functools.cache
def cjk_face(*, bold: bool = False) -> "FontFace":
    """The installed face, opened once per process (memory-mapped, so workers share the pages)."""
    return FontFace(find_cjk_font(bold=bold))


def cjk_font_subset(text: str, *, bold: bool = False) -> bytes:
    """An OpenType font with the glyphs of ``text`` only (characters the font lacks are left out)."""
    return cjk_face(bold=bold).subset(text)


# ---------------------------------------------------------------- reading the font file


def _u16(buf, pos: int) -> int:
    return struct.unpack_from(">H", buf, pos)[0]


def _u32(buf, pos: int) -> int:
    return struct.unpack_from(">I", buf, pos)[0]


class _Index:
    """A CFF INDEX, read on demand from the buffer."""

    def __init__(self, buf, pos: int) -> None:
        self.buf, self.pos = buf, pos
        self.count = _u16(buf, pos)
        if self.count == 0:
            self.end = pos + 2
            return
        self.off_size = buf[pos + 2]
        self.offsets_at = pos + 3
        self.data_base = pos + 2 + (self.count + 1) * self.off_size
        self.end = self.data_base + self._offset(self.count)

    def _offset(self, i: int) -> int:
        at = self.offsets_at + i * self.off_size
        return int.from_bytes(self.buf[at : at + self.off_size], "big")

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> bytes:
        if not 0 <= i < self.count:
            raise CJKFontError(f"CFF index {i} out of range 0..{self.count - 1}")
        return bytes(self.buf[self.data_base + self._offset(i) : self.data_base + self._offset(i + 1)])

    def raw(self) -> bytes:
        return bytes(self.buf[self.pos : self.end])


@dataclass
class _DictEntry:
    op: int  # escaped operators as 1200 + second byte
    values: list  # numbers; None for a real (its bytes are kept in raw)
    raw: bytes  # operands and operator as found


def _parse_dict(data: bytes) -> list[_DictEntry]:
    entries, values, start, i = [], [], 0, 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op = 1200 + data[i + 1] if b == 12 else b
            i += 2 if b == 12 else 1
            entries.append(_DictEntry(op, values, data[start:i]))
            values, start = [], i
        elif b == 28:
            values.append(struct.unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b == 29:
            values.append(struct.unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b == 30:  # real: nibbles up to an 0xf terminator
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            i += 1
            values.append(None)
        elif 32 <= b <= 246:
            values.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            values.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            values.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise CJKFontError(f"bad CFF DICT byte {b}")
    return entries


def _int5(value: int) -> bytes:
    """A DICT integer in its fixed 5-byte form, so that offsets can be filled in after layout."""
    return b"\x1d" + struct.pack(">i", value)


def _op_bytes(op: int) -> bytes:
    return bytes([12, op - 1200]) if op >= 1200 else bytes([op])


def _index_bytes(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = next(n for n in (1, 2, 3, 4) if offsets[-1] < 1 << (8 * n))
    head = struct.pack(">HB", len(items), size)
    return head + b"".join(o.to_bytes(size, "big") for o in offsets) + b"".join(items)


def _bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


def _checksum(data: bytes) -> int:
    words = array("I", data + b"\0" * (-len(data) % 4))
    if words.itemsize != 4:  # pragma: no cover - array("I") is 4 bytes on every platform we run
        return sum(struct.unpack(f">{len(words)}I", words.tobytes())) & 0xFFFFFFFF
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


class _Flattener:
    """Inlines the subroutine calls of Type 2 charstrings (hint masks need the stem count)."""

    def __init__(self, gsubrs: _Index, lsubrs: _Index | None) -> None:
        self.gsubrs, self.lsubrs = gsubrs, lsubrs
        self.out = bytearray()
        self.args: list[tuple[int | None, int]] = []  # (value, where it starts in out)
        self.stems = 0

    def run(self, code: bytes, depth: int = 0) -> bool:
        """Copies ``code``, returning True once endchar is written."""
        if depth > MAX_SUBR_DEPTH:
            raise CJKFontError("CFF subroutines nested too deep")
        i, out = 0, self.out
        while i < len(code):
            b = code[i]
            if b >= 32 or b == 28:
                if b == 28:
                    size, value = 3, struct.unpack_from(">h", code, i + 1)[0]
                elif b <= 246:
                    size, value = 1, b - 139
                elif b <= 250:
                    size, value = 2, (b - 247) * 256 + code[i + 1] + 108
                elif b <= 254:
                    size, value = 2, -(b - 251) * 256 - code[i + 1] - 108
                else:
                    size, value = 5, None  # 16.16 fixed: never a subroutine number
                self.args.append((value, len(out)))
                out += code[i : i + size]
                i += size
                continue
            if b in (10, 29):  # callsubr, callgsubr: drop the number, copy the subroutine
                subrs = self.lsubrs if b == 10 else self.gsubrs
                if not self.args or self.args[-1][0] is None or subrs is None:
                    raise CJKFontError("CFF subroutine call without a subroutine number")
                number, start = self.args.pop()
                del out[start:]
                if self.run(subrs[number + _bias(len(subrs))], depth + 1):
                    return True
                i += 1
                continue
            if b == 11:  # return
                return False
            if b == 14:  # endchar
                out.append(14)
                return True
            if b in (1, 3, 18, 23):  # hstem, vstem, hstemhm, vstemhm
                self.stems += len(self.args) // 2
            elif b in (19, 20):  # hintmask, cntrmask: implicit vstems, then the mask bytes
                self.stems += len(self.args) // 2
                mask = (self.stems + 7) // 8
                out += code[i : i + 1 + mask]
                i += 1 + mask
                self.args.clear()
                continue
            elif b == 12 and code[i + 1] < 34 and code[i + 1] not in (0, 1, 2):
                raise CJKFontError("CFF charstring arithmetic operators are not supported")
            size = 2 if b == 12 else 1
            out += code[i : i + size]
            i += size
            self.args.clear()
        return False


class FontFace:
    """One face of an OpenType file or collection, with what subsetting needs parsed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            self.buf = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        self.tables = self._pick_face()
        self.family = self._family(self.tables)
        if "CFF " not in self.tables:
            raise CJKFontError(f"{path}: not a CFF-based OpenType font")
        self._read_cff()
        self._read_cmap()
        self.num_hmetrics = _u16(self.tables["hhea"], 34)

    # -- the face inside a collection

    def _table_records(self, at: int) -> dict[str, memoryview]:
        count = _u16(self.buf, at + 4)
        records = {}
        for i in range(count):
            tag, _sum, offset, length = struct.unpack_from(">4sIII", self.buf, at + 12 + 16 * i)
            records[tag.decode("latin-1")] = self.buf[offset : offset + length]
        return records

    def _pick_face(self) -> dict[str, memoryview]:
        if bytes(self.buf[:4]) != b"ttcf":
            return self._table_records(0)
        count = _u32(self.buf, 8)
        faces = [self._table_records(_u32(self.buf, 12 + 4 * i)) for i in range(count)]
        # Simplified Chinese glyph forms (e.g. of 门, 说) come from the SC face.
        return next((f for f in faces if self._family(f).endswith(" SC")), faces[0])

    @staticmethod
    def _family(tables: dict[str, memoryview]) -> str:
        name = tables.get("name")
        if name is None:
            return ""
        count, strings = _u16(name, 2), _u16(name, 4)
        found = {}
        for i in range(count):
            platform, _enc, lang, name_id, length, offset = struct.unpack_from(">6H", name, 6 + 12 * i)
            if platform == 3 and name_id in (1, 16) and lang == 0x409:
                raw = bytes(name[strings + offset : strings + offset + length])
                found[name_id] = raw.decode("utf-16-be", "replace")
        return found.get(16) or found.get(1, "")

    # -- CFF

    def _read_cff(self) -> None:
        cff = self.cff = self.tables["CFF "]
        self.names = _Index(cff, cff[2])
        top_index = _Index(cff, self.names.end)
        self.strings = _Index(cff, top_index.end)
        self.gsubrs = _Index(cff, self.strings.end)
        self.top = _parse_dict(top_index[0])
        top = {e.op: e.values for e in self.top}
        if 1230 not in top or 1236 not in top or 1237 not in top:
            raise CJKFontError(f"{self.path}: only CID-keyed CFF fonts are supported")
        self.charstrings = _Index(cff, top[17][0])
        self.fd_dicts = []
        self.lsubrs: list[_Index | None] = []
        fdarray = _Index(cff, top[1236][0])
        for i in range(len(fdarray)):
            font_dict = _parse_dict(fdarray[i])
            size, offset = next(e.values for e in font_dict if e.op == 18)
            private = _parse_dict(bytes(cff[offset : offset + size]))
            subrs = next((e.values[0] for e in private if e.op == 19), None)
            self.fd_dicts.append((font_dict, private))
            self.lsubrs.append(_Index(cff, offset + subrs) if subrs is not None else None)
        self._read_fdselect(top[1237][0])

    def _read_fdselect(self, at: int) -> None:
        fmt, cff = self.cff[at], self.cff
        if fmt == 0:
            self.fd_firsts = list(range(len(self.charstrings)))
            self.fd_values = list(cff[at + 1 : at + 1 + len(self.charstrings)])
        elif fmt == 3:
            ranges = _u16(cff, at + 1)
            self.fd_firsts = [_u16(cff, at + 3 + 3 * i) for i in range(ranges)]
            self.fd_values = [cff[at + 5 + 3 * i] for i in range(ranges)]
        else:
            raise CJKFontError(f"{self.path}: FDSelect format {fmt} is not supported")

    def fd_of(self, gid: int) -> int:
        return self.fd_values[bisect_right(self.fd_firsts, gid) - 1]

    def flat_charstring(self, gid: int) -> bytes:
        flattener = _Flattener(self.gsubrs, self.lsubrs[self.fd_of(gid)])
        flattener.run(self.charstrings[gid])
        return bytes(flattener.out)

    # -- cmap (format 12 for all of Unicode, else format 4)

    def _read_cmap(self) -> None:
        cmap = self.tables["cmap"]
        subtables = {}
        for i in range(_u16(cmap, 2)):
            platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
            subtables[(platform, encoding, _u16(cmap, offset))] = offset
        if (at := subtables.get((3, 10, 12)) or subtables.get((0, 4, 12))) is not None:
            groups = _u32(cmap, at + 12)
            self._cmap_starts = [_u32(cmap, at + 16 + 12 * i) for i in range(groups)]
            self._cmap_at = at + 16
            self._cmap_format = 12
        elif (at := subtables.get((3, 1, 4))) is not None:
            self._cmap_at, self._cmap_format = at, 4
        else:
            raise CJKFontError(f"{self.path}: no Unicode cmap")

    def glyph_of(self, char: str) -> int:
        """The glyph id of ``char``, 0 when the font has none."""
        code, cmap = ord(char), self.tables["cmap"]
        if self._cmap_format == 12:
            i = bisect_right(self._cmap_starts, code) - 1
            if i < 0:
                return 0
            start, end, glyph = struct.unpack_from(">III", cmap, self._cmap_at + 12 * i)
            return glyph + code - start if code <= end else 0
        at = self._cmap_at
        segs = _u16(cmap, at + 6) // 2
        ends, starts = at + 14, at + 16 + 2 * segs
        deltas, ranges = starts + 2 * segs, starts + 4 * segs
        for s in range(segs):
            if code <= _u16(cmap, ends + 2 * s):
                if code < _u16(cmap, starts + 2 * s):
                    return 0
                offset = _u16(cmap, ranges + 2 * s)
                if offset == 0:
                    return (code + _u16(cmap, deltas + 2 * s)) & 0xFFFF
                glyph = _u16(cmap, ranges + 2 * s + offset + 2 * (code - _u16(cmap, starts + 2 * s)))
                return (glyph + _u16(cmap, deltas + 2 * s)) & 0xFFFF if glyph else 0
        return 0

    def metrics_of(self, gid: int) -> bytes:
        """The glyph's hmtx entry (advance width and left side bearing)."""
        hmtx, last = self.tables["hmtx"], self.num_hmetrics - 1
        if gid <= last:
            return bytes(hmtx[4 * gid : 4 * gid + 4])
        lsb_at = 4 * self.num_hmetrics + 2 * (gid - self.num_hmetrics)
        return bytes(hmtx[4 * last : 4 * last + 2]) + bytes(hmtx[lsb_at : lsb_at + 2])

    # -- the subset

    def subset(self, text: str) -> bytes:
        chars = {}
        for char in set(text) | {" "}:
            # control characters and lone surrogates have no glyph to draw
            gid = self.glyph_of(char) if " " <= char != "\x7f" and not "\ud800" <= char <= "\udfff" else 0
            if gid:
                chars[ord(char)] = gid
        old_gids = [0, *sorted(set(chars.values()))]
        new_gid = {old: new for new, old in enumerate(old_gids)}
        cmap = {code: new_gid[gid] for code, gid in chars.items()}
        tables = {
            "CFF ": self._subset_cff(old_gids),
            "cmap": _cmap_table(cmap),
            "hmtx": b"".join(self.metrics_of(g) for g in old_gids),
            "head": bytearray(self.tables["head"]),
            "hhea": bytearray(self.tables["hhea"]),
            "maxp": bytearray(self.tables["maxp"]),
            "OS/2": bytes(self.tables["OS/2"]),
            "name": bytes(self.tables["name"]),
            "post": bytearray(self.tables["post"][:32]),
        }
        struct.pack_into(">I", tables["post"], 0, 0x00030000)  # version 3: no glyph names
        struct.pack_into(">I", tables["head"], 8, 0)  # checkSumAdjustment, set below
        struct.pack_into(">H", tables["hhea"], 34, len(old_gids))  # numberOfHMetrics
        struct.pack_into(">H", tables["maxp"], 4, len(old_gids))  # numGlyphs
        return _sfnt({tag: bytes(data) for tag, data in tables.items()})

    def _subset_cff(self, old_gids: list[int]) -> bytes:
        charstrings = _index_bytes([self.flat_charstring(g) for g in old_gids])
        # Identity charset (CID n is glyph n) and FDSelect in format 0, both for the new numbering.
        n = len(old_gids)
        charset = bytes([2]) + struct.pack(">HH", 1, n - 2) if n > 1 else b"\x00"
        fdselect = bytes([0]) + bytes(self.fd_of(g) for g in old_gids)
        privates = [b"".join(e.raw for e in private if e.op != 19) for _f, private in self.fd_dicts]

        def top_dict(offsets: dict[int, int]) -> bytes:
            parts = []
            for e in self.top:
                if e.op in offsets:
                    parts.append(_int5(offsets[e.op]) + _op_bytes(e.op))
                elif e.op == 1234:  # CIDCount
                    parts.append(_int5(n) + _op_bytes(e.op))
                else:
                    parts.append(e.raw)
            present = {e.op for e in self.top}
            parts += [_int5(v) + _op_bytes(op) for op, v in offsets.items() if op not in present]
            return b"".join(parts)

        def fdarray(private_at: int) -> bytes:
            dicts = []
            for (font_dict, _p), private in zip(self.fd_dicts, privates, strict=True):
                parts = []
                for e in font_dict:
                    if e.op == 18:
                        parts.append(_int5(len(private)) + _int5(private_at) + _op_bytes(18))
                        private_at += len(private)
                    else:
                        parts.append(e.raw)
                dicts.append(b"".join(parts))
            return _index_bytes(dicts)

        header = bytes([1, 0, 4, 4])
        names, strings = self.names.raw(), self.strings.raw()
        gsubrs = b"\x00\x00"  # every call is inlined
        offset_ops = (15, 17, 1236, 1237)
        top_size = len(_index_bytes([top_dict(dict.fromkeys(offset_ops, 0))]))
        at = len(header) + len(names) + top_size + len(strings) + len(gsubrs)
        offsets = {15: at, 1237: at + len(charset)}
        offsets[17] = offsets[1237] + len(fdselect)
        offsets[1236] = offsets[17] + len(charstrings)
        fd_size = len(fdarray(0))
        fds = fdarray(offsets[1236] + fd_size)
        parts = [header, names, _index_bytes([top_dict(offsets)]), strings, gsubrs]
        parts += [charset, fdselect, charstrings, fds, *privates]
        return b"".join(parts)


def _cmap_table(cmap: dict[int, int]) -> bytes:
    """A cmap with a format 4 (BMP) and a format 12 (all of Unicode) subtable, one entry a code."""
    bmp = sorted(c for c in cmap if c < 0xFFFF)
    if len(bmp) > 8000:  # a format 4 table is limited to 64 KB; format 12 alone will do
        bmp = []
    segs = len(bmp) + 1
    ends = [*bmp, 0xFFFF]
    deltas = [(cmap[c] - c) & 0xFFFF for c in bmp] + [1]
    power = 1 << (segs.bit_length() - 1)
    body = struct.pack(">4H", segs * 2, power * 2, power.bit_length() - 1, segs * 2 - power * 2)
    body += struct.pack(f">{segs}H", *ends) + b"\0\0" + struct.pack(f">{segs}H", *ends)
    body += struct.pack(f">{segs}H", *deltas) + struct.pack(f">{segs}H", *([0] * segs))
    fmt4 = struct.pack(">3H", 4, 6 + len(body), 0) + body
    groups = sorted(cmap.items())
    fmt12 = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    fmt12 += b"".join(struct.pack(">III", c, c, g) for c, g in groups)
    head = (
        struct.pack(">HH", 0, 2) + struct.pack(">HHI", 3, 1, 20) + struct.pack(">HHI", 3, 10, 20 + len(fmt4))
    )
    return head + fmt4 + fmt12


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """An OpenType file of the given tables (sorted directory, aligned data, checksums)."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    directory = [
        struct.pack(">4sHHHH", b"OTTO", count, power * 16, power.bit_length() - 1, (count - power) * 16)
    ]
    data, at = [], 12 + 16 * count
    for tag in tags:
        table = tables[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), _checksum(table), at, len(table)))
        padded = table + b"\0" * (-len(table) % 4)
        data.append(padded)
        at += len(padded)
    font = bytearray(b"".join(directory) + b"".join(data))
    head_at = 12 + 16 * count + sum(len(d) for d in data[: tags.index("head")])
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
