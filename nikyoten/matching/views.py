"""Matching pages: the wishes form and its ranking, the comparison, saved profiles, and regions' own words."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.matching import selectors, services
from nikyoten.matching.access import access_matching_profile, access_story
from nikyoten.matching.forms import CompareForm, RegionProfileForm, SavedWishesForm, StoryForm, WishesForm
from nikyoten.matching.selectors import MAX_COMPARED
from nikyoten.regions.selectors import municipality_get

TOP = 30


def _form_errors(form: Any, error: ApplicationError | ValidationError) -> None:
    """A refusal from a service, shown on the form (by field where the service says which)."""
    if isinstance(error, ValidationError):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        fields = {f: m for f, m in error.fields.items() if f in form.fields}
        for field, errors in fields.items():
            form.add_error(field, errors)
        if not fields:
            form.add_error(None, error.message)


class MatchingView(TemplateView):
    """The wishes form (GET, usable without signing in) and, once filled in, the top municipalities.

    `?profile=<id>` (a saved profile of the signed-in seeker) redirects to the same wishes as a query string.
    """

    template_name = "matching/matching.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        profile_id = request.GET.get("profile")
        if profile_id:
            try:
                saved = access_matching_profile(request.user, profile_id)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            query = QueryDict(mutable=True)
            query.update({k: v for k, v in WishesForm.initial_of(saved).items() if v not in (None, False)})
            return redirect(f"{reverse('matching:matching')}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = WishesForm(self.request.GET if "base" in self.request.GET else None)
        context: dict[str, Any] = {"form": form, "max_compared": MAX_COMPARED}
        if form.is_bound and form.is_valid():
            context["wishes"] = form.wishes()
            context["ranking"] = selectors.region_ranking(wishes=context["wishes"], top=TOP)
            context["hidden"] = [
                (k, v) for k in self.request.GET for v in self.request.GET.getlist(k) if k != "code"
            ]
            context["save_form"] = SavedWishesForm(
                initial={"name": SavedWishesForm.base_fields["name"].initial}
            )
        return super().get_context_data(**context, **kwargs)


class CompareView(TemplateView):
    """Up to four municipalities on the same factors, values with units and sources, データなし where missing."""

    template_name = "matching/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = CompareForm(self.request.GET)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            results = selectors.region_comparison(wishes=form.wishes(), codes=form.cleaned_data["code"])
            context["results"] = results
            context["rows"] = [
                (contributions[0], contributions)
                for contributions in zip(*(r.contributions for r in results), strict=True)
            ]
        query = self.request.GET.copy()
        query.pop("code", None)
        context["back"] = f"{reverse('matching:matching')}?{query.urlencode()}"
        return super().get_context_data(**context, **kwargs)


class MatchingProfileListView(LoginRequiredMixin, TemplateView):
    template_name = "matching/matchingprofile_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            profiles=selectors.matching_profile_list(actor=self.request.user), **kwargs
        )


class MatchingProfileCreateView(LoginRequiredMixin, View):
    """Save the wishes shown with a ranking (the form on the results carries them)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SavedWishesForm(request.POST)
        if form.is_valid():
            try:
                services.matching_profile_create(
                    actor=request.user, name=form.cleaned_data["name"], wishes=form.wishes()
                )
            except (ApplicationError, ValidationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("条件を保存しました。"))
                return redirect("matching:matchingprofile_list")
        return render(request, "matching/matchingprofile_edit.html", {"form": form}, status=400)


