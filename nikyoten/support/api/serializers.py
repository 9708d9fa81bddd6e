from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.regions.models import Municipality
from nikyoten.regions.selectors import municipality_resolve
from nikyoten.support import cost, facts
from nikyoten.support.choices import BudgetStatus, ProgramCategory, ProgramLevel
from nikyoten.support.eligibility import Status, Verdict, WindowStatus
from nikyoten.support.models import ProgramVersion, RouteFare, SupportProgram
from nikyoten.support.selectors import MunicipalityEligibility, ProgramResult, Simulation
from nikyoten.support.travel_model import Mode

MAX_MUNICIPALITIES = 4  # as many as the cost simulator compares
MAX_YEN = 10_000_000  # the cost form's limit for a monthly or one-time amount


# --- programs ---------------------------------------------------------------------------------------------


class ProgramVersionCurrentOutputSerializer(serializers.ModelSerializer[ProgramVersion]):
    benefit = serializers.DictField()
    window = serializers.DictField()
    repayment = serializers.ListField(child=serializers.DictField())

    class Meta:
        model = ProgramVersion
        fields = [
            "id",
            "effective_from",
            "effective_to",
            "budget_status",
            "deadline",
            "source_url",
            "last_verified",
            "benefit",
            "window",
            "repayment",
        ]


class ProgramVersionOutputSerializer(ProgramVersionCurrentOutputSerializer):
    conditions = serializers.DictField()
    stacking = serializers.DictField()

    class Meta(ProgramVersionCurrentOutputSerializer.Meta):
        fields = [
            "id",
            "effective_from",
            "effective_to",
            "conditions",
            "benefit",
            "window",
            "repayment",
            "stacking",
            "budget_status",
            "deadline",
            "source_url",
            "last_verified",
            "notes",
        ]


class ProgramOutputSerializer(serializers.ModelSerializer[SupportProgram]):
    prefecture = serializers.CharField(source="prefecture_id", allow_null=True)
    municipality = serializers.CharField(source="municipality_id", allow_null=True)
    funding_shares = serializers.DictField(child=serializers.CharField())
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = SupportProgram
        fields = [
            "id",
            "key",
            "name",
            "name_en",
            "level",
            "category",
            "prefecture",
            "municipality",
            "is_sample",
            "funding_shares",
            "current_version",
        ]

    @extend_schema_field(ProgramVersionCurrentOutputSerializer(allow_null=True))
    def get_current_version(self, obj: SupportProgram) -> dict[str, Any] | None:
        # `current_versions` is prefetched by selectors.program_list (the version in force, at most one).
        current = getattr(obj, "current_versions", None)
        return ProgramVersionCurrentOutputSerializer(current[0]).data if current else None


# --- inputs shared by the two computations ----------------------------------------------------------------


