"""Support pages: the program catalogue, "what can I get?", the two-base cost simulator and its exports."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.i18n import language, pick
from nikyoten.support import cost, eligibility, exports, facts, selectors, services
from nikyoten.support.access import ProgramAction, access_program
from nikyoten.support.choices import BudgetStatus
from nikyoten.support.forms import (
    FACT_KIND_LABELS,
    AnswersForm,
    BudgetStatusForm,
    CheckMunicipalitiesForm,
    CostSimulationForm,
    ProgramCreateForm,
    ProgramFilterForm,
    ProgramVersionForm,
    RouteFareForm,
)
from nikyoten.support.models import ProgramVersion, SupportProgram
from nikyoten.support.travel_model import Mode


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
                user=self.request.user,
                candidates=candidates,
                answers=self.request.session.get(SESSION_ANSWERS),
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
            for _program, _version, rule in selectors.programs_in_force(
                actor=self.request.user, municipality=m, on=today
            )
        ]
        questions = eligibility.questions_for(rules)
        program_choices = selectors.program_key_choices()
        saved = self.saved_answers()
        form = AnswersForm(
            answers_data,
            questions=questions,
            program_choices=program_choices,
            initial=AnswersForm.initial_from(saved, questions),
        )
        context.update(answers_form=form, municipalities=municipalities, answered=bool(saved))
        try:
            profile = selectors.profile_for(
                user=self.request.user, answers=None if self.request.user.is_authenticated else saved
            )
        except ApplicationError:
            profile = facts.Profile(evaluation_date=today)
        context["checks"] = selectors.eligibility_check(
            actor=self.request.user, profile=profile, municipalities=municipalities
        )
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
                    selectors.profile_checked(
                        data={**merged, "evaluation_date": timezone.localdate().isoformat()}
                    )
                    request.session[SESSION_ANSWERS] = merged
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
        current = next(
            (
                v
                for v in versions
                if v.effective_from <= today and (v.effective_to is None or v.effective_to >= today)
            ),
            None,
        )
        preview = None
        if current is not None:
            rule = services.rule_check(
                program=program,
                parts={
                    "conditions": current.conditions,
                    "benefit": current.benefit,
                    "window": current.window,
                    "repayment": current.repayment,
                    "stacking": current.stacking,
                },
            )
            preview = selectors.program_preview(program=program, rule=rule, on=today)
        return super().get_context_data(
            program=program, versions=versions, current=current, preview=preview, **kwargs
        )


# --- Staff authoring: the programs an editor manages, their versions, budget status and route fares ---------


def _may_author(user: Any) -> bool:
    """Platform admins and editors (or admins) of an organization author programs and route fares."""
    return is_platform_admin(user) or bool(organizations_with_role(user, MembershipRole.EDITOR))


class StaffAuthoringMixin(LoginRequiredMixin):
    """Signed-in authors only: anyone else is answered 404, as for a program they may not edit."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not _may_author(request.user):
            raise NotFound(_("ページが見つかりません。"))
        return super().dispatch(request, *args, **kwargs)


def _form_errors_from(form: Any, exc: ValidationError) -> None:
    """A model's full_clean() refusal, on the form's fields where they exist."""
    for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class ProgramManageListView(LoginRequiredMixin, TemplateView):
    """The programs the signed-in user may edit, with the version in force today and its budget status."""

    template_name = "support/staff/program_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        programs = selectors.program_manage_list(actor=user)
        return super().get_context_data(programs=programs, may_create=_may_author(user), **kwargs)


