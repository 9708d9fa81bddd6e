from datetime import date

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nikyoten.regions.models import Municipality
from nikyoten.support.choices import ProgramCategory, ProgramLevel
from nikyoten.support.models import SupportProgram
from nikyoten.support.selectors import program_list


class ProgramFilter(django_filters.FilterSet):
    """Filters of the program list; every one is passed to `selectors.program_list`, which owns the query."""

    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        method="filter_noop",
        label=_("市区町村コード（5桁）: 国・その都道府県・その市区町村の制度"),
        error_messages={"invalid_choice": _("市区町村が見つかりません。")},
    )
    prefecture = django_filters.CharFilter(method="filter_noop", label=_("都道府県コード（2桁）"))
    level = django_filters.ChoiceFilter(
        choices=ProgramLevel.choices, method="filter_noop", label=_("実施主体")
    )
    category = django_filters.ChoiceFilter(
        choices=ProgramCategory.choices, method="filter_noop", label=_("分類")
    )
    open_now = django_filters.BooleanFilter(
        method="filter_noop_bool",
        label=_("true: 基準日に有効な版があり、予算の受付が終わっておらず、締切を過ぎていない制度だけ"),
    )
    on = django_filters.DateFilter(method="filter_noop_date", label=_("基準日（YYYY-MM-DD、省略時は今日）"))

    class Meta:
        model = SupportProgram
        fields: list[str] = []

    # `filter_queryset` hands every value to `program_list`, so these are never called; the types of their
    # `value` tell drf-spectacular each parameter's type.
    def filter_noop(
        self, queryset: QuerySet[SupportProgram], name: str, value: str
    ) -> QuerySet[SupportProgram]:
        return queryset

    def filter_noop_bool(
        self, queryset: QuerySet[SupportProgram], name: str, value: bool
    ) -> QuerySet[SupportProgram]:
        return queryset

    def filter_noop_date(
        self, queryset: QuerySet[SupportProgram], name: str, value: date
    ) -> QuerySet[SupportProgram]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[SupportProgram]) -> QuerySet[SupportProgram]:
        data = self.form.cleaned_data
        return program_list(
            actor=self.request.user if self.request is not None else None,
            municipality=data.get("municipality"),
            prefecture=data.get("prefecture") or None,
            level=data.get("level") or None,
            category=data.get("category") or None,
            open_now=bool(data.get("open_now")),
            on=data.get("on"),
        )
