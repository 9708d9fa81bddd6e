"""Inquiries: a seeker writes to the organization behind a listing; both sides reply in one thread.

Inquiries are personal data of the seeker: every change is audited, and only the seeker and the organization's
members see them. Spam is held back by rate limits (in the interfaces), a honeypot field (in the form) and the
content rules here.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction
from nikyoten.accounts.models import User
from nikyoten.accounts.selectors import organization_staff_emails
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing.access import Action, access_inquiry, access_listing
from nikyoten.housing.choices import InquiryStatus, ListingStatus
from nikyoten.housing.models import Inquiry, InquiryMessage

#: More links than this in one message is how spam looks; people asking about a house rarely need any.
MAX_LINKS = 3
MIN_BODY_LENGTH = 10
#: The same text sent again within this window is a double submission, not a new message.
DUPLICATE_WINDOW = timedelta(minutes=10)
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
OPEN_FOR_INQUIRIES = (ListingStatus.OPEN, ListingStatus.NEGOTIATING)


class InquiryRefused(ApplicationError):
    code = "inquiry_refused"


def _seeker(actor: Any) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise InquiryRefused(_("問い合わせるにはログインしてください。"))
    return actor


def _check_body(*, body: str, author: User) -> str:
    body = body.strip()
    if len(body) < MIN_BODY_LENGTH:
        raise InquiryRefused(
            _("本文は%(count)d文字以上で書いてください。") % {"count": MIN_BODY_LENGTH},
            fields={"body": "too_short"},
        )
    if len(_LINK.findall(body)) > MAX_LINKS:
        raise InquiryRefused(
            _("本文に含められるリンクは%(count)d件までです。") % {"count": MAX_LINKS},
            fields={"body": "links"},
        )
    recent = InquiryMessage.objects.filter(
        author=author, body=body, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    )
    if recent.exists():
        raise InquiryRefused(_("同じ内容をすでに送信しました。"), fields={"body": "duplicate"})
    return body


def _audit(*, actor: Any, inquiry: Inquiry, action: str, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        organization=inquiry.organization,
        action=action,
        entity="housing.inquiry",
        entity_id=inquiry.pk,
        changes=changes,
    )


def _thread_url(inquiry: Inquiry) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("housing:inquiry_detail", args=[inquiry.pk])


def _notify(*, recipients: list[str], inquiry: Inquiry, subject: str) -> None:
    if not recipients:
        return
    body = _(
        "「%(listing)s」についての問い合わせ「%(subject)s」に新しいメッセージがあります。\n"
        "内容は次のページで確認できます（メールには本文を載せていません）。\n%(url)s"
    ) % {"listing": inquiry.listing.title, "subject": inquiry.subject, "url": _thread_url(inquiry)}
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


@transaction.atomic
def inquiry_create(*, actor: Any, listing_id: int, subject: str, body: str) -> Inquiry:
    """Open a thread about a public listing that is still offered; the organization's editors are told by email."""
    seeker = _seeker(actor)
    listing = access_listing(seeker, listing_id, action=Action.VIEW)
    if listing.status not in OPEN_FOR_INQUIRIES:
        raise InquiryRefused(_("この物件は募集を終了しているため、問い合わせできません。"))
    body = _check_body(body=body, author=seeker)
    inquiry = Inquiry(
        listing=listing, organization=listing.organization, seeker=seeker, subject=subject.strip()
    )
    inquiry.full_clean()
    inquiry.save()
    message = InquiryMessage(inquiry=inquiry, author=seeker, body=body)
    message.full_clean()
    message.save()
    _audit(
        actor=seeker,
        inquiry=inquiry,
        action=AuditAction.CREATE,
        changes={"listing": listing.pk, "subject": inquiry.subject},
    )
    _notify(
        recipients=organization_staff_emails(organization_id=listing.organization_id),
        inquiry=inquiry,
        subject=_("【nikyoten】物件への問い合わせがありました"),
    )
    return inquiry


@transaction.atomic
def inquiry_reply(*, actor: Any, inquiry_id: int, body: str) -> InquiryMessage:
    """Add a message: the seeker's reopens the question (未対応), staff's answers it (回答済); closed threads refuse."""
    inquiry = access_inquiry(actor, inquiry_id, action=Action.VIEW)
    as_seeker = isinstance(actor, User) and actor.pk == inquiry.seeker_id
    if not as_seeker:
        inquiry = access_inquiry(actor, inquiry_id, action=Action.EDIT)
    inquiry = Inquiry.objects.select_for_update().select_related("listing", "seeker").get(pk=inquiry.pk)
    if inquiry.status == InquiryStatus.CLOSED:
        raise InquiryRefused(_("この問い合わせは完了しています。新しい問い合わせとして送ってください。"))
    author = actor if isinstance(actor, User) else None
    message = InquiryMessage(
        inquiry=inquiry,
        author=author,
        from_organization=not as_seeker,
        body=_check_body(body=body, author=author) if author else body.strip(),
    )
    message.full_clean()
    message.save()
    inquiry.status = InquiryStatus.NEW if as_seeker else InquiryStatus.ANSWERED
    inquiry.save(update_fields=["status", "updated_at"])
    _audit(
        actor=actor,
        inquiry=inquiry,
        action=AuditAction.UPDATE,
        changes={"message": message.pk, "status": inquiry.status},
    )
    if as_seeker:
        recipients = organization_staff_emails(organization_id=inquiry.organization_id)
        subject = _("【nikyoten】問い合わせに返信がありました")
    else:
        recipients = [inquiry.seeker.email]
        subject = _("【nikyoten】問い合わせに回答がありました")
    _notify(recipients=recipients, inquiry=inquiry, subject=subject)
    return message


@transaction.atomic
def inquiry_close(*, actor: Any, inquiry_id: int) -> Inquiry:
    """Mark a thread done (完了): by the seeker or by the organization's editors."""
    inquiry = access_inquiry(actor, inquiry_id, action=Action.VIEW)
    if not (isinstance(actor, User) and actor.pk == inquiry.seeker_id):
        inquiry = access_inquiry(actor, inquiry_id, action=Action.EDIT)
    if inquiry.status != InquiryStatus.CLOSED:
        inquiry.status = InquiryStatus.CLOSED
        inquiry.save(update_fields=["status", "updated_at"])
        _audit(actor=actor, inquiry=inquiry, action=AuditAction.UPDATE, changes={"status": inquiry.status})
    return inquiry
