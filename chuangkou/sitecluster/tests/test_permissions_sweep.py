"""The proof that per-body permissions hold in the admin.

Every admin route that takes a page, document, image, site, body, membership or submission is
read from the URL configuration (so a route Wagtail adds later is swept too) and tried, GET and
POST, against the education body's objects by each role of another body (health) and by the
auditor: each must refuse and show none of the objects' data, and nothing may change. The
routes that only list are tried too: they may answer, but never with the education body's data.
The role limits inside the education body itself are proved after the sweep.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowTask
from wagtail.permissions import page_permission_policy
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership, RoleGroup
from chuangkou.organizations.permissions import BODY_ROLES
from chuangkou.sitecluster.actions import submit_article_to_column, update_site_identity
from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.models import ArticlePage, ArticleSubmission, ClusterSite
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db

DOCUMENT_TITLE = "教育局秋季招生简章"
EDUCATION_HOSTNAME = "jyj.localhost"
IMAGE_TITLE = "教育局校园开放日照片"

# Namespaces (and un-namespaced route names) whose routes are swept.
SWEPT_NAMESPACES = (
    "wagtailadmin_pages", "wagtaildocs", "wagtailimages", "wagtaildocs_chooser",
    "wagtailimages_chooser", "wagtailadmin_api:pages", "wagtailadmin_api:documents",
    "wagtailadmin_api:images", "wagtailsites", "cluster_sites", "bodies", "memberships",
    "audit_events",
)
SWEPT_NAMES = (
    "wagtailadmin_explore_root", "wagtailadmin_explore", "wagtailadmin_explore_results",
    "wagtailadmin_home", "wagtail_bulk_action", "sitecluster_submit_article",
    "sitecluster_submission_inbox", "sitecluster_adopt_submission",
    "sitecluster_decline_submission", "sitecluster_own_submissions",
    "sitecluster_adoption_report", "wagtailadmin_choose_page", "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_search",
)
# The page chooser lets staff link to any published page of the cluster, so it may show the
# education body's published titles and addresses, but never its drafts.
PAGE_CHOOSER = {"wagtailadmin_choose_page", "wagtailadmin_choose_page_child",
                "wagtailadmin_choose_page_search"}
# The auditor's own screen: every body's audit records, by design (三员分立).
AUDIT_LIST = ("audit_events:index", "audit_events:index_results")
# A plausible form submission, so a route that let the user in would act on it.
POST_DATA = {
    "title": "被篡改的标题", "slug": "tampered", "action-publish": "publish",
    "name": "被篡改的站点", "identification_code": "3301009999", "sponsor": "篡改",
    "reason": "篡改", "restriction_type": "login",
}
# Routes whose objects are not the education body's content: an upload in progress belongs to
# the user who started it.
NOT_OBJECT_ROUTES = {
    "wagtaildocs:create_multiple_from_uploaded_document",
    "wagtaildocs:delete_upload_multiple",
    "wagtailimages:create_multiple_from_uploaded_image",
    "wagtailimages:delete_upload_multiple",
}


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]


def admin_routes() -> list[Route]:
    """Every named route of the swept namespaces, with the names of its URL arguments."""
    routes = []

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                pattern = entry.pattern
                arguments = tuple(getattr(pattern, "converters", {}) or
                                  pattern.regex.groupindex)
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if namespace in SWEPT_NAMESPACES or name in SWEPT_NAMES:
                    routes.append(Route(name, arguments))

    walk(get_resolver(), "")
    return routes


@pytest.fixture
def education(cluster):
    """The education body's objects: its pages (with a draft waiting in a review workflow), a
    document and an image in its collection, a submission to the portal, its site on its own
    hostname; and the texts none of them may show to anyone outside the body."""
    draft = make_article(column=cluster.education_news, title="示例市教育局草稿文章",
                         publish=False)
    document = Document.objects.create(
        title=DOCUMENT_TITLE, collection=cluster.education.collection,
        file=ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", name="zhaosheng.pdf"),
    )
    image = Image.objects.create(title=IMAGE_TITLE, collection=cluster.education.collection,
                                 file=get_test_image_file())
    submission = submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", Role.EDITOR),
    )
    task = GroupApprovalTask.objects.create(name="教育局审核")
    task.groups.set([RoleGroup.objects.get(body=cluster.education, role=Role.REVIEWER).group])
    workflow = Workflow.objects.create(name="教育局先审后发")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow_state = workflow.start(draft, cluster.user("education", Role.EDITOR))
    site = update_site_identity(site=cluster.education_site, hostname=EDUCATION_HOSTNAME)
    return {
        "site": site,
        "workflow": {"task_id": task.pk, "workflow_state_id": workflow_state.pk,
                     "task_state_id": workflow_state.current_task_state.pk},
        "pages": [cluster.education_site.home_page, cluster.education_news,
                  cluster.education_article, draft],
        "document": document,
        "image": image,
        "submission": submission,
        "membership": Membership.objects.get(user=cluster.user("education", Role.EDITOR)),
        "secrets": [cluster.education_article.title, draft.title, DOCUMENT_TITLE, IMAGE_TITLE,
                    site.identification_code, EDUCATION_HOSTNAME, cluster.education.credit_code,
                    "education-editor"],
        "unpublished": [draft.title, DOCUMENT_TITLE, IMAGE_TITLE, cluster.education.credit_code,
                        "education-editor"],
    }


def object_urls(route: Route, cluster, education) -> list[str]:
    """The route's URLs for each education object it can take; [] for a listing route."""
    args = set(route.arguments)
    namespace = route.name.rpartition(":")[0]
    extra = {
        "revision_id_a": "earliest", "revision_id_b": "latest",
        "destination_id": cluster.health_news.pk,
        "content_type_app_name": "sitecluster", "content_type_model_name": "articlepage",
        "action_name": "approve", "filter_spec": "fill-80x80", **education["workflow"],
    }

    def build(**values):
        kwargs = {name: values.get(name, extra.get(name)) for name in route.arguments}
        return reverse(route.name, kwargs=kwargs)

    if route.name == "wagtail_bulk_action":
        return bulk_action_urls(cluster, education)
    if namespace in ("wagtailadmin_pages", "wagtailadmin_api:pages") or route.name in (
            "wagtailadmin_explore", "wagtailadmin_explore_results",
            "sitecluster_submit_article"):
        page_arguments = {"page_id", "parent_page_id", "page_to_move_id", "pk"} & args
        if not page_arguments:
            return []
        return [build(**dict.fromkeys(page_arguments, page.pk),
                      revision_id=page.latest_revision_id)
                for page in education["pages"]]
    object_for_namespace = {
        "wagtaildocs": education["document"], "wagtaildocs_chooser": education["document"],
        "wagtailadmin_api:documents": education["document"],
        "wagtailimages": education["image"], "wagtailimages_chooser": education["image"],
        "wagtailadmin_api:images": education["image"],
        "cluster_sites": cluster.education_site, "bodies": cluster.education,
        "memberships": education["membership"], "audit_events": AuditEvent.objects.first(),
        "wagtailsites": education["site"].wagtail_site,
    }
    if route.name in ("sitecluster_adopt_submission", "sitecluster_decline_submission"):
        return [build(pk=education["submission"].pk)]
    object_arguments = {"pk", "document_id", "doc_id", "image_id"} & args
    if not object_arguments:
        return []
    target = object_for_namespace[namespace]
    return [build(**dict.fromkeys(object_arguments, target.pk))]