class MunicipalityInputField(serializers.CharField):
    """A municipality as a 5-digit code, a 6-digit local-government code or a name; becomes a Municipality."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text", _("5桁の市区町村コード、6桁の全国地方公共団体コード、または市区町村名")
        )
        super().__init__(**kwargs)

    def run_validation(self, data: Any = empty) -> Municipality:  # type: ignore[override]
        # The text is checked as text (length, blank) first; only then looked up.
        text = super().run_validation(data)
        try:
            return municipality_resolve(text=text)
        except NotFound as exc:
            raise serializers.ValidationError(
                _("市区町村コード「%(code)s」は見つかりません。") % {"code": text}
            ) from exc
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from exc


class MunicipalityListInputField(serializers.ListField):
    """One to four municipalities, counted before any is looked up; every unknown one is named, in one list.

    The messages stay flat (not keyed by position) so the error's `message` names the first unknown code.
    """

    default_error_messages = {
        "not_a_list": _("市区町村を一覧の形で指定してください。"),
        "empty": _("市区町村を1つ以上指定してください。"),
        "max_length": _("市区町村は{max_length}つまで指定できます（{count}つ指定されています）。"),
        "duplicate": _("同じ市区町村が2回入っています。"),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=MunicipalityInputField(),
            allow_empty=False,
            min_length=1,
            max_length=MAX_MUNICIPALITIES,
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> list[Municipality]:
        if isinstance(data, str | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        items = list(data)
        if not items:
            self.fail("empty")
        if len(items) > MAX_MUNICIPALITIES:
            self.fail("max_length", max_length=MAX_MUNICIPALITIES, count=len(items))
        municipalities: list[Municipality] = []
        errors: list[str] = []
        for item in items:
            try:
                municipalities.append(self.child.run_validation(item))
            except serializers.ValidationError as exc:
                detail = exc.detail if isinstance(exc.detail, list) else [exc.detail]
                errors.extend(str(message) for message in detail)
        if errors:
            raise serializers.ValidationError(errors)
        codes = [m.code for m in municipalities]
        if len(codes) != len(set(codes)):
            self.fail("duplicate")
        return municipalities


# --- eligibility ------------------------------------------------------------------------------------------


class EligibilityInputSerializer(serializers.Serializer[dict[str, Any]]):
    profile = serializers.DictField(
        required=False,
        default=dict,
        help_text=_(
            "回答（Profile の項目。日付は YYYY-MM-DD、期間は {start, end, …} の一覧）。"
            "ログイン中の求職者は保存済みの回答にこの回答を重ねて判定します。判定日は on で指定します。"
        ),
    )
    municipalities = MunicipalityListInputField(help_text=_("判定する市区町村（1〜4つ）"))
    on = serializers.DateField(required=False, help_text=_("判定日（申請日として考える日）。省略時は今日"))

    def validate_profile(self, value: dict[str, Any]) -> dict[str, Any]:
        if "evaluation_date" in value:
            raise serializers.ValidationError(_("判定日は profile ではなく on で指定してください。"))
        return value


class ReasonOutputSerializer(serializers.Serializer[Any]):
    fact = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=[(s.value, s.name) for s in Status])
    text_ja = serializers.CharField()
    text_en = serializers.CharField()


class QuestionChoiceOutputSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label_ja = serializers.CharField()
    label_en = serializers.CharField()


class QuestionOutputSerializer(serializers.Serializer[facts.Question]):
    key = serializers.CharField()
    label_ja = serializers.CharField()
    label_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(facts.QUESTION_KINDS))
    choices = serializers.SerializerMethodField()
    unit_ja = serializers.CharField()
    unit_en = serializers.CharField()

    @extend_schema_field(QuestionChoiceOutputSerializer(many=True))
    def get_choices(self, obj: facts.Question) -> list[dict[str, str]]:
        return [{"value": value, "label_ja": ja, "label_en": en} for value, ja, en in obj.choices]


class AmountOutputSerializer(serializers.Serializer[Any]):
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()
    exact = serializers.BooleanField()
    open_ended = serializers.BooleanField()
    monthly = serializers.IntegerField(allow_null=True)
    monthly_minimum = serializers.IntegerField(allow_null=True)
    monthly_maximum = serializers.IntegerField(allow_null=True)
    months = serializers.IntegerField(allow_null=True)
    text_ja = serializers.CharField()
    text_en = serializers.CharField()


class WindowOutputSerializer(serializers.Serializer[Any]):
    anchor = serializers.CharField()
    from_months = serializers.IntegerField()
    to_months = serializers.IntegerField()
    opens = serializers.DateField(allow_null=True)
    closes = serializers.DateField(allow_null=True, help_text=_("申請できる最後の日"))
    status = serializers.ChoiceField(choices=[(s.value, s.name) for s in WindowStatus])


class RepaymentStepOutputSerializer(serializers.Serializer[Any]):
    trigger = serializers.CharField()
    from_months = serializers.IntegerField()
    to_months = serializers.IntegerField()
    share = serializers.FloatField()
    amount = serializers.IntegerField(
        allow_null=True, help_text=_("最大額に対する返還額（円）。額が不明なら null")
    )
    text_ja = serializers.CharField()
    text_en = serializers.CharField()


class ProgramResultOutputSerializer(serializers.Serializer[ProgramResult]):
    id = serializers.IntegerField(source="program.id")
    key = serializers.CharField(source="program.key")
    name = serializers.CharField(source="program.name")
    name_en = serializers.CharField(source="program.name_en")
    level = serializers.ChoiceField(source="program.level", choices=ProgramLevel.choices)
    category = serializers.ChoiceField(source="program.category", choices=ProgramCategory.choices)
    version_id = serializers.IntegerField(source="version.id")
    verdict = serializers.ChoiceField(
        source="evaluation.verdict", choices=[(v.value, v.name) for v in Verdict]
    )
    reasons = ReasonOutputSerializer(source="evaluation.reasons", many=True)
    questions = QuestionOutputSerializer(
        source="evaluation.questions", many=True, help_text=_("判定や金額のためにまだ必要な質問")
    )
    amount = AmountOutputSerializer(source="evaluation.amount")
    window = WindowOutputSerializer(source="evaluation.window", allow_null=True)
    repayment = RepaymentStepOutputSerializer(source="evaluation.repayment", many=True)
    excluded_by = serializers.CharField(
        source="evaluation.excluded_by",
        allow_null=True,
        help_text=_("併用できないため合計から外した場合、優先した制度のキー"),
    )
    budget_status = serializers.ChoiceField(source="version.budget_status", choices=BudgetStatus.choices)
    deadline = serializers.DateField(source="version.deadline", allow_null=True)
    source_url = serializers.URLField(source="version.source_url")
    last_verified = serializers.DateField(source="version.last_verified")


class EligibilityTotalsOutputSerializer(serializers.Serializer[Any]):
    total_minimum = serializers.IntegerField()
    total_maximum = serializers.IntegerField()
    possible_maximum = serializers.IntegerField(help_text=_("回答が必要な制度も対象になった場合の最大額"))
    total_open_ended = serializers.BooleanField()
    possible_open_ended = serializers.BooleanField()


class MunicipalityEligibilityOutputSerializer(serializers.Serializer[MunicipalityEligibility]):
    code = serializers.CharField(source="municipality.code")
    name = serializers.CharField(source="municipality.name")
    name_en = serializers.CharField(source="municipality.name_en")
    prefecture = serializers.CharField(source="municipality.prefecture_id")
    totals = EligibilityTotalsOutputSerializer(source="summary")
    questions = QuestionOutputSerializer(source="summary.questions", many=True)
    programs = ProgramResultOutputSerializer(source="results", many=True)


class EligibilityOutputSerializer(serializers.Serializer[dict[str, Any]]):
    on = serializers.DateField()
    municipalities = MunicipalityEligibilityOutputSerializer(many=True)


# --- cost simulation --------------------------------------------------------------------------------------


def _yen_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_YEN, default=0, **kwargs)


class CostSimulationInputSerializer(serializers.Serializer[dict[str, Any]]):
    base_a = MunicipalityInputField(help_text=_("拠点A（今の住まい）: コードまたは市区町村名"))
    candidates = MunicipalityListInputField(help_text=_("拠点Bの候補（1〜4つ）: コードまたは市区町村名"))
    mode = serializers.ChoiceField(choices=[(m.value, m.name) for m in Mode])
    trips_per_month = serializers.FloatField(
        min_value=0, max_value=cost.MAX_TRIPS_PER_MONTH, help_text=_("1か月あたりの往復回数")
    )
    months = serializers.IntegerField(
        min_value=cost.MIN_MONTHS, max_value=cost.MAX_MONTHS, default=cost.FIVE_YEAR_MONTHS
    )
    second_home_rent_monthly = _yen_field()
    utilities_monthly = _yen_field()
    internet_monthly = _yen_field()
    car_monthly = _yen_field()
    one_time_costs = _yen_field(help_text=_("引越しなど一時費用（1か月目に計上）"))
    apply_programs = serializers.BooleanField(
        default=False,
        help_text=_("ログイン中の求職者の保存済みの回答で対象となる支援制度を差し引く"),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if any(m.code == attrs["base_a"].code for m in attrs["candidates"]):
            raise serializers.ValidationError({"candidates": [_("拠点Aと同じ市区町村は候補にできません。")]})
        return attrs


class BaseOutputSerializer(serializers.Serializer[Municipality]):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class RouteFareOutputSerializer(serializers.ModelSerializer[RouteFare]):
    origin = serializers.CharField(source="origin_id")
    destination = serializers.CharField(source="destination_id")

    class Meta:
        model = RouteFare
        fields = [
            "id",
            "origin",
            "destination",
            "mode",
            "one_way_yen",
            "monthly_pass_yen",
            "one_way_minutes",
            "source",
            "is_sample",
        ]


class SubsidyOutputSerializer(serializers.Serializer[cost.Subsidy]):
    name_ja = serializers.CharField()
    name_en = serializers.CharField()
    monthly_yen = serializers.IntegerField()
    months = serializers.IntegerField()
    start_month = serializers.IntegerField()
    one_time_yen = serializers.IntegerField()
    one_time_month = serializers.IntegerField()


class CostTotalsOutputSerializer(serializers.Serializer[dict[str, int]]):
    travel = serializers.IntegerField()
    second_home = serializers.IntegerField()
    utilities = serializers.IntegerField()
    internet = serializers.IntegerField()
    car = serializers.IntegerField()
    one_time = serializers.IntegerField()
    subsidies = serializers.IntegerField(help_text=_("支援制度の控除（0 以下）"))
    net = serializers.IntegerField()


class MonthRowOutputSerializer(CostTotalsOutputSerializer):
    month = serializers.IntegerField()


class AssumptionOutputSerializer(serializers.Serializer[Any]):
    ja = serializers.CharField()
    en = serializers.CharField()


class SimulationOutputSerializer(serializers.Serializer[Simulation]):
    base_b = BaseOutputSerializer(source="municipality")
    distance_km = serializers.FloatField(source="result.distance_km", help_text=_("直線距離（大円距離）"))
    network_km = serializers.FloatField(source="result.network_km")
    one_way_minutes = serializers.IntegerField(source="result.one_way_minutes")
    one_way_yen = serializers.IntegerField(source="result.one_way_yen")
    monthly_pass_yen = serializers.IntegerField(source="result.monthly_pass_yen", allow_null=True)
    uses_pass = serializers.BooleanField(source="result.uses_pass")
    travel_monthly = serializers.IntegerField(source="result.travel_monthly")
    totals = CostTotalsOutputSerializer(source="result.totals")
    net_total = serializers.IntegerField(source="result.net_total")
    first_year_net = serializers.IntegerField(source="result.first_year_net")
    five_year_net = serializers.IntegerField(source="result.five_year_net")
    monthly_average_net = serializers.IntegerField(source="result.monthly_average_net")
    monthly_rows = MonthRowOutputSerializer(source="result.monthly_rows", many=True)
    subsidies = SubsidyOutputSerializer(source="result.cost_input.subsidies", many=True)
    assumptions = serializers.SerializerMethodField()
    route_fare = RouteFareOutputSerializer(
        allow_null=True, help_text=_("推定の代わりに使った、組織が入力した区間運賃")
    )

    @extend_schema_field(AssumptionOutputSerializer(many=True))
    def get_assumptions(self, obj: Simulation) -> list[dict[str, str]]:
        return [{"ja": ja, "en": en} for ja, en in obj.result.assumptions]


class CostSimulationOutputSerializer(serializers.Serializer[dict[str, Any]]):
    base_a = BaseOutputSerializer()
    mode = serializers.ChoiceField(choices=[(m.value, m.name) for m in Mode])
    trips_per_month = serializers.FloatField()
    months = serializers.IntegerField()
    simulations = SimulationOutputSerializer(many=True)
