"""Public pages for prefectures, municipalities and the postal-code lookup."""

from itertools import groupby
from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from nikyoten.core.exceptions import ApplicationError
from nikyoten.regions import selectors
from nikyoten.regions.forms import MunicipalitySearchForm, PostalCodeForm

PAGE_SIZE = 100


class PrefectureListView(TemplateView):
    template_name = "regions/prefecture_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        prefectures = list(selectors.prefecture_list())
        blocks = [list(items) for _block, items in groupby(prefectures, key=lambda p: p.region_block)]
        return super().get_context_data(blocks=blocks, **kwargs)


class MunicipalityListView(TemplateView):
    """Municipalities of one prefecture, or of all Japan when searching, with kana/romaji search."""

    template_name = "regions/municipality_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):  # set by django-htmx's middleware
            return ["regions/_municipality_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        code = kwargs.pop("prefecture", None)
        prefecture = selectors.prefecture_get(code=code) if code else None
        form = MunicipalitySearchForm(self.request.GET or None)
        query = kind = None
        if form.is_valid():
            query, kind = form.cleaned_data["q"] or None, form.cleaned_data["kind"] or None
        municipalities = selectors.municipality_list(
            prefecture=prefecture.code if prefecture else None, kind=kind, query=query
        )
        page = Paginator(municipalities, PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            prefecture=prefecture, form=form, page=page, query=query, querystring=params.urlencode(), **kwargs
        )


class MunicipalityDetailView(TemplateView):
    template_name = "regions/municipality_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        municipality, environment = selectors.municipality_environment(code=kwargs["code"])
        return super().get_context_data(municipality=municipality, environment=environment, **kwargs)


class PostalCodeLookupView(TemplateView):
    template_name = "regions/postal_code_lookup.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = PostalCodeForm(self.request.GET or None)
        addresses = None
        if form.is_valid():
            try:
                addresses = selectors.postal_code_get(code=form.cleaned_data["code"])
            except ApplicationError as exc:
                form.add_error("code", exc.message)
        return super().get_context_data(form=form, addresses=addresses, **kwargs)