def bulk_action_urls(cluster, education) -> list[str]:
    targets = {
        ("wagtailcore", "page"): [page.pk for page in education["pages"]],
        ("wagtaildocs", "document"): [education["document"].pk],
        ("wagtailimages", "image"): [education["image"].pk],
    }
    urls = []
    for (app_label, model_name), ids in targets.items():
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name):
            url = reverse("wagtail_bulk_action",
                          args=[app_label, model_name, action.action_type])
            query = "&".join(f"id={pk}" for pk in ids)
            urls.append(f"{url}?{query}&next=/admin/")
    return urls


def chooser_urls(route: Route, cluster) -> list[str]:
    """The page chooser, browsing the education site and column and searching for a draft."""
    if route.arguments:
        return [reverse(route.name, args=[page.pk])
                for page in (cluster.education_site.home_page, cluster.education_news)]
    url = reverse(route.name)
    return [url, f"{url}?q=草稿", f"{url}?q=教育局"]


def listing_urls(route: Route, cluster) -> list[str]:
    """A listing route's URL, also searched for words of the education body's titles (never a
    whole title: search boxes repeat the query)."""
    values = {"content_type_app_name": "sitecluster", "content_type_model_name": "articlepage",
              "app_label": "sitecluster", "model_name": "articlepage"}
    url = reverse(route.name, kwargs={name: values[name] for name in route.arguments})
    return [url, f"{url}?q=教育局", f"{url}?q=秋季开学&search_all=1"]


