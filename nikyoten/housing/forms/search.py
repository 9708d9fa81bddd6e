from django import forms
from django.utils.translation import gettext_lazy as _

from nikyoten.housing.models import SavedSearch


class SavedSearchForm(forms.ModelForm):  # type: ignore[type-arg]
    """Name a saved search and choose whether to receive new and changed listings by email."""

    class Meta:
        model = SavedSearch
        fields = ["name", "alerts_enabled"]
        labels = {"name": _("検索の名前"), "alerts_enabled": _("新着・更新をメールで受け取る")}
