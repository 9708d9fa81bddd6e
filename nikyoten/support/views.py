"""Support pages: the program catalogue, "what can I get?", the two-base cost simulator and its exports."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from nikyoten.core.i18n import language, pick
from nikyoten.core.exceptions import ApplicationError
from nikyoten.support import cost, eligibility, exports, facts, selectors, services
from nikyoten.support.access import ProgramAction, access_program
from nikyoten.support.forms import AnswersForm, CheckMunicipalitiesForm, CostSimulationForm, ProgramFilterForm
from nikyoten.support.models import SupportProgram


class CostSimulationView(TemplateView):
    """Two-base cost simulator (GET form, so results can be bookmarked and exported)."""

    template_name = "support/cost_simulation.html"

    def simulations(self, form: CostSimulationForm) -> list[selectors.Simulation] | None:
        if not form.is_valid():
            return None
        data = form.cleaned_data
        candidates = form.candidates()
        subsidies = (
            selectors.cost_subsidies(
                user=self.request.user, candidates=candidates, answers=self.request.session.get(SESSION_ANSWERS)
            )
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


SESSION_ANSWERS = "support_answers"


class SupportCheckView(TemplateView):
    """「受けられる支援」: pick up to four municipalities, answer what their programs ask, see every program."""

    template_name = "support/support_check.html"

    def saved_answers(self) -> dict[str, Any]:
        user = self.request.user
        if user.is_authenticated and hasattr(user, "support_profile"):
            return dict(user.support_profile.answers)
        return dict(self.request.session.get(SESSION_ANSWERS, {}))

    def build(self, answers_data: Any = None) -> dict[str, Any]:
        place_form = CheckMunicipalitiesForm(self.request.GET or None)
        context: dict[str, Any] = {"place_form": place_form, "querystring": self.request.GET.urlencode()}
        if not place_form.is_valid():
            return context
        municipalities = place_form.municipalities()
        today = timezone.localdate()
        rules = [
            rule
            for m in municipalities
            for _program, _version, rule in selectors.programs_in_force(actor=self.request.user, municipality=m, on=today)
        ]
        questions = eligibility.questions_for(rules)
        program_choices = [(p.key, p.name) for p in SupportProgram.objects.order_by("name")]
        saved = self.saved_answers()
        form = AnswersForm(
            answers_data,
            questions=questions,
            program_choices=program_choices,
            initial=AnswersForm.initial_from(saved, questions),
        )
        context.update(answers_form=form, municipalities=municipalities, answered=bool(saved))
        try:
            profile = selectors.profile_for(user=self.request.user, answers=None if self.request.user.is_authenticated else saved)
        except facts.ProfileInputError:
            profile = facts.Profile(evaluation_date=today)
        context["checks"] = selectors.eligibility_check(actor=self.request.user, profile=profile, municipalities=municipalities)
        return context

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**self.build(), **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.build(request.POST)
        form = context.get("answers_form")
        if form is None:
            return self.render_to_response(context)
        if form.is_valid():
            answers = form.answers()
            try:
                if request.user.is_authenticated:
                    services.seeker_profile_save(user=request.user, answers=answers)  # type: ignore[arg-type]
                else:
                    merged = {**self.saved_answers(), **answers}
                    checked = facts.profile_from_dict({**merged, "evaluation_date": timezone.localdate().isoformat()})
                    problems = facts.validate_profile(checked)
                    if problems:
                        raise services.profile_error(problems)
                    request.session[SESSION_ANSWERS] = merged
            except facts.ProfileInputError as exc:
                form.add_error(None, services.profile_error(exc.errors).message)
            except ApplicationError as exc:
                for field, messages_ in exc.fields.items():
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("回答を保存しました。結果を更新しました。"))
                return HttpResponseRedirect(f"{request.path}?{request.GET.urlencode()}#results")
        return self.render_to_response(context)


class ProgramListView(TemplateView):
    """The catalogue: every program with its current version, filtered by place, level and category."""

    template_name = "support/program_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ProgramFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        programs = selectors.program_list(
            actor=self.request.user,
            municipality=filters.get("municipality"),
            level=filters.get("level") or None,
            category=filters.get("category") or None,
            open_now=bool(filters.get("open_now")),
        )
        return super().get_context_data(form=form, programs=programs, **kwargs)


class ProgramDetailView(TemplateView):
    """One program: its current rules in words, and every version (history with periods and sources)."""

    template_name = "support/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        program = access_program(self.request.user, kwargs["pk"], action=ProgramAction.VIEW)
        versions = list(selectors.program_versions(program=program))
        today = timezone.localdate()
        current = next((v for v in versions if v.effective_from <= today and (v.effective_to is None or v.effective_to >= today)), None)
        preview = None
        if current is not None:
            rule = services.rule_check(program=program, parts={
                "conditions": current.conditions, "benefit": current.benefit, "window": current.window,
                "repayment": current.repayment, "stacking": current.stacking,
            })
            destination = selectors.destination_for(municipality=program.municipality) if program.municipality else facts.Destination(code="", prefecture_code=program.prefecture_id or "")
            preview = eligibility.evaluate(rule, facts.Profile(evaluation_date=today), destination)
        return super().get_context_data(program=program, versions=versions, current=current, preview=preview, **kwargs)
