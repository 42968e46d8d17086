"""Admin forms of the core app: they parse input only; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from .models import WorkingDayOverride

WORKING_DAY_CHOICES = (
    ("False", _("放假（法定节假日或调休休息日）")),
    ("True", _("上班（调休上班日）")),
)


class WorkingDayOverrideForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=AdminDateInput,
        error_messages={"invalid": _("请输入有效的日期，例如 2027-02-06。")},
    )
    is_working_day = forms.TypedChoiceField(
        label=_("当天"), choices=WORKING_DAY_CHOICES, coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("名称"), max_length=100,
                           help_text=_("例如：春节、国庆节、春节调休上班。"))
    source = forms.CharField(label=_("依据"), max_length=255,
                             help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知。"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        # The action replaces an existing entry; on the create screen that would silently
        # overwrite another administrator's work.
        if WorkingDayOverride.objects.filter(date=day).exists():
            raise forms.ValidationError(_("该日期已有调整记录，请在列表中编辑它。"))
        return day


class WorkingDayOverrideEditForm(WorkingDayOverrideForm):
    """The day itself is fixed: to move an entry, remove it and add the new day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].disabled = True
        self.fields["date"].help_text = _("日期不能修改；如需更换日期，请删除后重新添加。")

    def clean_date(self):
        return self.cleaned_data["date"]
