"""Support pages: the program catalogue, "what can I get?", the two-base cost simulator and its exports."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from nikyoten.core.i18n import language, pick
from nikyoten.support import cost, exports, selectors
from nikyoten.support.forms import CostSimulationForm


class CostSimulationView(TemplateView):
    """Two-base cost simulator (GET form, so results can be bookmarked and exported)."""

    template_name = "support/cost_simulation.html"

    def simulations(self, form: CostSimulationForm) -> list[selectors.Simulation] | None:
        if not form.is_valid():
            return None
        data = form.cleaned_data
        candidates = form.candidates()
        subsidies = (
            selectors.cost_subsidies(user=self.request.user, candidates=candidates, mode=data["mode"])
            if data["apply_programs"]
            else None
        )
        try:
            return selectors.cost_simulation(
                base_a=data["base_a"],
                candidates=candidates,
                mode=data["mode"],
                trips_per_month=float(data["trips_per_month"]),
                months=data["months"],
                second_home_rent_monthly=data["second_home_rent_monthly"],
                utilities_monthly=data["utilities_monthly"],
                internet_monthly=data["internet_monthly"],
                car_monthly=data["car_monthly"],
                one_time_costs=data["one_time_costs"],
                subsidies=subsidies,
            )
        except cost.CostInputInvalid as exc:
            for error in exc.errors:
                field = {"base_b": "base_b_1"}.get(error.field, error.field)
                form.add_error(
                    field if field in form.fields else None, pick(error.message_ja, error.message_en)
                )
            return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = CostSimulationForm(self.request.GET or None)
        simulations = self.simulations(form)
        context: dict[str, Any] = {
            "form": form,
            "simulations": simulations,
            "querystring": self.request.GET.urlencode(),
            "month_columns": ["month", *cost.CATEGORIES, "net"],
        }
        if simulations:
            # svg_chart escapes every text it draws.
            context["chart"] = cost.svg_chart(
                [s.result for s in simulations], title=_("累計の差引費用"), language=language()
            )
        return super().get_context_data(**context, **kwargs)


class CostSimulationExportView(CostSimulationView):
    """The same simulation as CSV (one candidate, `candidate=N`) or PDF (all candidates)."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CostSimulationForm(request.GET)
        simulations = self.simulations(form)
        if not simulations:
            return HttpResponse(
                _("入力内容を確認してください。"), status=400, content_type="text/plain; charset=utf-8"
            )
        if kwargs["format"] == "csv":
            index = min(max(int(request.GET.get("candidate", "1") or 1), 1), len(simulations)) - 1
            simulation = simulations[index]
            body = "\ufeff" + exports.to_csv(simulation.result, language=language())
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            filename = f"nikyoten-cost-{simulation.result.base_a.code}-{simulation.result.base_b.code}.csv"
        else:
            title = _("二拠点生活の費用試算")
            response = HttpResponse(
                exports.to_pdf([s.result for s in simulations], title=title, language=language()),
                content_type="application/pdf",
            )
            filename = f"nikyoten-cost-{simulations[0].result.base_a.code}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
