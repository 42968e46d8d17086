"""State changes of the disclosure catalogue (公开目录与主动公开): platforms, categories,
catalogue records, validity and publication bookkeeping."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page

from chuangkou.core.audit import record_event
from chuangkou.core.calendar import working_calendar
from chuangkou.core.serials import next_serial
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import bodies_managing
from chuangkou.sitecluster.actions import create_article
from chuangkou.sitecluster.choices import ColumnKind
from chuangkou.sitecluster.models import ColumnPage

from ..catalogue_data import PLATFORM_COLUMNS
from ..catalogue_rules import disclosure_due_on, index_number, may_define_sector_kinds
from ..choices import CategoryScheme, DisclosureAttribute, Validity
from ..exceptions import DisclosureRuleViolation
from ..models import (
    AnnualReportColumnPage,
    CatalogueCategory,
    DisclosureCataloguePage,
    DisclosurePlatformPage,
    DisclosureRecord,
)
from ..queries.catalogue import categories_for

__all__ = [
    "add_catalogue_category",
    "change_document_validity",
    "create_disclosure_platform",
    "note_page_published",
    "register_disclosure_document",
    "rename_catalogue_category",
    "set_catalogue_category_active",
    "update_disclosure_record",
]

PLATFORM_SLUG = "zwgk"
# The portal of the demo city already has a 政务公开 column at /zwgk/.
PLATFORM_FALLBACK_SLUG = "zfxxgk"
SUMMARY_MAX_LENGTH = DisclosureRecord._meta.get_field("summary").max_length


def _guide_text(body: Body) -> str:
    contact = "".join(filter(None, [
        _("办公地址：%(address)s。") % {"address": body.address} if body.address else "",
        _("办公时间：%(hours)s。") % {"hours": body.office_hours} if body.office_hours else "",
        _("联系电话：%(phone)s。") % {"phone": body.phone} if body.phone else "",
    ]))
    paragraphs = [
        _("为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》"
          "（以下简称《条例》），编制本指南。需要获得%(name)s政府信息公开服务的公民、法人和"
          "其他组织，可阅读本指南。") % {"name": body.name},
        _("一、主动公开。对涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的政府信息，"
          "本机关通过本网站政府信息公开平台、政府公报、新闻发布会以及报刊、广播、电视等途径"
          "主动公开。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内"
          "及时公开（《条例》第二十六条）。"),
        _("二、依申请公开。除本机关主动公开的政府信息外，公民、法人或者其他组织可以向本机关"
          "申请获取相关政府信息。申请人可以通过网上申请、当面提交、信函等方式提出申请，"
          "申请应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、"
          "文号或者便于查询的其他特征性描述，以及申请公开的政府信息的形式要求（《条例》"
          "第二十九条）。"),
        _("三、答复期限。本机关收到政府信息公开申请，能够当场答复的，当场予以答复；不能当场"
          "答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开"
          "工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日（《条例》第三十三条）。"),
        _("四、监督和救济。公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益"
          "的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请"
          "行政复议或者提起行政诉讼（《条例》第五十一条）。"),
        _("五、政府信息公开工作机构：%(name)s政务公开办公室。%(contact)s")
        % {"name": body.name, "contact": contact},
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _system_text(body: Body) -> str:
    paragraphs = [
        _("一、主动公开审查制度。%(name)s拟公开的政府信息，由承办机构依照《中华人民共和国"
          "保守国家秘密法》以及其他法律、法规和国家有关规定进行审查，经审核发布后公开"
          "（《条例》第十七条）。") % {"name": body.name},
        _("二、公开属性源头认定制度。公文在拟制时即明确公开属性，分为主动公开、依申请公开和"
          "不予公开；依申请公开或者不予公开的，应当说明理由和依据。"),
        _("三、依申请公开办理制度。依申请公开实行统一受理、分类办理、按期答复，办理过程全程"
          "留痕，答复期限按工作日计算。"),
        _("四、动态调整制度。本机关定期对不予公开的政府信息进行评估审查，对因情势变化可以公开"
          "的政府信息予以公开（《条例》第十八条）。"),
        _("五、年度报告制度。本机关于每年1月31日前向本级政府信息公开工作主管部门提交上一年度"
          "政府信息公开工作年度报告并向社会公布（《条例》第四十九条）。"),
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _publish(page: Page, *, actor) -> None:
    page.save_revision(user=actor).publish(user=actor, log_action=False)


def _platform_slug(parent_page: Page) -> str:
    taken = Page.objects.child_of(parent_page).filter(slug=PLATFORM_SLUG).exists()
    return PLATFORM_FALLBACK_SLUG if taken else PLATFORM_SLUG


@transaction.atomic
def create_disclosure_platform(*, body: Body, parent_page: Page,
                               actor=None) -> DisclosurePlatformPage:
    """Open ``body``'s government information disclosure platform (条例 第二十四条) with the
    four fixed first-level columns (政府信息公开目录系统实施指引). Idempotent per body."""
    existing = DisclosurePlatformPage.objects.filter(body=body).first()
    if existing is not None:
        return existing
    parent_page = parent_page.specific
    if type(parent_page).__name__ not in ("PortalHomePage", "SiteHomePage"):
        raise DisclosureRuleViolation({"parent_page": [
            _("政府信息公开平台只能建在门户首页或站点首页之下。")]})
    slug = _platform_slug(parent_page)
    if Page.objects.child_of(parent_page).filter(slug=slug).exists():
        raise DisclosureRuleViolation({"parent_page": [
            _("该站点下已有路径为“%(slug)s”的页面。") % {"slug": slug}]})
    platform = DisclosurePlatformPage(
        title=_("%(name)s政府信息公开") % {"name": body.short_name}, slug=slug, body=body,
        introduction=_("%(name)s依照《中华人民共和国政府信息公开条例》设立的政府信息公开平台，"
                       "集中发布本机关主动公开的政府信息。") % {"name": body.name},
    )
    parent_page.add_child(instance=platform)
    _publish(platform, actor=actor)
    for column in PLATFORM_COLUMNS:
        if column.role == "column":
            child = ColumnPage(title=column.title, slug=column.slug, kind=ColumnKind.OTHER,
                               responsible_body=body, description=column.title)
        elif column.role == "catalogue":
            child = DisclosureCataloguePage(
                title=column.title, slug=column.slug,
                introduction=_("依照《条例》第十九条至第二十一条主动公开的政府信息，可按公开主体、"
                               "目录分类、主题、体裁和年份浏览，并可检索。"))
        else:
            child = AnnualReportColumnPage(
                title=column.title, slug=column.slug,
                introduction=_("政府信息公开工作年度报告（《条例》第四十九条、第五十条）。"))
        platform.add_child(instance=child)
        _publish(child, actor=actor)
        if column.role == "column":
            text = _guide_text(body) if column.slug == "zhinan" else _system_text(body)
            create_article(column=child, title=f"{body.name}{column.title}", body=text,
                           source=body.name, slug=column.slug, actor=actor)
    # Inside the portal (which holds other sites) bodies are granted page by page.
    if not bodies_managing(platform).filter(pk=body.pk).exists():
        from chuangkou.organizations.actions import grant_page_to_body

        grant_page_to_body(body=body, page=platform, actor=actor)
    record_event("disclosure.platform.created", actor=actor, target=platform,
                 data={"body": body.slug, "slug": slug})
    return platform


def _check_category_owner(*, body: Body, parent: CatalogueCategory | None, scheme: str) -> None:
    if parent is not None:
        if parent.body_id not in (None, body.pk) and not (
            parent.scheme == CategoryScheme.INSTITUTION and parent.body_id is not None
            and body.is_descendant_of(parent.body)
        ):
            raise DisclosureRuleViolation({"parent": [
                _("上级分类必须是法定分类、本机构的分类或主管部门规定的公共企事业单位办事公开类别。")]})
        if not parent.is_active:
            raise DisclosureRuleViolation({"parent": [_("上级分类已停用。")]})
        return
    if scheme == CategoryScheme.STATUTORY:
        raise DisclosureRuleViolation({"parent": [
            _("法定主动公开内容的分类由《条例》第二十条、第二十一条规定，只能在其下增加子分类。")]})
    if not may_define_sector_kinds(body.kind):
        raise DisclosureRuleViolation({"scheme": [
            _("只有主管部门可以规定本行业公共企事业单位办事公开类别（《条例》第五十五条）。")]})


@transaction.atomic
def add_catalogue_category(*, body: Body, name: str, code: str = "",
                           parent: CatalogueCategory | None = None,
                           scheme: str = CategoryScheme.STATUTORY,
                           actor=None) -> CatalogueCategory:
    """Add ``body``'s own category: a sub-category under a statutory category or one of its
    own (same scheme as the parent), or, for a supervising department, a first-level kind of
    公共企事业单位办事公开 (scheme SECTOR_SUPERVISION or INSTITUTION)."""
    name = name.strip()
    if not name:
        raise DisclosureRuleViolation({"name": [_("请填写分类名称。")]})
    scheme = parent.scheme if parent is not None else scheme
    _check_category_owner(body=body, parent=parent, scheme=scheme)
    code = code or slugify(name) or f"category-{CatalogueCategory.objects.count() + 1}"
    if CatalogueCategory.objects.filter(scheme=scheme, body=body, code=code).exists():
        raise DisclosureRuleViolation({"code": [_("本机构已有代码为“%(code)s”的分类。") % {"code": code}]})
    siblings = CatalogueCategory.objects.filter(body=body, parent=parent, scheme=scheme)
    if siblings.filter(name=name).exists():
        raise DisclosureRuleViolation({"name": [_("同一上级下已有同名分类。")]})
    category = CatalogueCategory.objects.create(
        scheme=scheme, body=body, parent=parent, code=code, name=name,
        sort_order=(siblings.count() + 1) * 10,
    )
    record_event("disclosure.category.added", actor=actor, target=category,
                 data={"body": body.slug, "scheme": scheme,
                       "parent": parent.pk if parent else None})
    return category


def _check_own(category: CatalogueCategory) -> None:
    if category.body_id is None:
        raise DisclosureRuleViolation({"__all__": [
            _("法定分类由《条例》第二十条、第二十一条规定，不能修改或停用。")]})


@transaction.atomic
def rename_catalogue_category(*, category: CatalogueCategory, name: str,
                              actor=None) -> CatalogueCategory:
    """Rename one of a body's own categories (statutory ones are fixed by law)."""
    _check_own(category)
    name = name.strip()
    if not name:
        raise DisclosureRuleViolation({"name": [_("请填写分类名称。")]})
    old_name = category.name
    category.name = name
    category.save(update_fields=["name"])
    record_event("disclosure.category.renamed", actor=actor, target=category,
                 data={"from": old_name, "to": name})
    return category


