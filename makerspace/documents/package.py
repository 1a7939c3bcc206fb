"""One PDF per application version: cover, table of contents, 附件2–5, then every uploaded file
(images become A4 pages, PDFs are appended), numbered 第 n 页 / 共 N 页 throughout.

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
    parts: list[tuple[str, bytes]] = []
    steps = len(GENERATED) + len(data["attachments"]) + 2
    done = 0
    for kind, title in GENERATED:
        render = getattr(render_pdf, kind)
        parts.append((title, render(data, stamp, draft=draft, page_numbers=False)))
        done += 1
        report(done * 90 // steps)
    attachments = attachments or {}
    for recorded in data["attachments"]:
        attachment = attachments.get(recorded["id"])
        if attachment is None:
            pdf = render_pdf.notice_page(recorded["title"], ["该文件未找到，无法合订。"])
        else:
            pdf = _attachment_pdf(attachment, recorded)
        parts.append((f"{recorded['title']}（{recorded['original_name']}）", pdf))
        done += 1
        report(done * 90 // steps)

    readers = [(title, PdfReader(io.BytesIO(pdf))) for title, pdf in parts]
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
        PdfReader(io.BytesIO(render_pdf.package_front(cover, [(t, 0) for t, _ in parts], stamp, draft))).pages
    )
    toc, start = [], front_pages + 1
    for title, reader in readers:
        toc.append((title, start))
        start += len(reader.pages)
    front = PdfReader(io.BytesIO(render_pdf.package_front(cover, toc, stamp, draft)))

    writer = PdfWriter()
    writer.append(front, import_outline=False)
    for (title, reader), (_, first_page) in zip(readers, toc, strict=True):
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=title, page_number=first_page - 1)
    done += 1
    report(done * 90 // steps)
    total = len(writer.pages)
    _number_pages(writer, total)
    writer.add_metadata(
        {"/Title": f"{data['number']} {data['space']} 申报材料", "/Producer": "专业化众创空间备案推荐系统"}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    report(100)
    return buffer.getvalue()


def _number_pages(writer, total: int) -> None:
    from pypdf import PdfReader, Transformation

    overlay = PdfReader(
        io.BytesIO(
            render_pdf.page_number_overlay([f"第 {n} 页 / 共 {total} 页" for n in range(1, total + 1)])
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
