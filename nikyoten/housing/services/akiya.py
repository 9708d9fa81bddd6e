"""Writers for the akiya pipeline: cases and their stage changes, owners and consents, outreach campaigns.

Owners, consents, letters and their responses are personal data: every change to them, and every download of
the letters, leaves an event in the audit trail (`accounts.services.audit_record`).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.models import Organization, User
from nikyoten.accounts.principals import has_role
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.text import digits_only
from nikyoten.housing import letters, outreach
from nikyoten.housing.access import Action, access_akiya_case, access_campaign, access_owner
from nikyoten.housing.choices import AkiyaEventKind, AkiyaStage, CampaignResponse
from nikyoten.housing.models import (
    AkiyaCase,
    AkiyaCaseEvent,
    Campaign,
    CampaignLetter,
    Listing,
    Owner,
    OwnerConsent,
)

OWNER_FIELDS = (
    "kind",
    "name",
    "name_kana",
    "is_heir",
    "relation",
    "postal_code",
    "address",
    "phone",
    "email",
)


def _person(actor: Any) -> User | None:
    """The signed-in person acting (API clients act for an organization and are no person)."""
    return actor if isinstance(actor, User) else None


def _save(instance: models.Model, *, person_fields: tuple[str, ...] = ()) -> None:
    """full_clean() then save(); a model's refusal becomes an ApplicationError with the fields' messages.

    `person_fields` name who recorded the row: empty when an API client (no person) acts, so not validated.
    """
    try:
        instance.full_clean(exclude=person_fields)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields) from exc
    instance.save()


def _not_after_today(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(
            _("未来の日付は記録できません。"), fields={field: [_("今日以前の日付にしてください。")]}
        )


def _organization_for_editor(actor: Any, organization_id: int) -> Organization:
    """The organization, if the actor is one of its editors; NotFound otherwise (as for a missing one)."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None or not has_role(actor, organization.pk, MembershipRole.EDITOR):
        raise NotFound(_("組織が見つかりません。"))
    return organization


# --- cases ------------------------------------------------------------------------------------------------


@transaction.atomic
def akiya_case_create(
    *,
    actor: Any,
    organization_id: int,
    reference: str,
    address: str,
    source: str,
    discovered_on: date,
    latitude: float | None = None,
    longitude: float | None = None,
    notes: str = "",
    is_sample: bool = False,
) -> AkiyaCase:
    """Open a case at 掘り起こし, in the organization's municipality (a prefecture-wide body keeps none)."""
    organization = _organization_for_editor(actor, organization_id)
    municipality = organization.municipality
    if municipality is None:
        raise ApplicationError(_("空き家の案件は、市区町村に属する組織が登録します。"))
    _not_after_today(discovered_on, "discovered_on")
    case = AkiyaCase(
        organization=organization,
        municipality=municipality,
        reference=reference.strip(),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        source=source,
        discovered_on=discovered_on,
        stage_changed_on=discovered_on,
        notes=notes,
        is_sample=is_sample,
    )
    _check_point(latitude, longitude)
    _check_reference_free(case)
    _save(case)
    _save(
        AkiyaCaseEvent(
            case=case,
            kind=AkiyaEventKind.STAGE,
            occurred_on=discovered_on,
            to_stage=AkiyaStage.DISCOVERED,
            actor=_person(actor),
        )
    )
    return case


def _check_reference_free(case: AkiyaCase) -> None:
    """The reference is unique per organization (the database constraint says so too, without naming the field)."""
    taken = AkiyaCase.objects.filter(organization_id=case.organization_id, reference=case.reference)
    if taken.exclude(pk=case.pk).exists():
        message = _("この管理番号はすでに使われています。")
        raise ApplicationError(message, fields={"reference": [message]})


