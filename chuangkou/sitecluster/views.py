from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangkou.core.middleware import client_address_from
from chuangkou.core.ratelimit import count_hit

from .actions import report_site_error
from .forms import ErrorReportForm
from .queries import site_for_path, site_for_request

REPORTS_PER_HOUR_PER_ADDRESS = 10


def _rate_limited(request) -> bool:
    key = f"error-report-rate:{client_address_from(request)}"
    return count_hit(key, window_seconds=3600) > REPORTS_PER_HOUR_PER_ADDRESS


@require_http_methods(["GET", "POST"])
def report_error(request):
    """我为政府网站找错: a plain HTML form that works without JavaScript."""
    initial = {"page_url": request.GET.get("page", "/")[:500]}
    form = ErrorReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            report = report_site_error(
                page_url=form.cleaned_data["page_url"],
                description=form.cleaned_data["description"],
                contact=form.cleaned_data["contact"],
                form_token=form.cleaned_data["form_token"],
            )
            return render(request, "sitecluster/report_error_done.html",
                          {"report": report, "cluster_site": report.site})
        else:
            status = 400
    return render(request, "sitecluster/report_error.html",
                  {"form": form, "cluster_site": site_for_path(initial["page_url"])}, status=status)


def page_not_found(request, exception=None):
    """404 (页面不存在): in the layout of the site the reader was on, with the ways back
    (home, site map, 我为政府网站找错) that 政府网站发展指引 asks error pages to give."""
    try:
        cluster_site = site_for_request(request)
    except Exception:
        cluster_site = None
    return render(request, "404.html", {"cluster_site": cluster_site,
                                        "request_path": request.path}, status=404)