class ProgramManageCreateView(StaffAuthoringMixin, FormView):  # type: ignore[type-arg]
    """Register a program (platform admins: any level; editors: their organization's place)."""

    template_name = "support/staff/program_manage_create.html"
    form_class = ProgramCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form: ProgramCreateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            program = services.program_create(
                actor=self.request.user,
                key=data["key"],
                name=data["name"],
                name_en=data["name_en"],
                level=data["level"],
                category=data["category"],
                municipality=data["municipality"],
                prefecture=data["prefecture"],
                organization=data["organization"],
                summary=data["summary"],
                funding_shares=data["funding_shares"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        except ValidationError as exc:
            _form_errors_from(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("支援制度「%(name)s」を登録しました。最初の版を追加してください。") % {"name": program.name},
        )
        return redirect("support:program_manage_detail", pk=program.pk)


class ProgramManageDetailView(LoginRequiredMixin, TemplateView):
    """A program for its editors: versions (newest first) with budget forms, and the form adding a version."""

    template_name = "support/staff/program_manage_detail.html"

    def program(self) -> SupportProgram:
        return access_program(self.request.user, self.kwargs["pk"], action=ProgramAction.EDIT)

    @staticmethod
    def current(versions: list[ProgramVersion], today: Any) -> ProgramVersion | None:
        """The version in force today, else the newest: the new version's form starts from it."""
        in_force = (
            v
            for v in versions
            if v.effective_from <= today and (v.effective_to is None or v.effective_to >= today)
        )
        return next(in_force, versions[0] if versions else None)

    def page(
        self,
        program: SupportProgram,
        *,
        budget_form: tuple[int, BudgetStatusForm] | None = None,
        preview: dict[str, Any] | None = None,
        version_form: ProgramVersionForm | None = None,
    ) -> dict[str, Any]:
        today = timezone.localdate()
        versions = list(selectors.program_versions(program=program))
        current = self.current(versions, today)
        if version_form is None:
            version_form = self.version_form(program, None, source=current, today=today)
        rows = []
        for version in versions:
            form = BudgetStatusForm(
                prefix=f"budget-{version.pk}",
                initial={"budget_status": version.budget_status, "deadline": version.deadline},
            )
            if budget_form is not None and budget_form[0] == version.pk:
                form = budget_form[1]
            rows.append((version, form))
        choice_facts = [
            (
                fact_key,
                pick(fact.label_ja, fact.label_en),
                [(value, pick(ja, en)) for value, (ja, en) in fact.choices.items()],
            )
            for fact_key, fact in facts.FACTS.items()
            if fact.kind == "choice"
        ]
        return {
            "program": program,
            "versions": rows,
            "current": current,
            "form": version_form,
            "preview": preview,
            "choice_facts": choice_facts,
            "fact_kinds": [
                (
                    fact_key,
                    pick(fact.label_ja, fact.label_en),
                    FACT_KIND_LABELS[fact.kind],
                    pick(fact.unit_ja, fact.unit_en),
                )
                for fact_key, fact in facts.FACTS.items()
            ],
        }

    @staticmethod
    def version_form(
        program: SupportProgram, data: Any, *, source: ProgramVersion | None, today: Any
    ) -> ProgramVersionForm:
        others = selectors.program_key_choices(exclude=program)
        return ProgramVersionForm(data, program=program, other_programs=others, source=source, today=today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        program = kwargs.pop("program", None) or self.program()
        return super().get_context_data(**self.page(program, **kwargs.pop("page", {})), **kwargs)


class ProgramVersionCreateView(ProgramManageDetailView):
    """Add a version (「保存」) or check it and show the seeker's questions without saving (「プレビュー」)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        program = self.program()
        today = timezone.localdate()
        current = self.current(list(selectors.program_versions(program=program)), today)
        form = self.version_form(program, request.POST, source=current, today=today)
        preview = None
        parts = form.parts() if form.is_valid() else None
        if parts is not None and "preview" in request.POST:
            try:
                rule = services.rule_check(program=program, parts=parts)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                preview = self.preview(program, rule, today)
        elif parts is not None:
            data = form.cleaned_data
            try:
                version = services.program_version_create(
                    actor=request.user,
                    program_id=program.pk,
                    effective_from=data["effective_from"],
                    effective_to=data["effective_to"],
                    budget_status=data["budget_status"],
                    deadline=data["deadline"],
                    source_url=data["source_url"],
                    last_verified=data["last_verified"],
                    notes=data["notes"],
                    **parts,
                )
            except NotFound:
                raise
            except ApplicationError as exc:
                form.add_service_error(exc)
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("%(date)s から適用する版を追加しました。")
                    % {"date": version.effective_from.isoformat()},
                )
                return redirect("support:program_manage_detail", pk=program.pk)
        page = {"version_form": form, "preview": preview}
        return self.render_to_response(self.get_context_data(program=program, page=page))

    @staticmethod
    def preview(program: SupportProgram, rule: eligibility.ProgramRule, today: Any) -> dict[str, Any]:
        """What a seeker with no answers yet would be asked, and the conditions as sentences."""
        evaluation = selectors.program_preview(program=program, rule=rule, on=today)
        questions = []
        for question in eligibility.questions_for([rule]):
            unit = pick(question.unit_ja, question.unit_en)
            label = pick(question.label_ja, question.label_en)
            questions.append(f"{label}（{unit}）" if unit else label)
        return {
            "questions": questions,
            "conditions": [pick(reason.text_ja, reason.text_en) for reason in evaluation.reasons],
            "amount": pick(evaluation.amount.text_ja, evaluation.amount.text_en),
            "repayment": [pick(step.text_ja, step.text_en) for step in evaluation.repayment],
            "place_known": program.municipality is not None,
        }


class ProgramVersionBudgetView(ProgramManageDetailView):
    """Change a version's budget status and deadline (services.program_version_set_budget)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        program = self.program()
        version = program.versions.filter(pk=kwargs["version_pk"]).first()
        if version is None:
            raise NotFound(_("支援制度の版が見つかりません。"))
        form = BudgetStatusForm(request.POST, prefix=f"budget-{version.pk}")
        if form.is_valid():
            try:
                services.program_version_set_budget(
                    actor=request.user,
                    version_id=version.pk,
                    budget_status=form.cleaned_data["budget_status"],
                    deadline=form.cleaned_data["deadline"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(date)s からの版の予算の状況を「%(status)s」にしました。")
                    % {
                        "date": version.effective_from.isoformat(),
                        "status": BudgetStatus(form.cleaned_data["budget_status"]).label,
                    },
                )
                return redirect("support:program_manage_detail", pk=program.pk)
        page = {"budget_form": (version.pk, form)}
        return self.render_to_response(self.get_context_data(program=program, page=page))


class RouteFareManageListView(LoginRequiredMixin, TemplateView):
    """Real fares of the user's organizations, and the form adding one (services.route_fare_save)."""

    template_name = "support/staff/route_fare_manage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        fares = selectors.route_fare_list(actor=user)
        may_author = _may_author(user)
        form = kwargs.pop("form", None) or (RouteFareForm(actor=user) if may_author else None)
        mode_labels = {m.value: pick(m.label_ja, m.label_en) for m in Mode}
        rows = [(fare, mode_labels.get(fare.mode, fare.mode)) for fare in fares]
        return super().get_context_data(fares=rows, form=form, may_author=may_author, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_author(request.user):
            raise NotFound(_("ページが見つかりません。"))
        form = RouteFareForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                fare = services.route_fare_save(
                    actor=request.user,
                    organization_id=data["organization"].pk,
                    origin=data["origin"],
                    destination=data["destination"],
                    mode=data["mode"],
                    one_way_yen=data["one_way_yen"],
                    monthly_pass_yen=data["monthly_pass_yen"],
                    one_way_minutes=data["one_way_minutes"],
                    source=data["source"],
                )
            except ApplicationError as exc:
                for field, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                if not exc.fields:
                    form.add_error(None, exc.message)
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(request, _("区間運賃（%(fare)s）を保存しました。") % {"fare": fare})
                return redirect("support:route_fare_manage_list")
        return self.render_to_response(self.get_context_data(form=form))
