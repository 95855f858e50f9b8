"""Damaged PDFs: whether a file needed repair to be read, and which pages' text may be incomplete.

PDF readers are built to show something whatever they are given: pdfium rebuilds a broken cross-
reference table and decodes a corrupted compressed stream up to where it breaks, without a word.
A gazette with a flipped byte then loses a page's tasks silently. This check opens the file with
qpdf (pikepdf), which reports the repairs it had to make, and decodes every Flate stream with
zlib's checksum verified (qpdf does not verify it), so that damage is said — naming the pages
whose content, fonts or images use a damaged stream — and ``--strict`` can refuse the file.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zlib
from dataclasses import dataclass, field

# Filters whose decoding is checked here; a stream with any other (images: DCT, JPX, CCITT) is not.
_CHECKED = {"/FlateDecode", "/Fl", "/ASCII85Decode", "/A85", "/ASCIIHexDecode", "/AHx"}
# qpdf's prefix naming the file (here an in-memory stream) and where: "stream <…> (object 12 0, offset 345): "
_WHERE = re.compile(r"^(?:stream\s+)?<_io\.BytesIO object at 0x[0-9a-f]+>,?\s*(?:\([^)]*\):\s*)?")


@dataclass(frozen=True, slots=True)
class PdfDamage:
    """What the check found: qpdf's repair notes, and the pages (1-based) using a damaged stream."""

    repairs: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    streams: int = 0  # damaged streams, in use by a page or not

    @property
    def damaged(self) -> bool:
        return bool(self.repairs or self.streams)

    def describe(self) -> str:
        said = []
        if self.repairs:
            said.append(f"its structure needed repair ({_first(self.repairs)}"
                        + (f", and {len(self.repairs) - 1} more" if len(self.repairs) > 1 else "") + ")")
        if self.streams:
            said.append(f"{self.streams} compressed stream(s) fail their checksum")
        where = (f"; the text of page(s) {_pages(self.pages)} may be incomplete" if self.pages
                 else "; the text may be incomplete")
        return "the PDF is damaged: " + " and ".join(said) + where


def _first(notes: list[str]) -> str:
    return _WHERE.sub("", notes[0])[:100]


def _pages(pages: list[int]) -> str:
    return ", ".join(map(str, pages[:12])) + (f" … ({len(pages)} pages)" if len(pages) > 12 else "")


def check_pdf(data: bytes) -> PdfDamage | None:
    """The damage found in ``data``; None when pikepdf is not installed or cannot open the file
    at all (the reader then reports what it can)."""
    try:
        import pikepdf
    except ImportError:
        return None
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError):
        return None
    with pdf:
        unchecked = None
        bad: set[tuple[int, int]] = set()
        checked: set[tuple[int, int]] = set()
        pages = []
        try:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.objgen not in checked:
                    checked.add(obj.objgen)
                    if not _decodes(obj, pikepdf):
                        bad.add(obj.objgen)
            if bad:
                for number, page in enumerate(pdf.pages, 1):
                    if _uses(page.obj, bad, pikepdf, set()):
                        pages.append(number)
        except Exception as error:  # qpdf's repaired objects can be malformed in ways its API rejects
            unchecked = f"its objects could not all be checked ({type(error).__name__})"
        # qpdf's notes from opening the file and from reading its objects (a broken stream length…)
        repairs = [str(w) for w in pdf.get_warnings()] + ([unchecked] if unchecked else [])
    return PdfDamage(repairs, pages, len(bad))


def _decodes(stream, pikepdf) -> bool:
    """Whether the stream's filters decode its bytes cleanly (checksums included)."""
    filters = stream.get("/Filter")
    if filters is None:
        return True
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if not names or any(n not in _CHECKED for n in names):
        return True
    try:
        data = stream.read_raw_bytes()
        for name in names:
            if name in ("/ASCII85Decode", "/A85"):
                data = data.strip()
                data = base64.a85decode(data[:-2] if data.endswith(b"~>") else data, ignorechars=b" \t\r\n\f\0")
            elif name in ("/ASCIIHexDecode", "/AHx"):
                hexed = re.sub(rb"\s", b"", data).rstrip(b">")
                data = binascii.unhexlify(hexed + b"0" * (len(hexed) % 2))
            else:
                data = zlib.decompress(data)
    except Exception:  # zlib.error, binascii.Error, ValueError, pikepdf.PdfError: the stream does not decode
        return False
    return True


def _uses(obj, bad: set[tuple[int, int]], pikepdf, seen: set[tuple[int, int]]) -> bool:
    """Whether ``obj`` (a page, and what it refers to: contents, fonts, images) reaches a bad stream."""
    if isinstance(obj, pikepdf.Array):
        return any(_uses(item, bad, pikepdf, seen) for item in obj)
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return False
    if obj.is_indirect:
        if obj.objgen in seen:
            return False
        seen.add(obj.objgen)
        if obj.objgen in bad:
            return True
    for key in obj.keys():
        if key in ("/Parent", "/Annots", "/P", "/B", "/Thumb"):
            continue  # the page tree and links point back up: not what the page draws
        if _uses(obj.get(key), bad, pikepdf, seen):
            return True
    return False