def _check_point(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ApplicationError(
            _("緯度と経度は両方入力してください。"),
            fields={"latitude" if latitude is None else "longitude": [_("必須です。")]},
        )


@transaction.atomic
def akiya_case_update(
    *,
    actor: Any,
    case_id: int,
    reference: str,
    address: str,
    source: str,
    discovered_on: date,
    latitude: float | None,
    longitude: float | None,
    notes: str,
) -> AkiyaCase:
    case = access_akiya_case(actor, case_id, action=Action.EDIT)
    _not_after_today(discovered_on, "discovered_on")
    _check_point(latitude, longitude)
    case.reference, case.address, case.source = reference.strip(), address.strip(), source
    case.discovered_on, case.latitude, case.longitude, case.notes = discovered_on, latitude, longitude, notes
    _check_reference_free(case)
    _save(case)
    return case


_MOVE_MESSAGES = {
    outreach.MoveRefusal.SAME_STAGE: gettext_lazy("すでにこの段階です。"),
    outreach.MoveRefusal.CLOSED: gettext_lazy("成約した案件の段階は変更できません。"),
    outreach.MoveRefusal.BACKWARD: gettext_lazy(
        "前の段階には戻せません（断念にするか、誤りなら経過にメモを残してください）。"
    ),
    outreach.MoveRefusal.REOPEN_ELSEWHERE: gettext_lazy(
        "断念した案件は、断念する前の段階（%(stage)s）にだけ戻せます。"
    ),
    outreach.MoveRefusal.NO_OWNER: gettext_lazy("所有者特定に進めるには、所有者を1人以上登録してください。"),
    outreach.MoveRefusal.NO_LISTING: gettext_lazy(
        "管理・公開に進めるには、この組織の物件を1件選んで紐づけてください。"
    ),
}


def _abandoned_from(case: AkiyaCase) -> str | None:
    """The stage the case was at when last abandoned."""
    event = (
        case.events.filter(kind=AkiyaEventKind.STAGE, to_stage=AkiyaStage.ABANDONED)
        .order_by("-occurred_on", "-id")
        .first()
    )
    return event.from_stage if event else None


def _listing_for(case: AkiyaCase, listing_id: int) -> Listing:
    listing = Listing.objects.filter(pk=listing_id, organization_id=case.organization_id).first()
    if listing is None:
        raise ApplicationError(
            _("物件が見つかりません（この組織の物件だけを紐づけられます）。"),
            fields={"listing": [_("この組織の物件を選んでください。")]},
        )
    linked = AkiyaCase.objects.filter(listing=listing).exclude(pk=case.pk).first()
    if linked is not None:
        raise ApplicationError(
            _("この物件はすでに案件 %(reference)s に紐づいています。") % {"reference": linked.reference},
            fields={"listing": [_("別の物件を選んでください。")]},
        )
    return listing


@transaction.atomic
def akiya_case_move(
    *,
    actor: Any,
    case_id: int,
    to_stage: str,
    occurred_on: date,
    note: str = "",
    listing_id: int | None = None,
) -> AkiyaCase:
    """Change the case's stage on a date, with a note; reaching 管理・公開 links one of its organization's listings."""
    access_akiya_case(actor, case_id, action=Action.EDIT)
    case = AkiyaCase.objects.select_for_update().get(pk=case_id)
    if to_stage not in AkiyaStage.values:
        raise ApplicationError(
            _("段階を選んでください。"), fields={"to_stage": [_("段階を選んでください。")]}
        )
    _not_after_today(occurred_on, "occurred_on")
    if occurred_on < case.stage_changed_on:
        raise ApplicationError(
            _("日付は前回の段階の変更日（%(date)s）以降にしてください。")
            % {"date": formats.date_format(case.stage_changed_on)},
            fields={"occurred_on": [_("前回の変更日以降にしてください。")]},
        )
    if listing_id is not None:
        case.listing = _listing_for(case, listing_id)
    abandoned_from = _abandoned_from(case) if case.stage == AkiyaStage.ABANDONED else None
    refusal = outreach.move_refusal(
        current=case.stage,
        target=to_stage,
        abandoned_from=abandoned_from,
        has_owner=case.owners.exists(),
        has_listing=case.listing is not None,
    )
    if refusal is not None:
        label = AkiyaStage(abandoned_from).label if abandoned_from else "—"
        message = str(_MOVE_MESSAGES[refusal]) % {"stage": label}
        field = "listing" if refusal == outreach.MoveRefusal.NO_LISTING else "to_stage"
        raise ApplicationError(message, fields={field: [message]})
    event = AkiyaCaseEvent(
        case=case,
        kind=AkiyaEventKind.STAGE,
        occurred_on=occurred_on,
        from_stage=case.stage,
        to_stage=to_stage,
        note=note,
        actor=_person(actor),
    )
    case.stage, case.stage_changed_on = to_stage, occurred_on
    _save(case)
    _save(event)
    return case


@transaction.atomic
def akiya_case_note(*, actor: Any, case_id: int, kind: str, occurred_on: date, note: str) -> AkiyaCaseEvent:
    """Add a dated note, or a contact with the owner, to the case's timeline."""
    case = access_akiya_case(actor, case_id, action=Action.EDIT)
    if kind not in (AkiyaEventKind.NOTE, AkiyaEventKind.CONTACT):
        raise ApplicationError(
            _("種類を選んでください。"), fields={"kind": [_("メモか所有者との連絡を選んでください。")]}
        )
    if not note.strip():
        raise ApplicationError(_("内容を入力してください。"), fields={"note": [_("必須です。")]})
    _not_after_today(occurred_on, "occurred_on")
    event = AkiyaCaseEvent(
        case=case, kind=kind, occurred_on=occurred_on, note=note.strip(), actor=_person(actor)
    )
    _save(event)
    return event


# --- owners and consents ----------------------------------------------------------------------------------


def _owner_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(OWNER_FIELDS)
    if unknown:
        raise TypeError(f"unknown owner fields: {sorted(unknown)}")
    cleaned = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    if "postal_code" in cleaned:
        cleaned["postal_code"] = digits_only(cleaned["postal_code"])
    return cleaned


@transaction.atomic
def owner_add(*, actor: Any, case_id: int, is_sample: bool = False, **values: Any) -> Owner:
    """Record an owner or heir of the case (`values`: any of OWNER_FIELDS; `name` is required)."""
    case = access_akiya_case(actor, case_id, action=Action.EDIT)
    owner = Owner(case=case, is_sample=is_sample, **_owner_values(values))
    _save(owner)
    audit_record(
        actor=actor,
        organization=case.organization,
        action=AuditAction.CREATE,
        entity="akiya_owner",
        entity_id=owner.pk,
        changes={"case": case.pk, "fields": sorted(key for key, value in values.items() if value)},
    )
    return owner


@transaction.atomic
def owner_update(*, actor: Any, owner_id: int, **values: Any) -> Owner:
    """Change an owner's details; the audit trail names the fields that changed (not their values)."""
    owner = access_owner(actor, owner_id, action=Action.EDIT)
    changed = []
    for key, value in _owner_values(values).items():
        if getattr(owner, key) != value:
            setattr(owner, key, value)
            changed.append(key)
    _save(owner)
    if changed:
        audit_record(
            actor=actor,
            organization=owner.case.organization,
            action=AuditAction.UPDATE,
            entity="akiya_owner",
            entity_id=owner.pk,
            changes={"fields": sorted(changed)},
        )
    return owner


@transaction.atomic
def owner_remove(*, actor: Any, owner_id: int) -> None:
    """Delete an owner with their consents and letters (on request, or when recorded in error)."""
    owner = access_owner(actor, owner_id, action=Action.EDIT)
    audit_record(
        actor=actor,
        organization=owner.case.organization,
        action=AuditAction.DELETE,
        entity="akiya_owner",
        entity_id=owner.pk,
        changes={"case": owner.case_id, "letters": owner.letters.count()},
    )
    owner.delete()


@transaction.atomic
def owner_consent_record(
    *, actor: Any, owner_id: int, recipient_id: int, purpose: str, consented_on: date
) -> OwnerConsent:
    """Record the owner's consent to share their details with a 特定居住支援法人 (2024 law)."""
    owner = access_owner(actor, owner_id, action=Action.EDIT)
    recipient = Organization.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or recipient.kind != OrganizationKind.SUPPORT_CORPORATION:
        raise ApplicationError(
            _("提供先は特定居住支援法人にしてください。"),
            fields={"recipient": [_("特定居住支援法人を選んでください。")]},
        )
    if not purpose.strip():
        raise ApplicationError(_("利用目的を入力してください。"), fields={"purpose": [_("必須です。")]})
    _not_after_today(consented_on, "consented_on")
    consent = OwnerConsent(
        owner=owner,
        recipient=recipient,
        purpose=purpose.strip(),
        consented_on=consented_on,
        recorded_by=_person(actor),
    )
    _save(consent, person_fields=("recorded_by",))
    audit_record(
        actor=actor,
        organization=owner.case.organization,
        action=AuditAction.CREATE,
        entity="akiya_owner_consent",
        entity_id=consent.pk,
        changes={"owner": owner.pk, "recipient": recipient.pk, "consented_on": consented_on.isoformat()},
    )
    return consent


@transaction.atomic
def owner_consent_revoke(*, actor: Any, consent_id: int, revoked_on: date) -> OwnerConsent:
    """Record that the owner withdrew the consent: the recipient loses access at once."""
    consent = (
        OwnerConsent.objects.select_related("owner__case__organization")
        .filter(pk=consent_id, owner__in=Owner.objects.editable_by(actor), revoked_on__isnull=True)
        .first()
    )
    if consent is None:
        raise NotFound(_("同意の記録が見つかりません。"))
    _not_after_today(revoked_on, "revoked_on")
    if revoked_on < consent.consented_on:
        raise ApplicationError(
            _("撤回日は同意日（%(date)s）以降にしてください。")
            % {"date": formats.date_format(consent.consented_on)},
            fields={"revoked_on": [_("同意日以降にしてください。")]},
        )
    consent.revoked_on, consent.revoked_by = revoked_on, _person(actor)
    _save(consent, person_fields=("recorded_by",))
    audit_record(
        actor=actor,
        organization=consent.owner.case.organization,
        action=AuditAction.UPDATE,
        entity="akiya_owner_consent",
        entity_id=consent.pk,
        changes={"revoked_on": revoked_on.isoformat()},
    )
    return consent


# --- campaigns --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LettersAdded:
    """The letters a campaign gained, and the owners skipped because no postal address is recorded."""

    created: int
    skipped: list[Owner]


def _check_template(text: str, field: str) -> None:
    errors = outreach.placeholder_errors(text)
    if errors:
        allowed = "、".join("{" + name + "}" for name in outreach.PLACEHOLDERS)
        message = _("使えない差し込み項目があります: %(errors)s（使えるのは %(allowed)s）") % {
            "errors": " ".join(errors),
            "allowed": allowed,
        }
        raise ApplicationError(message, fields={field: [message]})


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    organization_id: int,
    title: str,
    letter_subject: str,
    letter_body: str,
    case_ids: list[int] | None = None,
    is_sample: bool = False,
) -> tuple[Campaign, LettersAdded]:
    """A campaign with its letter; with `case_ids`, one letter per owner of those cases (see campaign_add_cases)."""
    organization = _organization_for_editor(actor, organization_id)
    _check_template(letter_subject, "letter_subject")
    _check_template(letter_body, "letter_body")
    campaign = Campaign(
        organization=organization,
        title=title.strip(),
        letter_subject=letter_subject.strip(),
        letter_body=letter_body,
        created_by=_person(actor),
        is_sample=is_sample,
    )
    _save(campaign, person_fields=("created_by",))
    added = campaign_add_cases(actor=actor, campaign_id=campaign.pk, case_ids=case_ids or [])
    return campaign, added


