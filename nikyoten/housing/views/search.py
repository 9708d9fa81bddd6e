"""Public listing pages: search (list and map), one listing, the exports; a seeker's saved searches."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing import listing_export
from nikyoten.housing.access import Action, access_listing, access_saved_search
from nikyoten.housing.filters import ListingFilterSet, canonical_query
from nikyoten.housing.forms.search import SavedSearchForm
from nikyoten.housing.models import Listing
from nikyoten.housing.querysets import stale_before
from nikyoten.housing.selectors import search as selectors
from nikyoten.housing.services import search as services
from nikyoten.housing.templatetags.housing_search import price, rent

PAGE_SIZE = 20
#: The page counts up to this many results and then says 「1,000 件以上」: counting a million matches would
#: cost more than the page itself (see bench/README.md); 50 pages are plenty, narrower filters do better.
COUNT_CAP = 1000
#: The filters shown as checkboxes under こだわり条件.
FLAG_FIELDS = ("parking", "farmland", "shop", "pets", "fibre", "fresh", "photos", "trial_stay")


def _map_markers(listings: list[Listing]) -> list[dict[str, Any]]:
    """The page's listings with a point, for the map script (which puts every text in text nodes)."""
    return [
        {
            "lat": listing.latitude,
            "lng": listing.longitude,
            "title": listing.title,
            "summary": " ".join(
                part
                for part in (
                    listing.get_kind_display(),
                    price(listing.sale_price_yen)
                    if listing.sale_price_yen is not None
                    else rent(listing.rent_yen),
                    listing.floor_plan,
                )
                if part
            ),
            "url": reverse("housing:listing_detail", kwargs={"pk": listing.pk}),
        }
        for listing in listings
        if listing.latitude is not None and listing.longitude is not None
    ]


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (`capped` tells when there are more) and reads a page in two steps.

    The page's ids come first (a query the indexes can answer without reading the rows, see migration 0003),
    then those listings with their related rows: sorting whole rows of a large match costs far more.
    """

    capped = False

    @cached_property
    def count(self) -> int:
        listings = cast("QuerySet[Listing]", self.object_list)
        counted = listings[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        listings = cast("QuerySet[Listing]", self.object_list)
        ids = list(listings.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        return Page(selectors.listings_in_order(ids=ids), number, self)


class ListingListView(TemplateView):
    """The search: filters in a sidebar, results as a list (always) and on a map (`view=map`, with JS)."""

    template_name = "housing/listing_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        filterset = ListingFilterSet(params or None)
        form = filterset.form
        context: dict[str, Any] = {
            "form": form,
            "flag_fields": [form[name] for name in FLAG_FIELDS],
            "map_view": params.get("view") == "map",
        }
        try:
            listings = selectors.listing_search(actor=self.request.user, params=params)
        except ApplicationError:  # the bound form shows each error on its field
            return super().get_context_data(**context, page=None, **kwargs)
        page = CappedPaginator(listings, PAGE_SIZE).get_page(params.get("page"))
        query = params.copy()
        query.pop("page", None)
        context.update(
            page=page,
            querystring=query.urlencode(),
            stale_before=stale_before(),
            saved_search_form=SavedSearchForm(),
            search_query=canonical_query(params),
        )
        if context["map_view"]:
            context["markers"] = _map_markers(list(page.object_list))
        return super().get_context_data(**context, **kwargs)


class ListingDetailView(TemplateView):
    """One listing with every fact; withdrawn listings are found by their organization only (404 otherwise)."""

    template_name = "housing/listing_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        listing = access_listing(self.request.user, kwargs["pk"], action=Action.VIEW)
        before = stale_before()
        return super().get_context_data(
            listing=listing,
            photos=listing.photos.all(),
            trial_stay=getattr(listing, "trial_stay", None),
            stale_before=before,
            stale=listing.last_confirmed_at < before,
            surroundings=selectors.listing_surroundings(listing=listing),
            **kwargs,
        )


class ListingExportView(View):
    """The public listings matching the search, as CSV or GeoJSON, streamed (any size)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse | StreamingHttpResponse:
        try:
            listings = selectors.listing_public_export(params=request.GET)
        except ApplicationError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        site = request.build_absolute_uri("/").rstrip("/")

        def url(listing: Listing) -> str:
            return site + reverse("housing:listing_detail", kwargs={"pk": listing.pk})

        rows = listings.iterator(chunk_size=2000)
        if kwargs["format"] == "csv":
            chunks = listing_export.listings_csv(rows, stale_before=stale_before(), url=url)
            response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        else:
            chunks = listing_export.listings_geojson(rows, stale_before=stale_before(), url=url)
            response = StreamingHttpResponse(chunks, content_type="application/geo+json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nikyoten-listings.{kwargs["format"]}"'
        return response


class SavedSearchListView(LoginRequiredMixin, TemplateView):
    """The signed-in seeker's saved searches: open, rename, turn alerts on or off, delete."""

    template_name = "housing/saved_search_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        saved_searches = [
            (saved, SavedSearchForm(instance=saved, prefix=f"s{saved.pk}"))
            for saved in selectors.saved_search_list(actor=self.request.user)
        ]
        return super().get_context_data(
            saved_searches=saved_searches, limit=services.MAX_SAVED_SEARCHES, **kwargs
        )


class SavedSearchCreateView(LoginRequiredMixin, View):
    """Save the search in `query` (posted from the search page) under a name."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SavedSearchForm(request.POST)
        query = request.POST.get("query", "")
        back = f"{reverse('housing:listing_list')}?{query}"
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(back)
        try:
            services.saved_search_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                params=QueryDict(query),
                alerts_enabled=form.cleaned_data["alerts_enabled"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(request, _("検索「%(name)s」を保存しました。") % {"name": form.cleaned_data["name"]})
        return redirect("housing:saved_search_list")


class SavedSearchUpdateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved_search = access_saved_search(request.user, pk)
        form = SavedSearchForm(request.POST, instance=saved_search, prefix=f"s{saved_search.pk}")
        if form.is_valid():
            services.saved_search_update(
                actor=request.user,
                saved_search=saved_search,
                name=form.cleaned_data["name"],
                alerts_enabled=form.cleaned_data["alerts_enabled"],
            )
            messages.success(request, _("保存した検索を変更しました。"))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("housing:saved_search_list")


class SavedSearchDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved_search = access_saved_search(request.user, pk)
        services.saved_search_delete(actor=request.user, saved_search=saved_search)
        messages.success(request, _("保存した検索「%(name)s」を削除しました。") % {"name": saved_search.name})
        return redirect("housing:saved_search_list")
