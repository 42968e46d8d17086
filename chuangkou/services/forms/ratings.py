"""Forms of 好差评: the applicant's rating (five radio groups and a comment), the public
filters of the published figures, and the staff forms of rectification, appeals and
statistics. Forms parse input; the rules are the actions'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.organizations.models import Body

from ..actions.ratings import (
    APPEAL_REASON_MIN_CHARS,
    ENTRY_NOTE_MIN_CHARS,
    RATING_COMMENT_MAX_CHARS,
    RATING_INDICATORS,
    RatingInput,
)
from ..choices import RatingLevel, RectificationEntryKind

__all__ = [
    "AppealDecisionForm",
    "AppealForm",
    "AssignHandlerForm",
    "CloseCaseForm",
    "RatingForm",
    "RatingStatisticsFilterForm",
    "RatingsFilterForm",
    "RectificationEntryForm",
]

LEVEL_CHOICES = [(level.value, f"{level.value} {level.label}") for level in RatingLevel]
FIRST_YEAR = 2000


def _level_field(name) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=name, coerce=int, widget=forms.RadioSelect, choices=LEVEL_CHOICES,
        error_messages={
            "required": _("请为“%(name)s”选择一个评价等级。") % {"name": name},
            "invalid_choice": _("“%(name)s”只能从五个等级中选择一项。") % {"name": name}})


class RatingForm(AccessibleFormMixin, forms.Form):
    """好差评: 整体满意度 and the four online sub-indicators (GB/T 39734-2020), each a
    group of five radio buttons in its own fieldset, and an optional comment."""

    comment = forms.CharField(
        label=_("评价内容（选填）"), required=False, max_length=RATING_COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不超过%(max)d个字。请勿填写身份证号码、手机号码等个人信息。") % {
            "max": RATING_COMMENT_MAX_CHARS},
        error_messages={"max_length": _(
            "评价内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "rating-%s")
        super().__init__(*args, **kwargs)
        indicators = {name: _level_field(label) for name, label in RATING_INDICATORS}
        self.fields = {**indicators, "comment": self.fields["comment"]}
        self._describe_fields()

    def level_fields(self):
        return [self[name] for name, _label in RATING_INDICATORS]

    def rating_input(self) -> RatingInput:
        data = self.cleaned_data
        return RatingInput(**{name: data[name] for name, _label in RATING_INDICATORS},
                           comment=data.get("comment", ""))


def _year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", _("全部年度"))] + [(str(year), f"{year}年")
                                    for year in range(this_year, FIRST_YEAR - 1, -1)]


class RatingsFilterForm(forms.Form):
    """好差评公示 filters (GET): a body and a year."""

    body = forms.ModelChoiceField(label=_("单位"), queryset=Body.objects.none(), required=False,
                                  empty_label=_("全部单位"), to_field_name="slug",
                                  error_messages={"invalid_choice": _("请选择列表中的单位。")})
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None,
                                  error_messages={"invalid_choice": _("请选择列表中的年度。")})

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = (bodies if bodies is not None
                                        else Body.objects.order_by("path"))
        self.fields["year"].choices = _year_choices()


class RatingStatisticsFilterForm(RatingsFilterForm):
    """The staff statistics: the same filters, limited to the user's bodies."""


class AssignHandlerForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("整改责任人"), queryset=None, empty_label=_("请选择"),
        error_messages={"required": _("请选择整改责任人。"),
                        "invalid_choice": _("整改责任人须是被评价单位的办件人员。")})

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = (
            lambda user: user.get_full_name() or user.get_username())


class RectificationEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("记录类型"),
        choices=[(RectificationEntryKind.FOLLOW_UP.value, RectificationEntryKind.FOLLOW_UP.label),
                 (RectificationEntryKind.RECTIFICATION.value,
                  RectificationEntryKind.RECTIFICATION.label)],
        error_messages={"required": _("请选择记录类型：回访或整改情况。"),
                        "invalid_choice": _("请选择记录类型：回访或整改情况。")})
    note = forms.CharField(
        label=_("记录内容"), min_length=ENTRY_NOTE_MIN_CHARS, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写记录内容，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS},
                        "min_length": _("请填写记录内容，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS}})


class CloseCaseForm(forms.Form):
    conclusion = forms.CharField(
        label=_("整改结果"), min_length=ENTRY_NOTE_MIN_CHARS, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将在好差评公示中公开（身份证号码、手机号码会被遮蔽）。"),
        error_messages={"required": _("请填写整改结果，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS},
                        "min_length": _("请填写整改结果，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS}})


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"), min_length=APPEAL_REASON_MIN_CHARS, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说明该评价为何属于误评或恶意评价，至少%(n)d个字。") % {
            "n": APPEAL_REASON_MIN_CHARS},
        error_messages={"required": _("请说明申诉理由，至少%(n)d个字。") % {
            "n": APPEAL_REASON_MIN_CHARS},
                        "min_length": _("请说明申诉理由，至少%(n)d个字。") % {
            "n": APPEAL_REASON_MIN_CHARS}})


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结论"), widget=forms.RadioSelect,
        choices=[("uphold", _("申诉成立，撤除该评价")), ("reject", _("申诉不成立，保留该评价"))],
        error_messages={"required": _("请选择复核结论。"),
                        "invalid_choice": _("请选择复核结论。")})
    note = forms.CharField(
        label=_("复核意见"), min_length=ENTRY_NOTE_MIN_CHARS, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写复核意见，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS},
                        "min_length": _("请填写复核意见，至少%(n)d个字。") % {
            "n": ENTRY_NOTE_MIN_CHARS}})