@transaction.atomic
def campaign_add_cases(*, actor: Any, campaign_id: int, case_ids: list[int]) -> LettersAdded:
    """One letter per owner with a postal address; owners without one are skipped and reported."""
    campaign = access_campaign(actor, campaign_id, action=Action.EDIT)
    if campaign.sent_on is not None:
        raise ApplicationError(_("発送済みの働きかけには案件を追加できません。"))
    cases = list(AkiyaCase.objects.filter(pk__in=case_ids, organization_id=campaign.organization_id))
    if len(cases) != len(set(case_ids)):
        raise ApplicationError(
            _("この組織の案件だけを選べます。"), fields={"cases": [_("選べない案件が含まれています。")]}
        )
    already = set(campaign.letters.values_list("owner_id", flat=True))
    owners = Owner.objects.filter(case__in=cases).select_related("case").order_by("case__reference", "id")
    new_letters, skipped = [], []
    for owner in owners:
        if not owner.address.strip():
            skipped.append(owner)
        elif owner.pk not in already:
            letter = CampaignLetter(campaign=campaign, case=owner.case, owner=owner)
            letter.full_clean()
            new_letters.append(letter)
    CampaignLetter.objects.bulk_create(new_letters)
    return LettersAdded(created=len(new_letters), skipped=skipped)