def state_of(cluster, education) -> dict:
    """What a refused request must leave exactly as it was."""
    pages = {page.pk: page for page in Page.objects.filter(
        pk__in=[page.pk for page in education["pages"]])}
    return {
        "pages": {pk: (page.title, page.live, page.locked, page.path,
                       page.latest_revision_id, page.has_unpublished_changes)
                  for pk, page in pages.items()},
        "document": Document.objects.filter(pk=education["document"].pk)
        .values_list("title", "collection_id").first(),
        "image": Image.objects.filter(pk=education["image"].pk)
        .values_list("title", "collection_id").first(),
        "site": ClusterSite.objects.filter(pk=cluster.education_site.pk).values().first(),
        "body": Body.objects.filter(pk=cluster.education.pk).values().first(),
        "memberships": Membership.objects.count(),
        "submission": ArticleSubmission.objects.filter(pk=education["submission"].pk)
        .values_list("status", "decided_by_id").first(),
        "privacy": list(Page.objects.filter(pk__in=pages).values_list("pk", "view_restrictions")),
        "workflow": list(TaskState.objects.values_list("pk", "status")),
    }


def refusal_problem(response, *, allowed_redirects, client=None) -> str | None:
    """Why ``response`` is not a refusal, or None if it is one.

    A redirect is a refusal when it goes to the dashboard (Wagtail's 'permission denied'), the
    login page or the user's own part of the page tree; any other redirect is followed one step
    and must end in a refusal there.
    """
    if response.status_code in (400, 403, 404, 405):
        return None
    if response.status_code == 302:
        location = response.url.split("?")[0]
        if location in allowed_redirects or location.startswith(reverse("wagtailadmin_login")):
            return None
        if client is not None:
            problem = refusal_problem(client.get(response.url),
                                      allowed_redirects=allowed_redirects)
            return problem and f"redirected to {response.url}, which {problem}"
        return f"redirected to {response.url}"
    return f"answered {response.status_code}"


def pending_messages(client) -> list[str]:
    """Take the messages a response queued for the next page, so that a message naming
    another body's content is blamed on the request that queued it."""
    request = HttpRequest()
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.session = client.session
    texts = [str(message) for message in default_storage(request)]
    client.cookies.pop(CookieStorage.cookie_name, None)
    session = client.session
    if session.pop(SessionStorage.session_key, None) is not None:
        session.save()
    return texts


def leaked(response, secrets, client) -> list[str]:
    """The secrets ``response`` shows, as text or inside JSON (whose escapes hide them from a
    plain search), or in the messages it queued."""
    shown = response.content.decode(errors="replace") + "\n".join(pending_messages(client))
    return [secret for secret in secrets
            if secret in shown or json.dumps(secret)[1:-1] in shown]


def sweep(client, user, cluster, education, *, allowed_redirects, own_screens=()):
    """Try every route as ``user``; return the list of failures (empty when all refused).

    ``own_screens`` are listings whose whole point is to show this user every body's records
    (the auditor's audit list); they are not checked for the education body's data.
    """
    client.force_login(user)
    failures = []
    before = state_of(cluster, education)
    for route in admin_routes():
        if route.name in NOT_OBJECT_ROUTES or route.name in own_screens:
            continue
        if route.name in PAGE_CHOOSER:
            for url in chooser_urls(route, cluster):
                if secrets := leaked(client.get(url), education["unpublished"], client):
                    failures.append(f"GET {url} ({route.name}): shows {secrets}")
            continue
        urls = object_urls(route, cluster, education)
        if urls:
            for url in urls:
                for method in ("get", "post"):
                    response = (client.get(url) if method == "get"
                                else client.post(url, POST_DATA))
                    if secrets := leaked(response, education["secrets"], client):
                        failures.append(f"{method.upper()} {url} ({route.name}): shows {secrets}")
                    problem = refusal_problem(response, allowed_redirects=allowed_redirects,
                                              client=client)
                    if problem:
                        failures.append(f"{method.upper()} {url} ({route.name}): {problem}")
        else:
            for url in listing_urls(route, cluster):
                response = client.get(url)
                if secrets := leaked(response, education["secrets"], client):
                    failures.append(f"GET {url} ({route.name}): shows {secrets}")
    if state_of(cluster, education) != before:
        failures.append("the education body's objects changed")
    return failures