class MatchingProfileEditView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self._profile(request, pk)
        initial = SavedWishesForm.initial_of(profile) | {"name": profile.name}
        return render(
            request,
            "matching/matchingprofile_edit.html",
            {"form": SavedWishesForm(initial=initial), "profile": profile},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = self._profile(request, pk)
        form = SavedWishesForm(request.POST)
        if form.is_valid():
            try:
                services.matching_profile_update(
                    actor=request.user, profile=profile, name=form.cleaned_data["name"], wishes=form.wishes()
                )
            except (ApplicationError, ValidationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("条件を変更しました。"))
                return redirect("matching:matchingprofile_list")
        return render(
            request, "matching/matchingprofile_edit.html", {"form": form, "profile": profile}, status=400
        )

    @staticmethod
    def _profile(request: HttpRequest, pk: int) -> Any:
        try:
            return access_matching_profile(request.user, pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc


class MatchingProfileDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = MatchingProfileEditView._profile(request, pk)
        services.matching_profile_delete(actor=request.user, profile=profile)
        messages.success(request, _("条件を削除しました。"))
        return redirect("matching:matchingprofile_list")


class RegionProfileDetailView(TemplateView):
    """What a municipality says about itself (published), with dates."""

    template_name = "matching/regionprofile_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        municipality = municipality_get(code=self.kwargs["code"])  # NotFound (404) for unknown codes
        try:
            profile = selectors.region_profile_get(code=municipality.code, actor=self.request.user)
        except NotFound:
            profile = None  # a real municipality that has published nothing yet
        return super().get_context_data(municipality=municipality, profile=profile, **kwargs)


# --- Staff: what a region says about itself ------------------------------------------------------------


class RegionProfileManageListView(LoginRequiredMixin, TemplateView):
    template_name = "matching/staff/regionprofile_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            publishers=selectors.region_profile_manage_list(actor=self.request.user), **kwargs
        )


def _publisher(request: HttpRequest, organization_id: int) -> selectors.Publisher:
    try:
        return selectors.publisher_get(actor=request.user, organization_id=organization_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


class RegionProfileEditView(LoginRequiredMixin, View):
    template_name = "matching/staff/regionprofile_edit.html"

    def get(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        publisher = _publisher(request, organization_id)
        form = RegionProfileForm(initial=RegionProfileForm.initial_of(publisher.profile))
        return render(request, self.template_name, {"form": form, "publisher": publisher})

    def post(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        publisher = _publisher(request, organization_id)
        form = RegionProfileForm(request.POST)
        if form.is_valid():
            try:
                services.region_profile_save(
                    actor=request.user, organization=publisher.organization, **form.cleaned_data
                )
            except (ApplicationError, ValidationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("地域の発信を保存しました。"))
                return redirect("matching:regionprofile_manage_list")
        return render(request, self.template_name, {"form": form, "publisher": publisher}, status=400)


class StoryCreateView(LoginRequiredMixin, View):
    template_name = "matching/staff/practitionerstory_edit.html"

    def get(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        publisher = self._publisher(request, organization_id)
        return render(request, self.template_name, {"form": StoryForm(), "publisher": publisher})

    def post(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        publisher = self._publisher(request, organization_id)
        form = StoryForm(request.POST)
        if form.is_valid() and publisher.profile is not None:
            try:
                services.story_create(actor=request.user, profile=publisher.profile, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("実践者の声を追加しました。"))
                return redirect("matching:regionprofile_manage_list")
        return render(request, self.template_name, {"form": form, "publisher": publisher}, status=400)

    @staticmethod
    def _publisher(request: HttpRequest, organization_id: int) -> selectors.Publisher:
        publisher = _publisher(request, organization_id)
        if publisher.profile is None:  # stories belong to a profile: write the profile first
            raise Http404(_("先に地域の発信を保存してください。"))
        return publisher


class StoryEditView(LoginRequiredMixin, View):
    template_name = "matching/staff/practitionerstory_edit.html"

    def _story(self, request: HttpRequest, pk: int) -> Any:
        try:
            return access_story(request.user, pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = self._story(request, pk)
        form = StoryForm(
            initial={
                "title": story.title,
                "body": story.body,
                "living_style": story.living_style,
                "is_published": story.is_published,
            }
        )
        return render(request, self.template_name, {"form": form, "story": story})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        story = self._story(request, pk)
        if "delete" in request.POST:
            services.story_delete(actor=request.user, story=story)
            messages.success(request, _("実践者の声を削除しました。"))
            return HttpResponseRedirect(reverse("matching:regionprofile_manage_list"))
        form = StoryForm(request.POST)
        if form.is_valid():
            try:
                services.story_update(actor=request.user, story=story, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("実践者の声を保存しました。"))
                return redirect("matching:regionprofile_manage_list")
        return render(request, self.template_name, {"form": form, "story": story}, status=400)
