"""One PDF per application version: cover, table of contents, 附件2–5 each followed by its sealed
scan (附件4 signed by the applicant, 附件5 by the supervisor), then every other uploaded file,
numbered 第 n 页 / 共 N 页 throughout. Every page is A4: images are placed on an A4 page, uploaded
PDF pages of another size (US Letter, odd scans) are scaled onto A4 of their own orientation. A
draft's uploaded pages carry the 草稿 mark as its generated ones do.

Page numbers are stamped last, by merging a generated overlay onto each page, because the uploaded
PDFs come with pages of any size and their own content: an overlay is the one method that works
for every page without re-rendering it."""

import hashlib
import io
from collections.abc import Callable

from . import render_pdf
from .models import Kind
from .stamp import Stamp

A4_POINTS = (595.28, 841.89)
IMAGE_DPI = 150
A4_PIXELS = (round(8.27 * IMAGE_DPI), round(11.69 * IMAGE_DPI))
IMAGE_MARGIN = 90

GENERATED = [
    (Kind.BASIC_INFO, "附件2 专业化众创空间基础信息表"),
    (Kind.REPORT, "附件3 国家专业化众创空间备案申报书"),
    (Kind.COMMITMENT_APPLICANT, "附件4 申报单位信用承诺书"),
    (Kind.COMMITMENT_SUPERVISOR, "附件5 主管部门信用承诺书"),
]
# The sealed originals, bound after the generated document they are the paper twin of.
SEALED_AFTER = {
    Kind.COMMITMENT_APPLICANT: ("applicant_commitment", "附件4 申报单位信用承诺书（签字盖章扫描件）"),
    Kind.COMMITMENT_SUPERVISOR: ("supervisor_commitment", "附件5 主管部门信用承诺书（盖章扫描件）"),
}


