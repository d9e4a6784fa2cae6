"""Small PDFs built by hand, with and without actions that run code, for the upload checks."""
from __future__ import annotations

import struct
import zlib

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def pdf(catalog_extra: bytes = b"", page: bytes = PAGE, extra: dict[int, bytes] | None = None,
        compressed: dict[int, bytes] | None = None) -> bytes:
    """Catalog 1, pages 2, page 3, then ``extra`` objects; ``compressed`` objects go into an object stream (PDF 1.5),
    where their text is deflated and only a reader that follows the cross-reference stream finds them."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: page, **(extra or {})}
    compressed = compressed or {}
    output = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(output)
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max([*objects, *compressed]) + 1
    if not compressed:
        xref = len(output)
        output += b"xref\n0 %d\n0000000000 65535 f \n" % size
        output += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                           for n in range(1, size))
        output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        return bytes(output)
    stream_number, xref_number = size, size + 1
    header, bodies = b"", b""
    for number, body in sorted(compressed.items()):
        header += b"%d %d " % (number, len(bodies))
        bodies += body + b"\n"
    data = zlib.compress(header + bodies)
    offsets[stream_number] = len(output)
    output += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
               % (stream_number, len(compressed), len(header), len(data))) + data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(output)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in compressed:
            rows += struct.pack(">BIH", 2, stream_number, sorted(compressed).index(number))
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    output += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
               % (xref_number, xref_number + 1, len(rows))) + rows + b"\nendstream\nendobj\n"
    output += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(output)


ALERT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"

RUNS_CODE = {
    "open-action": pdf(b"/OpenAction 4 0 R ", extra={4: ALERT}),
    "names-tree": pdf(b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >> ", extra={4: ALERT}),
    "page-action": pdf(page=PAGE[:-2] + b"/AA << /O 4 0 R >> >>", extra={4: ALERT}),
    "link-launch": pdf(page=PAGE[:-2] + b"/Annots [4 0 R] >>", extra={
        4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S /Launch /F (cmd.exe) >> >>"}),
    "escaped-name": pdf(b"/OpenAction << /S /J#61vaScript /JS (app.alert\\(1\\)) >> "),
    "object-stream": pdf(b"/OpenAction 4 0 R ", compressed={4: ALERT}),
}
PLAIN = {"classic": pdf(), "object-stream": pdf(b"/PageMode /UseNone /OpenAction 4 0 R ",
                                               compressed={4: b"[3 0 R /Fit]"})}
