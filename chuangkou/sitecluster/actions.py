"""Every state change of the site cluster: sites and their identity, columns, articles and
information submissions (信息报送)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from chuangkou.core.audit import record_event
from chuangkou.core.exceptions import full_clean_or_raise
from chuangkou.core.richtext import clean_rich_text
from chuangkou.organizations.actions import grant_page_to_body, revoke_page_from_body
from chuangkou.organizations.models import Body

from .choices import ColumnKind, SubmissionStatus
from .exceptions import ArticleInvalid, ColumnInvalid, SiteInvalid, SubmissionRefused
from .models import (
    ArticlePage,
    ArticleSubmission,
    ClusterSite,
    ColumnPage,
    ErrorReport,
    PortalHomePage,
    SiteHomePage,
)

IDENTITY_FIELDS = ("name", "identification_code", "sponsor", "organizer", "icp_number",
                   "public_security_number", "contact_phone", "contact_email", "contact_address",
                   "hostname")


def _normalise_hostname(hostname: str | None) -> str | None:
    return (hostname or "").strip().lower() or None


def _check_hostname_free(hostname: str, *, port: int, exclude_site: ClusterSite | None) -> None:
    """A hostname serves one site only; Wagtail's own Site table must agree."""
    if not hostname:
        return
    taken = ClusterSite.objects.filter(hostname=hostname)
    wagtail_taken = Site.objects.filter(hostname=hostname, port=port)
    if exclude_site is not None:
        taken = taken.exclude(pk=exclude_site.pk)
        if exclude_site.wagtail_site_id:
            wagtail_taken = wagtail_taken.exclude(pk=exclude_site.wagtail_site_id)
    if taken.exists() or wagtail_taken.exists():
        raise SiteInvalid({"hostname": [_("独立域名已被其他站点使用，每个域名只能对应一个站点。")]})


def _sync_wagtail_site(site: ClusterSite, *, port: int) -> None:
    """Keep Wagtail's Site row (hostname routing) in step with the cluster site."""
    if site.is_portal:
        wagtail_site = site.wagtail_site or Site(root_page=site.home_page)
        wagtail_site.hostname = site.hostname or "localhost"
        wagtail_site.port = port
        wagtail_site.site_name = site.name
        wagtail_site.is_default_site = True
        Site.objects.filter(is_default_site=True).exclude(pk=wagtail_site.pk).update(
            is_default_site=False
        )
        wagtail_site.save()
        site.wagtail_site = wagtail_site
    elif site.hostname:
        wagtail_site = site.wagtail_site or Site(root_page=site.home_page)
        wagtail_site.hostname = site.hostname
        wagtail_site.port = port
        wagtail_site.site_name = site.name
        wagtail_site.save()
        site.wagtail_site = wagtail_site
    elif site.wagtail_site is not None:
        old = site.wagtail_site
        site.wagtail_site = None
        site.save(update_fields=["wagtail_site"])
        old.delete()
        return
    site.save(update_fields=["wagtail_site"])


@transaction.atomic
def create_cluster_site(
    *,
    owner_body: Body,
    name: str,
    slug: str,
    identification_code: str,
    sponsor: str,
    parent_page: Page | None = None,
    is_portal: bool = False,
    organizer: str = "",
    icp_number: str = "",
    public_security_number: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    hostname: str = "",
    port: int = 80,
    introduction: str = "",
    actor=None,
) -> ClusterSite:
    """Open a site in the cluster: its home page, identity and (optionally) own hostname.

    Without ``parent_page`` a non-portal site goes under the portal home, served as a path.
    """
    identity = ClusterSite(
        name=name, owner_body=owner_body, is_portal=is_portal,
        identification_code=identification_code, sponsor=sponsor, organizer=organizer,
        icp_number=icp_number, public_security_number=public_security_number,
        contact_phone=contact_phone, contact_email=contact_email,
        contact_address=contact_address, hostname=_normalise_hostname(hostname),
    )
    full_clean_or_raise(identity, SiteInvalid, exclude=["home_page"])
    _check_hostname_free(identity.hostname, port=port, exclude_site=None)

    if is_portal:
        parent = Page.get_first_root_node()
        home = PortalHomePage(title=name, slug=slug, introduction=introduction)
    else:
        parent = parent_page or _portal_home()
        home = SiteHomePage(title=name, slug=slug, introduction=introduction)
    if Page.objects.child_of(parent).filter(slug=slug).exists():
        raise SiteInvalid({"slug": [_("同级页面中已有相同的路径名称“%(slug)s”。") % {"slug": slug}]})
    parent.add_child(instance=home)
    home.save_revision(user=actor).publish(user=actor, log_action=False)

    identity.home_page = home
    identity.save()
    _sync_wagtail_site(identity, port=port)
    if not is_portal:
        _narrow_outer_site_grant(parent, actor=actor)
    grant_page_to_body(body=owner_body, page=home, actor=actor)
    record_event("site.created", actor=actor, target=identity,
                 data={"identification_code": identification_code, "hostname": identity.hostname})
    return identity


