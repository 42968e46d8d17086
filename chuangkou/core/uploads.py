"""Citizens' uploads checked by what they are, not by what they are called.

Letters, applications and supplements accept the same office formats. A file is judged by its
first bytes (and for the ZIP-based formats by the part that names the format), never by the
name alone; a name whose extension contradicts the content is refused too.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

__all__ = ["ATTACHMENT_TYPES", "AttachmentType", "safe_upload_name", "sniff_upload",
           "upload_errors"]


@dataclass(frozen=True)
class AttachmentType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


ATTACHMENT_TYPES: dict[str, AttachmentType] = {
    "pdf": AttachmentType("PDF", "application/pdf", ("pdf",)),
    "jpg": AttachmentType("JPG", "image/jpeg", ("jpg", "jpeg")),
    "png": AttachmentType("PNG", "image/png", ("png",)),
    "docx": AttachmentType(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",)),
    "xlsx": AttachmentType(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "ofd": AttachmentType("OFD", "application/ofd", ("ofd",)),
}


def safe_upload_name(upload: UploadedFile) -> str:
    """The file's own name without any directory part, for display only."""
    return PurePath(upload.name or "").name[:200] or "file"


def sniff_upload(upload: UploadedFile) -> str | None:
    """The allowed type ``upload`` really is (a key of ``ATTACHMENT_TYPES``), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names or "ofd.xml" in names:
            return "ofd"
    return None


def upload_errors(upload: UploadedFile, *, max_bytes: int) -> list[str]:
    """What is wrong with one upload: too large, empty, not one of the allowed types by its
    content (pdf, jpg, png, docx, xlsx, ofd), or an extension contradicting the content.
    Every message names the file."""
    name = PurePath(upload.name or "").name or _("未命名文件")
    if upload.size is None or upload.size > max_bytes:
        return [_("附件“%(name)s”超过%(mb)s MB，请压缩后再上传。") % {
            "name": name, "mb": f"{max_bytes / (1024 * 1024):g}"}]
    if upload.size == 0:
        return [_("附件“%(name)s”是空文件。") % {"name": name}]
    kind = sniff_upload(upload)
    if kind is None:
        return [_("附件“%(name)s”的文件内容不是允许的格式，只能上传 PDF、JPG、PNG、DOCX、XLSX、"
                  "OFD 文件。") % {"name": name}]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES[kind].extensions:
        return [_("附件“%(name)s”的扩展名与文件内容（%(kind)s）不符。") % {
            "name": name, "kind": ATTACHMENT_TYPES[kind].label}]
    return []