@transaction.atomic
def set_catalogue_category_active(*, category: CatalogueCategory, active: bool,
                                  actor=None) -> CatalogueCategory:
    """Deactivate (or reactivate) one of a body's own categories; records filed under it keep
    it, new documents can no longer choose it."""
    _check_own(category)
    category.is_active = active
    category.save(update_fields=["is_active"])
    record_event("disclosure.category.activated" if active else "disclosure.category.deactivated",
                 actor=actor, target=category)
    return category


def _check_metadata(*, page: Page, body: Body, category: CatalogueCategory, attribute: str,
                    withheld_reason: str, written_on: date, formed_on: date,
                    summary: str) -> None:
    errors: dict[str, list[str]] = {}
    if not bodies_managing(page).filter(pk=body.pk).exists():
        errors["body"] = [_("发布机构必须是负责该页面的机构。")]
    elif not categories_for(body).filter(pk=category.pk).exists():
        errors["category"] = [_("该分类不适用于%(body)s。") % {"body": body.name}]
    if attribute != DisclosureAttribute.PROACTIVE and not withheld_reason.strip():
        errors["withheld_reason"] = [
            _("公开属性为依申请公开或不予公开时，必须说明理由及依据（《条例》第十四条至第十六条）。")]
    if formed_on < written_on:
        errors["formed_on"] = [_("形成或变更日期不能早于成文日期。")]
    if len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = [_("内容概述不超过%(n)d字。") % {"n": SUMMARY_MAX_LENGTH}]
    if errors:
        raise DisclosureRuleViolation(errors)