def _narrow_outer_site_grant(parent: Page, *, actor) -> None:
    """Keep the staff of a site that now contains another site out of the nested one.

    Wagtail's page permissions reach every descendant, so the outer site's body keeps its
    columns (one grant each) instead of its home page; the home page itself is then edited by
    the system administrator (分权限管理: staff change only their own bodies' sites).
    """
    from .queries import site_for_page

    outer = site_for_page(parent)
    if outer is None:
        return
    body, home = outer.owner_body, outer.home_page
    if not body.managed_pages.filter(pk=home.pk).exists():
        return
    for column in ColumnPage.objects.child_of(home):
        grant_page_to_body(body=body, page=column, actor=actor)
    revoke_page_from_body(body=body, page=home, actor=actor)


def _portal_home() -> Page:
    portal = ClusterSite.objects.filter(is_portal=True).select_related("home_page").first()
    if portal is None:
        raise SiteInvalid({"parent_page": [_("请先建立门户网站，或为站点指定上级页面。")]})
    return portal.home_page


@transaction.atomic
def update_site_identity(*, site: ClusterSite, actor=None, port: int | None = None,
                         **changes) -> ClusterSite:
    """Change a site's identity settings; a hostname change re-points its routing."""
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise SiteInvalid({field: [_("该项不能在此修改。")] for field in sorted(unknown)})
    site = ClusterSite.objects.select_for_update().get(pk=site.pk)
    before = {field: getattr(site, field) for field in changes}
    for field, value in changes.items():
        setattr(site, field, _normalise_hostname(value) if field == "hostname" else value)
    full_clean_or_raise(site, SiteInvalid)
    port = port or (site.wagtail_site.port if site.wagtail_site else 80)
    _check_hostname_free(site.hostname, port=port, exclude_site=site)
    site.save()
    _sync_wagtail_site(site, port=port)
    if "name" in changes and site.home_page.title != site.name:
        home = site.home_page.specific
        home.title = site.name
        home.save_revision(user=actor).publish(user=actor)
    record_event("site.identity_updated", actor=actor, target=site,
                 data={"before": before, "after": {f: getattr(site, f) for f in changes}})
    return site


@transaction.atomic
def create_column(
    *,
    parent: Page,
    title: str,
    kind: str = ColumnKind.OTHER,
    slug: str = "",
    responsible_body: Body | None = None,
    responsible_editor=None,
    description: str = "",
    keywords: str = "",
    update_interval_days: int | None = None,
    show_in_menus: bool = True,
    actor=None,
) -> ColumnPage:
    """Add a column under a site home or another column; its responsible body manages it."""
    from .queries import site_for_page

    parent = parent.specific
    if not isinstance(parent, PortalHomePage | SiteHomePage | ColumnPage):
        raise ColumnInvalid({"parent": [_("栏目只能建在站点首页或其他栏目之下。")]})
    slug = slug or slugify(title, allow_unicode=True)
    if Page.objects.child_of(parent).filter(slug=slug).exists():
        raise ColumnInvalid({"slug": [_("同级页面中已有相同的路径名称“%(slug)s”。") % {"slug": slug}]})
    column = ColumnPage(
        title=title, slug=slug, kind=kind, responsible_body=responsible_body,
        responsible_editor=responsible_editor, description=description, keywords=keywords,
        update_interval_days=update_interval_days, show_in_menus=show_in_menus,
    )
    parent.add_child(instance=column)
    column.save_revision(user=actor).publish(user=actor, log_action=False)
    if responsible_body is not None:
        grant_page_to_body(body=responsible_body, page=column, actor=actor)
    site = site_for_page(column)
    if site is not None and site.owner_body_id != getattr(responsible_body, "pk", None):
        # A site whose home contains other sites is managed column by column.
        grant_page_to_body(body=site.owner_body, page=column, actor=actor)
    record_event("column.created", actor=actor, target=column,
                 data={"kind": kind, "responsible_body": responsible_body and responsible_body.slug})
    return column


