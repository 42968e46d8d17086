from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from chuangkou.core.validators import validate_credit_code, validate_division_code

from .choices import BodyKind, Role


class Body(MP_Node):
    """政府机构: a node in the city's tree of government bodies.

    The tree runs city government -> departments and district governments -> street offices
    and towns -> communities and villages.
    """

    name = models.CharField(_("全称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40)
    slug = models.SlugField(_("标识"), max_length=60, unique=True, allow_unicode=False)
    kind = models.CharField(_("机构类型"), max_length=32, choices=BodyKind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    division_code = models.CharField(
        _("行政区划代码"), max_length=12, validators=[validate_division_code]
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("文档图片集"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owning_body",
    )
    managed_pages = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("负责的页面"),
        blank=True,
        related_name="managing_bodies",
        help_text=_("本机构负责的站点和栏目；其工作人员只能管理这些页面及其下级页面。"),
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """工作人员的机构角色: one staff member's role in one body."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    body = models.ForeignKey(
        Body, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构角色")
        verbose_name_plural = _("机构角色")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role"], name="membership_unique_user_body_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.body.short_name} · {self.get_role_display()}"


class RoleGroup(models.Model):
    """The Wagtail group that carries one role's permissions, in one body or cluster-wide."""

    group = models.OneToOneField(
        Group, verbose_name=_("用户组"), on_delete=models.CASCADE, related_name="role_group"
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_groups",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("角色用户组")
        verbose_name_plural = _("角色用户组")
        constraints = [
            models.UniqueConstraint(fields=["body", "role"], name="role_group_unique_body_role"),
            models.UniqueConstraint(
                fields=["role"],
                condition=models.Q(body__isnull=True),
                name="role_group_unique_cluster_role",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name