def image_to_pdf(raw: bytes) -> bytes:
    """An uploaded image as one A4 page, scaled to fit inside the margins, never enlarged."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(raw)) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        box = (A4_PIXELS[0] - 2 * IMAGE_MARGIN, A4_PIXELS[1] - 2 * IMAGE_MARGIN)
        image.thumbnail(box)
        page = Image.new("RGB", A4_PIXELS, "white")
        page.paste(image, ((A4_PIXELS[0] - image.width) // 2, (A4_PIXELS[1] - image.height) // 2))
        buffer = io.BytesIO()
        page.save(buffer, format="PDF", resolution=IMAGE_DPI)
    return buffer.getvalue()


def _attachment_pdf(attachment, recorded: dict) -> bytes:
    """The pages of one uploaded file, or a page that says why it could not be bound in."""
    from pypdf import PdfReader

    title = recorded["title"]
    try:
        with attachment.file.open("rb") as handle:
            raw = handle.read()
    except OSError:
        return render_pdf.notice_page(
            title, ["该文件在存储中缺失，无法合订。", f"SHA-256：{recorded['sha256']}"]
        )
    if hashlib.sha256(raw).hexdigest() != recorded["sha256"]:
        return render_pdf.notice_page(
            title,
            [
                "该文件与提交时记录的校验值不一致，未予合订，请联系系统管理员。",
                f"应为 SHA-256：{recorded['sha256']}",
            ],
        )
    if recorded["content_type"] == "application/pdf":
        try:
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                reader.decrypt("")
            len(reader.pages)
        except Exception as error:  # a damaged or protected PDF must not stop the whole package
            return render_pdf.notice_page(title, [f"该PDF无法读取（{type(error).__name__}），未予合订。"])
        return raw
    return image_to_pdf(raw)


def build_package(
    data: dict,
    stamp: Stamp | None,
    *,
    draft: bool = False,
    attachments: dict | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Assemble the package of one version (`data` from content.application_content).

    `attachments` maps an attachment id to its Attachment row (the files of the version)."""
    from pypdf import PdfReader, PdfWriter

    report = progress or (lambda percent: None)
    attachments = attachments or {}
    recorded_files = data["attachments"] + data.get("sealed_scans", [])
    sealed_kinds = {kind for kind, _ in SEALED_AFTER.values()}
    # (title, pdf, uploaded): uploaded pages are fitted to A4 and, in a draft, marked 草稿.
    parts: list[tuple[str, bytes, bool]] = []
    steps = len(GENERATED) + len(recorded_files) + 2
    done = 0

    def upload(recorded: dict, title: str) -> None:
        nonlocal done
        attachment = attachments.get(recorded["id"])
        if attachment is None:
            pdf = render_pdf.notice_page(title, ["该文件未找到，无法合订。"])
        else:
            pdf = _attachment_pdf(attachment, {**recorded, "title": title})
        parts.append((title, pdf, True))
        done += 1
        report(done * 90 // steps)

    for kind, title in GENERATED:
        render = getattr(render_pdf, kind)
        parts.append((title, render(data, stamp, draft=draft, page_numbers=False), False))
        done += 1
        report(done * 90 // steps)
        if kind in SEALED_AFTER:
            sealed_kind, sealed_title = SEALED_AFTER[kind]
            for recorded in recorded_files:
                if recorded["kind"] == sealed_kind:
                    upload(recorded, sealed_title)
    # Listed by the title the applicant gave them: the original file name means nothing on paper.
    for recorded in data["attachments"]:
        if recorded["kind"] not in sealed_kinds:
            upload(recorded, recorded["title"])

    readers = [
        (
            title,
            _fitted_to_a4(PdfReader(io.BytesIO(pdf))) if uploaded else PdfReader(io.BytesIO(pdf)),
            uploaded,
        )
        for title, pdf, uploaded in parts
    ]
    cover = [
        ("众创空间名称", data["space"]),
        ("运营主体", data["organisation"]["name"]),
        ("申报编号", data["number"]),
        ("版本", f"第{data['version']}版" if data["version"] else "草稿（未提交）"),
        ("主管部门", data["supervisor"]),
        ("推荐单位", data["recommending_unit"]),
    ]
    # The front matter's own length decides where everything after it starts: render it once to
    # learn its length, then again with the real page numbers (the numbers do not change its length).
    front_pages = len(
        PdfReader(
            io.BytesIO(render_pdf.package_front(cover, [(t, 0) for t, _, _ in parts], stamp, draft))
        ).pages
    )
    toc, start = [], front_pages + 1
    uploaded_pages: set[int] = set()
    for title, reader, uploaded in readers:
        toc.append((title, start))
        if uploaded:
            uploaded_pages.update(range(start, start + len(reader.pages)))
        start += len(reader.pages)
    front = PdfReader(io.BytesIO(render_pdf.package_front(cover, toc, stamp, draft)))

    writer = PdfWriter()
    writer.append(front, import_outline=False)
    for (title, reader, _), (_, first_page) in zip(readers, toc, strict=True):
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=title, page_number=first_page - 1)
    done += 1
    report(done * 90 // steps)
    total = len(writer.pages)
    _number_pages(writer, total, draft_pages=uploaded_pages if draft else set())
    writer.add_metadata(
        {"/Title": f"{data['number']} {data['space']} 申报材料", "/Producer": "专业化众创空间备案推荐系统"}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    report(100)
    return buffer.getvalue()


def _fitted_to_a4(reader):
    """The reader's pages scaled (never enlarged past A4) and centred onto A4 of their own
    orientation, so a US Letter or oddly sized scan prints on the A4 the package is bound in."""
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        target = A4_POINTS if height >= width else (A4_POINTS[1], A4_POINTS[0])
        if abs(width - target[0]) < 1 and abs(height - target[1]) < 1:
            continue
        scale = min(target[0] / width, target[1] / height)
        dx = (target[0] - width * scale) / 2 - float(box.left) * scale
        dy = (target[1] - height * scale) / 2 - float(box.bottom) * scale
        page.add_transformation(Transformation().scale(scale, scale).translate(dx, dy))
        page.mediabox = RectangleObject([0, 0, *target])
        page.cropbox = RectangleObject([0, 0, *target])
        page.trimbox = RectangleObject([0, 0, *target])
    return writer


def _number_pages(writer, total: int, *, draft_pages: set[int]) -> None:
    from pypdf import PdfReader, Transformation

    overlay = PdfReader(
        io.BytesIO(
            render_pdf.page_number_overlay(
                [(f"第 {n} 页 / 共 {total} 页", n in draft_pages) for n in range(1, total + 1)]
            )
        )
    )
    for page, number_page in zip(writer.pages, overlay.pages, strict=True):
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, left, bottom = float(box.width), float(box.left), float(box.bottom)
        # Centre the A4 overlay's footer line on pages of any size (scans are often Letter or odd).
        dx = left + (width - A4_POINTS[0]) / 2
        page.merge_transformed_page(number_page, Transformation().translate(dx, bottom))
