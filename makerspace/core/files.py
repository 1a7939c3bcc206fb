"""Serving private files. Every caller has asked the permission module first; this only builds the
response, the same way everywhere: the type we detected at upload, never sniffed by the browser."""

from django.http import FileResponse

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def private_file_response(field, *, content_type: str, filename: str, inline: bool = True) -> FileResponse:
    response = FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=filename + EXTENSIONS.get(content_type, ""),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
