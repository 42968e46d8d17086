"""Forms of 服务定制: the themes a citizen follows and the moves of a pinned service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin

from ..actions.customisation import MOVE_DIRECTIONS
from ..choices import ThemeAudience
from ..models import ServiceTheme

__all__ = ["InterestsForm", "MovePinForm"]


class InterestsForm(AccessibleFormMixin, forms.Form):
    """关注的主题: one group of check boxes per theme list (个人办事, 法人办事)."""

    def __init__(self, *args, themes: list[ServiceTheme], chosen: set[int] = frozenset(),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(theme.pk): theme for theme in themes}
        for audience, label in ThemeAudience.choices:
            group = [theme for theme in themes if theme.audience == audience]
            if not group:
                continue
            self.fields[f"themes_{audience}"] = forms.MultipleChoiceField(
                label=label, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(str(theme.pk), theme.name) for theme in group],
                initial=[str(theme.pk) for theme in group if theme.pk in chosen],
                error_messages={"invalid_choice": _("所选主题不存在，请重新选择。")})

    def chosen_themes(self) -> list[ServiceTheme]:
        return [self.themes[value] for name in self.fields
                for value in self.cleaned_data.get(name, [])]


class MovePinForm(forms.Form):
    direction = forms.ChoiceField(choices=[(value, value) for value in MOVE_DIRECTIONS],
                                  error_messages={"required": _("请选择上移或下移。"),
                                                  "invalid_choice": _("请选择上移或下移。")})
