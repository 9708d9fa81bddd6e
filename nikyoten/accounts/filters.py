import django_filters
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.choices import OrganizationKind
from nikyoten.accounts.models import Organization


class OrganizationFilter(django_filters.FilterSet):
    prefecture = django_filters.CharFilter(field_name="prefecture_id", label=_("都道府県コード（2桁）"))
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("市区町村コード（5桁）"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("種別"))

    class Meta:
        model = Organization
        fields = ["prefecture", "municipality", "kind"]
