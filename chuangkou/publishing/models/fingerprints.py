"""Fingerprints of what was published, for tamper detection (GB/T 31506-2022 防篡改)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationFingerprint(models.Model):
    """发布指纹: the SHA-256 of the HTML a published version rendered to, per URL.

    Recorded after every publication; a later rendering or a static file that hashes
    differently without a new publication has been tampered with.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE,
        related_name="publication_fingerprints",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("版本"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="publication_fingerprints",
    )
    url = models.CharField(_("网址"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    byte_size = models.PositiveIntegerField(_("字节数"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("发布指纹")
        verbose_name_plural = _("发布指纹")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["page", "-recorded_at"], name="fingerprint_page_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="fingerprint_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.url} {self.sha256[:12]}"
