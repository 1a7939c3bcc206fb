"""What the rush posts, shared by the locust scenario and the in-process measurement."""

# The 附件2 scale section as the autosave posts it (text, as a browser sends it).
SCALE = {
    "team_size": "20",
    "team_college_count": "18",
    "mentor_count": "25",
    "floor_area": "12000",
    "public_area": "3500",
    "angel_fund": "5000",
    "resident_projects": "46",
    "resident_enterprises": "38",
    "events_held": "61",
}


def _pdf_bytes() -> bytes:
    """A minimal one-page PDF with a correct cross-reference table, enough for the server's checks."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = _pdf_bytes()