@transaction.atomic
def register_disclosure_document(
    *,
    page: Page,
    body: Body,
    category: CatalogueCategory,
    written_on: date,
    formed_on: date,
    document_number: str = "",
    theme: str,
    genre: str,
    audience: str,
    attribute: str,
    withheld_reason: str = "",
    method: str,
    summary: str = "",
    actor=None,
) -> DisclosureRecord:
    """Make ``page`` a disclosure document: give it its 索引号 (credit code / year - sequence,
    gapless per body and year) and its catalogue metadata; the due date for publication is 20
    working days after it was formed (条例 第二十六条)."""
    if DisclosureRecord.objects.filter(page_id=page.pk).exists():
        raise DisclosureRuleViolation({"page": [_("该页面已登记为公开目录信息。")]})
    _check_metadata(page=page, body=body, category=category, attribute=attribute,
                    withheld_reason=withheld_reason, written_on=written_on,
                    formed_on=formed_on, summary=summary)
    due_on = disclosure_due_on(formed_on, calendar=working_calendar())
    year = timezone.localdate().year
    # Taken last: the counter stays locked until this transaction commits.
    sequence = next_serial(scope=f"disclosure.index.{body.pk}", year=year)
    record = DisclosureRecord.objects.create(
        page=page, body=body, category=category, title=page.title,
        index_number=index_number(credit_code=body.credit_code, year=year, sequence=sequence),
        index_year=year, index_sequence=sequence, document_number=document_number.strip(),
        written_on=written_on, formed_on=formed_on, disclosure_due_on=due_on,
        published_on=timezone.localdate(page.first_published_at) if page.live
        and page.first_published_at else None,
        theme=theme, genre=genre, audience=audience, attribute=attribute,
        withheld_reason=withheld_reason.strip() if attribute != DisclosureAttribute.PROACTIVE
        else "",
        method=method, summary=summary.strip(),
    )
    record_event("disclosure.record.registered", actor=actor, target=record,
                 data={"page": page.pk, "body": body.slug, "attribute": attribute,
                       "due_on": due_on.isoformat()})
    if page.live and attribute != DisclosureAttribute.PROACTIVE:
        _unpublish_withheld(record=record, page=page, actor=actor)
    return record


