"""Akiya selectors: the database's conversion counts agree with the pure rule, per organization."""

from nikyoten.housing import outreach
from nikyoten.housing.choices import AkiyaEventKind
from nikyoten.housing.models import AkiyaCaseEvent
from nikyoten.housing.selectors import akiya as selectors
from nikyoten.housing.tests.akiya_world import TODAY, AkiyaWorld
from nikyoten.housing.tests.factories import AkiyaCaseFactory

# (current stage, the stages its changes went to) — including a skipped 改修, an abandoned and a reopened case.
HISTORIES = [
    ("owner_identified", ["discovered", "owner_identified"]),
    ("published", ["discovered", "owner_identified", "intent_confirmed", "published"]),
    ("abandoned", ["discovered", "owner_identified", "intent_confirmed", "abandoned"]),
    (
        "renovation",
        ["discovered", "owner_identified", "intent_confirmed", "renovation", "abandoned", "renovation"],
    ),
    (
        "contracted",
        ["discovered", "owner_identified", "intent_confirmed", "renovation", "published", "contracted"],
    ),
    ("intent_confirmed", []),  # created before events were recorded: only its stage counts
]


class ConversionSelectorTests(AkiyaWorld):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for organization in (cls.org, cls.other_org):
            for stage, changes in HISTORIES:
                case = AkiyaCaseFactory(organization=organization, stage=stage)
                AkiyaCaseEvent.objects.bulk_create(
                    AkiyaCaseEvent(case=case, kind=AkiyaEventKind.STAGE, occurred_on=TODAY, to_stage=to_stage)
                    for to_stage in changes
                )
            # A note never counts as reaching a stage.
            AkiyaCaseEvent.objects.create(
                case=AkiyaCaseFactory(organization=organization),
                kind=AkiyaEventKind.NOTE,
                occurred_on=TODAY,
                to_stage="contracted",
            )

    def expected(self) -> list[outreach.StageConversion]:
        histories = [[stage, *changes] for stage, changes in HISTORIES]
        histories += [["discovered"], ["discovered"]]  # self.case and the case with a note
        return outreach.stage_conversion(histories)

    def test_the_database_counts_as_the_pure_rule_does(self) -> None:
        with self.assertNumQueries(2):  # the actor's roles, then one aggregate
            rows = selectors.akiya_conversion(actor=self.viewer)
        self.assertEqual(rows, self.expected())
        self.assertEqual([row.reached for row in rows], [8, 6, 5, 3, 2, 1])

    def test_only_the_actors_organization_is_counted(self) -> None:
        self.assertEqual(
            selectors.akiya_conversion(actor=self.viewer, organization_id=self.other_org.pk)[0].reached, 0
        )
        self.assertEqual(selectors.akiya_conversion(actor=self.support_viewer)[0].reached, 0)
        other = selectors.akiya_conversion(actor=self.other_editor)
        self.assertEqual([row.reached for row in other], [8, 6, 5, 3, 2, 1])  # its 7 cases and SK-0001