@transaction.atomic
def campaign_mark_sent(*, actor: Any, campaign_id: int, sent_on: date) -> Campaign:
    campaign = access_campaign(actor, campaign_id, action=Action.EDIT)
    if campaign.sent_on is not None:
        raise ApplicationError(_("この働きかけは発送済みです。"))
    if not campaign.letters.exists():
        raise ApplicationError(_("文書が1通もありません。先に案件を選んでください。"))
    _not_after_today(sent_on, "sent_on")
    campaign.sent_on = sent_on
    _save(campaign, person_fields=("created_by",))
    return campaign


@transaction.atomic
def campaign_letter_respond(
    *,
    actor: Any,
    campaign_id: int,
    letter_id: int,
    response: str,
    responded_on: date,
    note: str = "",
    move_case: bool = False,
) -> CampaignLetter:
    """Record the owner's response; with `move_case`, an interested owner moves the case to 意向確認.

    The response also goes on the case's timeline as a contact with the owner.
    """
    campaign = access_campaign(actor, campaign_id, action=Action.EDIT)
    letter = campaign.letters.select_related("owner", "case").filter(pk=letter_id).first()
    if letter is None:
        raise NotFound(_("文書が見つかりません。"))
    if campaign.sent_on is None:
        raise ApplicationError(_("発送日を記録してから回答を記録してください。"))
    if response not in CampaignResponse.values or response == CampaignResponse.PENDING:
        raise ApplicationError(
            _("回答の種類を選んでください。"), fields={"response": [_("回答の種類を選んでください。")]}
        )
    _not_after_today(responded_on, "responded_on")
    if responded_on < campaign.sent_on:
        raise ApplicationError(
            _("回答日は発送日（%(date)s）以降にしてください。")
            % {"date": formats.date_format(campaign.sent_on)},
            fields={"responded_on": [_("発送日以降にしてください。")]},
        )
    if move_case and response != CampaignResponse.INTERESTED:
        message = _("意向確認に進められるのは「活用に前向き」の回答だけです。")
        raise ApplicationError(message, fields={"move_case": [message]})
    letter.response, letter.responded_on, letter.response_note = response, responded_on, note.strip()
    _save(letter)
    audit_record(
        actor=actor,
        organization=campaign.organization,
        action=AuditAction.UPDATE,
        entity="akiya_campaign_letter",
        entity_id=letter.pk,
        changes={"response": response, "responded_on": responded_on.isoformat()},
    )
    label = CampaignResponse(response).label
    akiya_case_note(
        actor=actor,
        case_id=letter.case_id,
        kind=AkiyaEventKind.CONTACT,
        occurred_on=responded_on,
        note=_("「%(campaign)s」への回答: %(response)s") % {"campaign": campaign.title, "response": label}
        + (f"\n{letter.response_note}" if letter.response_note else ""),
    )
    pipeline = outreach.PIPELINE
    if (
        move_case
        and letter.case.stage in pipeline
        and pipeline.index(letter.case.stage) < pipeline.index(AkiyaStage.INTENT_CONFIRMED)
    ):
        akiya_case_move(
            actor=actor,
            case_id=letter.case_id,
            to_stage=AkiyaStage.INTENT_CONFIRMED,
            occurred_on=max(responded_on, letter.case.stage_changed_on),
            note=_("「%(campaign)s」で活用に前向きな回答") % {"campaign": campaign.title},
        )
    return letter


