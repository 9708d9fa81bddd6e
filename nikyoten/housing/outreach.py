"""Akiya pipeline rules and outreach statistics as pure functions (no Django), so they are fast to test.

Stages and responses are the plain string values of `housing.choices.AkiyaStage` and `CampaignResponse`.
"""

import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from nikyoten.core.dates import add_months

#: The pipeline in order: 掘り起こし → 所有者特定 → 意向確認 → 改修 → 管理・公開 → 成約.
PIPELINE = ("discovered", "owner_identified", "intent_confirmed", "renovation", "published", "contracted")
ABANDONED = "abandoned"
OWNER_IDENTIFIED = "owner_identified"
PUBLISHED = "published"
CONTRACTED = "contracted"

PENDING = "pending"
UNDELIVERABLE = "undeliverable"

#: Months after sending at which a campaign's response rate is read (as Zero Logement Vacant does).
RATE_WINDOWS = (3, 6, 9, 36)

#: Placeholders a letter may use; each is filled from the owner, the case and the sending organization.
PLACEHOLDERS = ("owner_name", "address", "reference", "organization")


class MoveRefusal(StrEnum):
    """Why a stage change is refused (the service turns each into a message)."""

    SAME_STAGE = "same_stage"
    CLOSED = "closed"
    BACKWARD = "backward"
    REOPEN_ELSEWHERE = "reopen_elsewhere"
    NO_OWNER = "no_owner"
    NO_LISTING = "no_listing"


def move_refusal(
    *, current: str, target: str, abandoned_from: str | None, has_owner: bool, has_listing: bool
) -> MoveRefusal | None:
    """None when the move from `current` to `target` is allowed, else the first rule it breaks.

    Allowed: forward one or more steps along `PIPELINE` (so 改修 can be skipped), to 断念 from any open
    stage, and from 断念 back to the stage it was abandoned at (`abandoned_from`). A case reaching
    所有者特定 or beyond needs an owner on record; reaching 管理・公開 or beyond needs a linked listing.
    """
    if target == current:
        return MoveRefusal.SAME_STAGE
    if current == CONTRACTED:
        return MoveRefusal.CLOSED
    if current == ABANDONED:
        if target != abandoned_from:
            return MoveRefusal.REOPEN_ELSEWHERE
    elif target == ABANDONED:
        return None
    elif PIPELINE.index(target) < PIPELINE.index(current):
        return MoveRefusal.BACKWARD
    if PIPELINE.index(target) >= PIPELINE.index(OWNER_IDENTIFIED) and not has_owner:
        return MoveRefusal.NO_OWNER
    if PIPELINE.index(target) >= PIPELINE.index(PUBLISHED) and not has_listing:
        return MoveRefusal.NO_LISTING
    return None


def placeholder_errors(template: str) -> list[str]:
    """The problems of a letter template, as the offending text: unknown names, positional or formatted fields.

    An unbalanced brace is reported as the whole template being malformed (`"{"`).
    """
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return ["{"]
    errors = []
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            errors.append(
                "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            )
    return errors


def render_letter(template: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled (the template must have no `placeholder_errors`)."""
    return template.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


@dataclass(frozen=True)
class LetterOutcome:
    response: str
    responded_on: date | None


@dataclass(frozen=True)
class ResponseRate:
    """Responses dated within `months` of sending, over every letter sent; returned mail counted apart."""

    months: int
    window_end: date
    elapsed: bool
    letters: int
    responses: int
    undeliverable: int

    @property
    def percent(self) -> float:
        return 100.0 * self.responses / self.letters if self.letters else 0.0


def response_rates(
    letters: Iterable[LetterOutcome], *, sent_on: date, today: date, windows: Iterable[int] = RATE_WINDOWS
) -> list[ResponseRate]:
    """For each window, how many owners answered (any answer but returned mail) by `sent_on` + months.

    `elapsed` is False while the window is still open, so its figure can only grow.
    """
    outcomes = list(letters)
    rows = []
    for months in windows:
        end = add_months(sent_on, months)

        def within(outcome: LetterOutcome, end: date = end) -> bool:
            return outcome.responded_on is not None and outcome.responded_on <= end

        rows.append(
            ResponseRate(
                months=months,
                window_end=end,
                elapsed=today >= end,
                letters=len(outcomes),
                responses=sum(
                    1 for o in outcomes if o.response not in (PENDING, UNDELIVERABLE) and within(o)
                ),
                undeliverable=sum(1 for o in outcomes if o.response == UNDELIVERABLE and within(o)),
            )
        )
    return rows


@dataclass(frozen=True)
class StageConversion:
    """How many cases reached `stage`, and how many of them went on to the next stage."""

    stage: str
    reached: int
    went_on: int | None

    @property
    def percent(self) -> float | None:
        if self.went_on is None or not self.reached:
            return None
        return 100.0 * self.went_on / self.reached


def furthest_stage(stages: Iterable[str]) -> int:
    """The index in `PIPELINE` of the furthest stage a case has been at (断念 does not count)."""
    return max((PIPELINE.index(s) for s in stages if s != ABANDONED), default=0)


def stage_conversion(histories: Iterable[Iterable[str]]) -> list[StageConversion]:
    """Conversion along the pipeline: each history is every stage one case has been at.

    A case that skipped a step (改修) counts as having passed it: reaching a stage means reaching it or
    any later one, so the counts never grow along the pipeline.
    """
    furthest = [furthest_stage(history) for history in histories]
    return conversion_rows([sum(1 for f in furthest if f >= index) for index in range(len(PIPELINE))])


def conversion_rows(reached: list[int]) -> list[StageConversion]:
    """The conversion table from how many cases reached each stage of `PIPELINE` (in order)."""
    return [
        StageConversion(
            stage=stage,
            reached=reached[index],
            went_on=reached[index + 1] if index + 1 < len(PIPELINE) else None,
        )
        for index, stage in enumerate(PIPELINE)
    ]