def explorable_root_url(user) -> str:
    root = page_permission_policy.explorable_root_instance(user)
    return reverse("wagtailadmin_explore", args=[root.pk]) if root else ""


def test_the_sweep_covers_pages_documents_images_and_settings(cluster, education):
    routes = admin_routes()
    names = {route.name for route in routes}
    for expected in ("wagtailadmin_pages:edit", "wagtailadmin_pages:delete",
                     "wagtailadmin_pages:unpublish", "wagtailadmin_pages:move_confirm",
                     "wagtailadmin_pages:revisions_revert", "wagtaildocs:edit",
                     "wagtaildocs:delete", "wagtailimages:edit", "wagtailimages:delete",
                     "wagtaildocs_chooser:chosen", "wagtailimages_chooser:chosen",
                     "wagtailadmin_api:pages:detail", "wagtailsites:edit",
                     "cluster_sites:edit", "bodies:edit", "memberships:delete",
                     "sitecluster_adopt_submission", "wagtail_bulk_action"):
        assert expected in names, expected
    assert names >= NOT_OBJECT_ROUTES, "a skipped route no longer exists; update the list"
    # Every other route is either tried on the education objects or, taking none, listed and
    # searched; a route whose arguments the sweep cannot fill fails here instead of being
    # skipped.
    swept = [route for route in routes if route.name not in NOT_OBJECT_ROUTES | PAGE_CHOOSER]
    assert all(chooser_urls(route, cluster) for route in routes if route.name in PAGE_CHOOSER)
    object_routes = [route for route in swept if object_urls(route, cluster, education)]
    for route in swept:
        if route not in object_routes:
            assert listing_urls(route, cluster), route
    assert len(object_routes) >= 60
    assert len(bulk_action_urls(cluster, education)) >= 10


@pytest.mark.parametrize("role", [*BODY_ROLES, Role.AUDITOR])
def test_staff_of_another_body_are_refused_every_route_and_see_no_data(client, cluster,
                                                                       education, role):
    user = cluster.user("health", role)
    allowed = {reverse("wagtailadmin_home"), explorable_root_url(user)}
    own_screens = AUDIT_LIST if role == Role.AUDITOR else ()
    failures = sweep(client, user, cluster, education, allowed_redirects=allowed,
                     own_screens=own_screens)
    assert not failures, f"health {role}:\n" + "\n".join(failures)


def test_the_explorer_of_the_portal_does_not_list_education_columns_for_health_staff(
        client, cluster):
    user = cluster.user("health", Role.SITE_ADMINISTRATOR)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_explore", args=[cluster.portal.home_page.pk]),
                          follow=True)
    html = response.content.decode()
    assert cluster.health_news.title in html
    assert cluster.education_news.title not in html
    assert reverse("wagtailadmin_pages:edit", args=[cluster.education_site.home_page.pk]) \
        not in html


# The role limits inside the education body itself.


