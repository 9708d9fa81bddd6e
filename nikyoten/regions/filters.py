import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nikyoten.regions.choices import MunicipalityKind
from nikyoten.regions.models import Municipality
from nikyoten.regions.selectors import municipality_list


class MunicipalityFilter(django_filters.FilterSet):
    """Filters of the municipality list; wards appear only with `kind=ward` or `parent`."""

    prefecture = django_filters.CharFilter(method="filter_noop", label=_("都道府県コード（2桁）"))
    kind = django_filters.ChoiceFilter(
        choices=MunicipalityKind.choices, method="filter_noop", label=_("種別")
    )
    parent = django_filters.CharFilter(method="filter_noop", label=_("政令市のコード（その区を返す）"))
    q = django_filters.CharFilter(
        method="filter_noop", label=_("名称・よみがな・ローマ字・英語名（部分一致）")
    )

    class Meta:
        model = Municipality
        fields: list[str] = []

    def filter_noop(self, queryset: QuerySet[Municipality], name: str, value: str) -> QuerySet[Municipality]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Municipality]) -> QuerySet[Municipality]:
        data = self.form.cleaned_data
        return municipality_list(
            prefecture=data.get("prefecture") or None,
            kind=data.get("kind") or None,
            query=data.get("q") or None,
            parent=data.get("parent") or None,
        )
