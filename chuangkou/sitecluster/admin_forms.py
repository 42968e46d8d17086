"""Admin forms of the site cluster. They parse input only; the actions apply the rules."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from chuangkou.organizations.forms import BodyChoiceField

from .actions import IDENTITY_FIELDS
from .models import ClusterSite, ColumnPage, PortalHomePage, SiteHomePage


class SiteIdentityForm(forms.Form):
    """A site's identity; the model's validators (网站标识码, hostname) run on each field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(ClusterSite, fields=IDENTITY_FIELDS))

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"]
        return hostname.strip().lower() if hostname else hostname


class HomePageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(obj.depth - 2, 0)}{obj.title}"


class SiteCreateForm(SiteIdentityForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "owner_body": BodyChoiceField(label=_("主管机构")),
            **self.fields,
            "slug": forms.SlugField(
                label=_("路径名称"), max_length=255, allow_unicode=True,
                help_text=_("站点首页在网址中的名称，如 jyj。"),
            ),
            "parent_page": HomePageChoiceField(
                label=_("上级页面"), required=False,
                queryset=Page.objects.type(PortalHomePage, SiteHomePage).order_by("path"),
                empty_label=_("（门户首页）"),
                help_text=_("站点首页放在哪个首页之下；留空则放在门户首页下。"),
            ),
            "is_portal": forms.BooleanField(label=_("门户网站"), required=False),
            "introduction": forms.CharField(label=_("简介"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 3})),
        }


class ColumnChoiceField(forms.ModelChoiceField):
    """Columns labelled with the site they belong to (栏目 of which 站点)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._site_names = None

    def label_from_instance(self, obj):
        if self._site_names is None:
            self._site_names = dict(
                ClusterSite.objects.values_list("home_page__path", "name")
            )
        owner = max((path for path in self._site_names if obj.path.startswith(path)),
                    key=len, default=None)
        return f"{self._site_names[owner]} › {obj.title}" if owner else obj.title


def columns_of_other_sites(site: ClusterSite | None):
    """Live columns that do not belong to ``site`` (columns of sites nested in it do not)."""
    columns = ColumnPage.objects.live().order_by("path")
    if site is None:
        return columns
    own = ColumnPage.objects.descendant_of(site.home_page)
    nested_home_paths = (
        ClusterSite.objects.filter(home_page__path__startswith=site.home_page.path)
        .exclude(pk=site.pk)
        .values_list("home_page__path", flat=True)
    )
    for path in nested_home_paths:
        own = own.exclude(path__startswith=path)
    return columns.exclude(pk__in=own.values("pk"))


class SubmitArticleForm(forms.Form):
    target_column = ColumnChoiceField(
        label=_("报送栏目"), queryset=ColumnPage.objects.none(),
        help_text=_("只能报送到其他站点的栏目，如门户网站的栏目。"),
    )

    def __init__(self, *args, site: ClusterSite | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_column"].queryset = columns_of_other_sites(site)


class DeclineSubmissionForm(forms.Form):
    reason = forms.CharField(
        label=_("不采用理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("报送单位会看到这段理由。"),
    )


def month_choices():
    return [("", _("全年")), *((str(month), _("%(month)d月") % {"month": month})
                               for month in range(1, 13))]


class AdoptionReportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("月份"), required=False, coerce=int,
                                   empty_value=None, choices=month_choices)