def _unpublish_withheld(*, record: DisclosureRecord, page: Page, actor) -> None:
    # 公开属性 other than 主动公开 is never on the public site: take the page down now, even
    # when the actor (a disclosure officer) holds no page permission.
    UnpublishPageAction(page.specific, user=actor).execute(skip_permission_checks=True)
    record_event("disclosure.record.page_unpublished", actor=actor, target=record,
                 data={"page": page.pk, "attribute": record.attribute})


@transaction.atomic
def update_disclosure_record(
    *,
    record: DisclosureRecord,
    body: Body,
    category: CatalogueCategory,
    written_on: date,
    formed_on: date,
    document_number: str,
    theme: str,
    genre: str,
    audience: str,
    attribute: str,
    withheld_reason: str,
    method: str,
    summary: str,
    actor=None,
) -> DisclosureRecord:
    """Change a record's metadata. The 索引号 never changes, not even with the body. A live
    page whose attribute stops being 主动公开 is unpublished in the same transaction."""
    record = (DisclosureRecord.objects.select_for_update(of=("self",)).select_related("page")
              .get(pk=record.pk))
    page = record.page
    if page is None:
        raise DisclosureRuleViolation({"page": [_("该条目对应的文章已删除，不能修改。")]})
    _check_metadata(page=page, body=body, category=category, attribute=attribute,
                    withheld_reason=withheld_reason, written_on=written_on,
                    formed_on=formed_on, summary=summary)
    values = {
        "body": body, "category": category, "written_on": written_on, "formed_on": formed_on,
        "document_number": document_number.strip(), "theme": theme, "genre": genre,
        "audience": audience, "attribute": attribute,
        "withheld_reason": withheld_reason.strip()
        if attribute != DisclosureAttribute.PROACTIVE else "",
        "method": method, "summary": summary.strip(),
    }
    changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
    for name, value in values.items():
        setattr(record, name, value)
    if "formed_on" in changed:
        record.disclosure_due_on = disclosure_due_on(formed_on, calendar=working_calendar())
    record.save()
    record_event("disclosure.record.updated", actor=actor, target=record,
                 data={"changed": changed})
    if page.live and attribute != DisclosureAttribute.PROACTIVE:
        _unpublish_withheld(record=record, page=page, actor=actor)
    return record


@transaction.atomic
def change_document_validity(*, record: DisclosureRecord, validity: str, changed_on: date,
                             replaced_by: DisclosureRecord | None = None,
                             actor=None) -> DisclosureRecord:
    """Mark a document 有效, 失效 or 废止 (shown on the document), optionally naming the
    document that replaces it."""
    errors: dict[str, list[str]] = {}
    if validity not in Validity.values:
        errors["validity"] = [_("请选择有效性。")]
    if replaced_by is not None:
        if replaced_by.pk == record.pk:
            errors["replaced_by"] = [_("替代文件不能是本文件。")]
        elif validity == Validity.VALID:
            errors["replaced_by"] = [_("有效的文件不能有替代文件。")]
    if changed_on < record.written_on and validity != Validity.VALID:
        errors["changed_on"] = [_("失效或废止日期不能早于成文日期。")]
    if errors:
        raise DisclosureRuleViolation(errors)
    previous = record.validity
    record.validity = validity
    record.validity_changed_on = None if validity == Validity.VALID else changed_on
    record.replaced_by = replaced_by if validity != Validity.VALID else None
    record.save(update_fields=["validity", "validity_changed_on", "replaced_by", "updated_at"])
    record_event("disclosure.record.validity_changed", actor=actor, target=record,
                 data={"from": previous, "to": validity, "changed_on": changed_on.isoformat(),
                       "replaced_by": replaced_by.index_number if replaced_by else None})
    return record


@transaction.atomic
def note_page_published(*, page: Page, published_at=None, actor=None) -> DisclosureRecord | None:
    """Bookkeeping when a page with a record is published: the 发布日期 is set the first time
    only, and the 名称 follows the page's title (entered once, on the page)."""
    record = DisclosureRecord.objects.select_for_update().filter(page_id=page.pk).first()
    if record is None:
        return None
    fields = []
    if record.published_on is None:
        record.published_on = timezone.localdate(published_at or timezone.now())
        fields.append("published_on")
    if record.title != page.title:
        record.title = page.title
        fields.append("title")
    if fields:
        record.save(update_fields=[*fields, "updated_at"])
        record_event("disclosure.record.published", actor=actor, target=record,
                     data={"changed": fields,
                           "published_on": record.published_on.isoformat()})
    return record