@dataclass(frozen=True)
class LettersFile:
    filename: str
    content_type: str
    content: bytes


@transaction.atomic
def campaign_letters_export(*, actor: Any, campaign_id: int, file_format: str) -> LettersFile:
    """The campaign's letters as a printable PDF or a mail-merge CSV, for its editors; each download is audited.

    The audit trail has no "download" action: it records the creation of an export document.
    """
    campaign = access_campaign(actor, campaign_id, action=Action.EDIT)
    rows = [
        letters.Letter(
            owner_name=letter.owner.name,
            postal_code=letter.owner.postal_code,
            owner_address=letter.owner.address,
            case_address=letter.case.address,
            reference=letter.case.reference,
            subject=outreach.render_letter(campaign.letter_subject, _letter_values(campaign, letter)),
            body=outreach.render_letter(campaign.letter_body, _letter_values(campaign, letter)),
        )
        for letter in campaign.letters.select_related("owner", "case").order_by("case__reference", "id")
    ]
    sender = campaign.organization.name
    day = campaign.sent_on or timezone.localdate()
    if file_format == "pdf":
        content = letters.to_pdf(rows, sender=sender, title=campaign.title, on=day)
        result = LettersFile(f"campaign-{campaign.pk}-letters.pdf", "application/pdf", content)
    elif file_format == "csv":
        content = ("\ufeff" + letters.to_csv(rows, sender=sender)).encode("utf-8")
        result = LettersFile(f"campaign-{campaign.pk}-letters.csv", "text/csv; charset=utf-8", content)
    else:
        raise NotFound(_("形式が見つかりません。"))
    audit_record(
        actor=actor,
        organization=campaign.organization,
        action=AuditAction.CREATE,
        entity="akiya_campaign_export",
        entity_id=campaign.pk,
        changes={"format": file_format, "letters": len(rows)},
    )
    return result


def _letter_values(campaign: Campaign, letter: CampaignLetter) -> dict[str, str]:
    return {
        "owner_name": letter.owner.name,
        "address": letter.case.address,
        "reference": letter.case.reference,
        "organization": campaign.organization.name,
    }