@transaction.atomic
def create_article(
    *,
    column: ColumnPage,
    title: str,
    body: str,
    subtitle: str = "",
    source: str = "",
    author: str = "",
    summary: str = "",
    keywords: str = "",
    publication_date: datetime | None = None,
    slug: str = "",
    publish: bool = True,
    actor=None,
) -> ArticlePage:
    """Write an article into a column, as a draft or published at once.

    The review workflow (先审后发) governs publication from the admin; this action serves
    imports, the demo and tests.
    """
    errors = {}
    body = clean_rich_text(body)
    if not title.strip():
        errors["title"] = [_("标题不能为空。")]
    if not body.strip():
        errors["body"] = [_("正文不能为空。")]
    if errors:
        raise ArticleInvalid(errors)
    article = ArticlePage(
        title=title.strip(), slug=slug or slugify(title, allow_unicode=True)[:80] or "article",
        subtitle=subtitle, source=source, author=author, summary=summary[:200],
        keywords=keywords, body=body, publication_date=publication_date or timezone.now(),
        live=False,
    )
    if Page.objects.child_of(column).filter(slug=article.slug).exists():
        raise ArticleInvalid({"slug": [_("同级页面中已有相同的路径名称“%(slug)s”。") % {"slug": article.slug}]})
    column.add_child(instance=article)
    revision = article.save_revision(user=actor)
    if publish:
        revision.publish(user=actor)
        article.refresh_from_db()
    record_event("article.created", actor=actor, target=article, data={"published": publish})
    return article


@transaction.atomic
def submit_article_to_column(*, article: ArticlePage, target_column: ColumnPage, actor) -> ArticleSubmission:
    """信息报送: offer a published article of one site to a column of another site."""
    from .queries import site_for_page

    # Concurrent submissions of one article queue here instead of racing the unique constraint.
    article = ArticlePage.objects.select_for_update().get(pk=article.pk)
    if not article.live:
        raise SubmissionRefused({"article": [_("只能报送已发布的文章。")]})
    if not target_column.live:
        raise SubmissionRefused({"target_column": [_("报送栏目未发布，不能接收报送。")]})
    if not article.permissions_for_user(actor).can_edit():
        raise SubmissionRefused({"article": [_("您没有编辑这篇文章的权限，不能报送。")]})
    article_site, target_site = site_for_page(article), site_for_page(target_column)
    if article_site is not None and target_site is not None and article_site.pk == target_site.pk:
        raise SubmissionRefused({"target_column": [_("报送栏目须属于其他站点（如门户网站）。")]})
    open_statuses = [SubmissionStatus.PENDING, SubmissionStatus.ADOPTED]
    if ArticleSubmission.objects.filter(article=article, target_column=target_column,
                                        status__in=open_statuses).exists():
        raise SubmissionRefused({"target_column": [_("这篇文章已报送到该栏目，正在等待处理或已被采用。")]})
    body = _submitting_body(article, article_site)
    submission = ArticleSubmission.objects.create(
        article=article, target_column=target_column, submitting_body=body, submitted_by=actor,
    )
    record_event("submission.submitted", actor=actor, target=submission,
                 data={"article_id": article.pk, "target_column_id": target_column.pk})
    return submission


def _submitting_body(article: ArticlePage, site: ClusterSite | None) -> Body:
    managing = Body.objects.filter(managed_pages__in=[a.pk for a in article.get_ancestors(inclusive=True)])
    body = managing.order_by("-depth").first() or (site.owner_body if site else None)
    if body is None:
        raise SubmissionRefused({"article": [_("找不到负责这篇文章的机构。")]})
    return body


def _decide(submission: ArticleSubmission, *, actor) -> ArticleSubmission:
    submission = ArticleSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise SubmissionRefused({"status": [_("该报送已处理，不能重复处理。")]})
    if not submission.target_column.permissions_for_user(actor).can_edit():
        raise SubmissionRefused({"target_column": [_("您没有管理该栏目的权限。")]})
    return submission


@transaction.atomic
def adopt_submission(*, submission: ArticleSubmission, actor) -> ArticleSubmission:
    """采用: the article appears in the target column's listing (linked, not copied)."""
    submission = _decide(submission, actor=actor)
    submission.status = SubmissionStatus.ADOPTED
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_by", "decided_at"])
    record_event("submission.adopted", actor=actor, target=submission)
    return submission


@transaction.atomic
def decline_submission(*, submission: ArticleSubmission, reason: str, actor) -> ArticleSubmission:
    """不采用, with the reason the submitting body will read."""
    if not reason.strip():
        raise SubmissionRefused({"reason": [_("请填写不采用的理由。")]})
    submission = _decide(submission, actor=actor)
    submission.status = SubmissionStatus.DECLINED
    submission.decline_reason = reason.strip()
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    record_event("submission.declined", actor=actor, target=submission, data={"reason": reason})
    return submission


@transaction.atomic
def report_site_error(*, page_url: str, description: str, contact: str, form_token: str) -> ErrorReport:
    """我为政府网站找错: keep a reader's report; a repeated form token returns the first one."""
    from .queries import site_for_path

    if earlier := ErrorReport.objects.filter(form_token=form_token).first():
        return earlier
    report = ErrorReport.objects.create(
        site=site_for_path(page_url), page_url=page_url[:500], description=description,
        contact=contact, form_token=form_token,
    )
    record_event("error_report.received", target=report)
    return report