def article_form(article, **overrides):
    data = {
        "title": article.title, "slug": article.slug, "subtitle": "", "source": "",
        "author": "", "publication_date": article.publication_date.strftime("%Y-%m-%d %H:%M"),
        "summary": "", "keywords": "", "body": rich_text(article.body),
        "images": inline_formset([]), "attachments": inline_formset([]),
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def assert_refused(response, what):
    problem = refusal_problem(response, allowed_redirects={reverse("wagtailadmin_home")})
    assert problem is None, f"{what}: {problem}"


def test_contributor_adds_drafts_but_cannot_edit_or_publish_pages_they_do_not_own(client,
                                                                                  cluster):
    contributor = cluster.user("education", Role.CONTRIBUTOR)
    article = cluster.education_article
    assert article.owner is None
    client.force_login(contributor)
    assert_refused(client.get(edit_url(article)), "contributor opening an article they do not own")
    response = client.post(edit_url(article), article_form(article, title="通讯员改的标题"))
    assert_refused(response, "contributor saving an article they do not own")
    add_url = reverse("wagtailadmin_pages:add",
                      args=["sitecluster", "articlepage", cluster.education_news.pk])
    assert client.get(add_url).status_code == 200
    draft = ArticlePage(title="通讯员稿件", slug="tongxunyuan", body="<p>稿件</p>")
    response = client.post(add_url, article_form(draft, **{"action-publish": "publish"}))
    assert response.status_code == 302
    created = ArticlePage.objects.get(slug="tongxunyuan")
    assert created.owner == contributor
    assert not created.live, "a contributor's publish must only save a draft"
    article.refresh_from_db()
    assert article.title == "示例市教育局部署秋季开学工作"


def test_editor_edits_but_publishing_only_saves_a_draft(client, cluster):
    draft = make_article(column=cluster.education_news, title="编辑的草稿", publish=False)
    client.force_login(cluster.user("education", Role.EDITOR))
    assert client.get(edit_url(draft)).status_code == 200
    response = client.post(edit_url(draft),
                           article_form(draft, title="编辑改过的草稿",
                                        **{"action-publish": "publish"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision_as_object().title == "编辑改过的草稿"
    assert client.post(reverse("wagtailadmin_pages:unpublish",
                               args=[cluster.education_article.pk])).status_code != 200
    cluster.education_article.refresh_from_db()
    assert cluster.education_article.live


def test_reviewer_publishes(client, cluster):
    draft = make_article(column=cluster.education_news, title="待审核的稿件", publish=False)
    client.force_login(cluster.user("education", Role.REVIEWER))
    response = client.post(edit_url(draft), article_form(draft, **{"action-publish": "publish"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live


def test_confidentiality_reviewer_reviews_but_cannot_add_pages(client, cluster):
    client.force_login(cluster.user("education", Role.CONFIDENTIALITY_REVIEWER))
    assert client.get(edit_url(cluster.education_article)).status_code == 200
    for url in (reverse("wagtailadmin_pages:add",
                        args=["sitecluster", "articlepage", cluster.education_news.pk]),
                reverse("wagtailadmin_pages:add_subpage", args=[cluster.education_news.pk])):
        assert_refused(client.get(url), f"confidentiality reviewer adding a page at {url}")


def test_site_administrator_edits_their_site_settings_but_not_another_bodys(client, cluster):
    client.force_login(cluster.user("education", Role.SITE_ADMINISTRATOR))
    own = client.get(reverse("cluster_sites:edit", args=[cluster.education_site.pk]))
    assert own.status_code == 200
    assert cluster.education_site.identification_code in own.content.decode()
    other = client.get(reverse("cluster_sites:edit", args=[cluster.health_site.pk]))
    assert_refused(other, "education site administrator opening health's settings")
    assert cluster.health_site.identification_code not in other.content.decode()


def test_auditor_sees_the_audit_list_and_no_page_editor(client, cluster):
    client.force_login(cluster.user("education", Role.AUDITOR))
    assert client.get(reverse("audit_events:index")).status_code == 200
    for page in (cluster.education_article, cluster.education_news,
                 cluster.education_site.home_page):
        assert_refused(client.get(edit_url(page)), f"auditor opening {page.title}")


def test_system_administrator_edits_any_page_and_body_but_not_the_audit_list(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    for page in (cluster.education_article, cluster.health_article, cluster.district_news):
        assert client.get(edit_url(page)).status_code == 200, page.title
    assert client.get(reverse("bodies:edit", args=[cluster.health.pk])).status_code == 200
    assert client.get(reverse("cluster_sites:edit",
                              args=[cluster.health_site.pk])).status_code == 200
    assert_refused(client.get(reverse("audit_events:index")), "system administrator")


def test_editors_of_a_body_cannot_submit_or_decide_for_another_body(client, cluster, education):
    submission = education["submission"]
    client.force_login(cluster.user("health", Role.EDITOR))
    assert_refused(client.post(reverse("sitecluster_adopt_submission", args=[submission.pk])),
                   "health editor adopting")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


@pytest.mark.xfail(strict=True, reason=(
    "Wagtail's page chooser names any page by id, drafts included: the parent row of "
    "/admin/choose-page/<id>/ and /admin/choose-page/chosen-multiple/?id=<id> take no "
    "construct_page_chooser_queryset hook. Closing them needs replacing those two views."))
def test_known_gap_the_page_chooser_names_a_draft_asked_for_by_id(client, cluster, education):
    draft = education["pages"][-1]
    client.force_login(cluster.user("health", Role.CONTRIBUTOR))
    for url in (reverse("wagtailadmin_choose_page_child", args=[draft.pk]),
                reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={draft.pk}"):
        assert not leaked(client.get(url), [draft.title], client), url
