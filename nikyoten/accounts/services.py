"""Writers for accounts: sign-up, organizations, invitations, roles and API tokens. Every change is audited."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.accounts.access import OrganizationAction, access_organization
from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.models import ApiToken, AuditEvent, Invitation, Membership, Organization, User
from nikyoten.accounts.principals import is_platform_admin
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.regions.models import Municipality, Prefecture


def audit_record(
    *,
    actor: Any,
    organization: Organization | None,
    action: str,
    entity: str,
    entity_id: object,
    changes: dict[str, Any],
) -> AuditEvent:
    """Append one event to the audit trail (actor is None for API clients and system jobs)."""
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) else None,
        organization=organization,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        changes=changes,
    )


@transaction.atomic
def user_signup(*, email: str, password: str, display_name: str = "") -> User:
    """Create a seeker account; staff rights come only from memberships."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            _("このメールアドレスは既に登録されています。"), fields={"email": [_("登録済みです。")]}
        )
    user = User(email=email, display_name=display_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), fields={"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=user,
        organization=None,
        action=AuditAction.CREATE,
        entity="user",
        entity_id=user.pk,
        changes={"email": email},
    )
    return user


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    prefecture: Prefecture,
    municipality: Municipality | None = None,
    is_sample: bool = False,
) -> Organization:
    """Platform admins create organizations (a municipality's own, or a prefecture-wide body)."""
    if not is_platform_admin(actor):
        raise ApplicationError(_("組織を作成できるのは運営管理者だけです。"))
    if kind == OrganizationKind.PREFECTURE:
        municipality = None
    organization = Organization(
        name=name, kind=kind, prefecture=prefecture, municipality=municipality, is_sample=is_sample
    )
    organization.full_clean()
    organization.save()
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="organization",
        entity_id=organization.pk,
        changes={
            "name": name,
            "kind": kind,
            "prefecture": prefecture.pk,
            "municipality": municipality and municipality.pk,
        },
    )
    return organization


@transaction.atomic
def membership_add(*, actor: Any, organization: Organization, user: User, role: str) -> Membership:
    """Give a user a role in an organization (platform admins; invitations go through `invitation_accept`)."""
    if not is_platform_admin(actor):
        raise ApplicationError(_("メンバーを直接追加できるのは運営管理者だけです。招待を使ってください。"))
    return _membership_create(actor=actor, organization=organization, user=user, role=role)


def _membership_create(*, actor: Any, organization: Organization, user: User, role: str) -> Membership:
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ApplicationError(_("このユーザーは既にこの組織のメンバーです。"))
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="membership",
        entity_id=membership.pk,
        changes={"user": user.email, "role": role},
    )
    return membership


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str


@transaction.atomic
def invitation_create(*, actor: Any, organization_id: int, email: str, role: str) -> IssuedInvitation:
    """An admin invites a person by email; the one-time link is mailed and shown once."""
    organization = access_organization(actor, organization_id, action=OrganizationAction.MANAGE_MEMBERS)
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError(
            _("この人は既にこの組織のメンバーです。"), fields={"email": [_("メンバーです。")]}
        )
    Invitation.objects.filter(
        organization=organization, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    secret, token_hash = Invitation.new_secret()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=actor if isinstance(actor, User) else None,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"secret": secret})
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="invitation",
        entity_id=invitation.pk,
        changes={"email": email, "role": role},
    )
    subject = _("【nikyoten】%(organization)s への招待") % {"organization": organization.name}
    body = _(
        "%(organization)s から nikyoten への招待が届いています（役割: %(role)s）。\n"
        "次のリンクを開いて承諾してください（%(days)s 日間有効、一度だけ使えます）。\n\n%(url)s\n"
    ) % {
        "organization": organization.name,
        "role": invitation.get_role_display(),
        "days": settings.INVITATION_VALID_DAYS,
        "url": url,
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return IssuedInvitation(invitation=invitation, url=url)


def invitation_get_open(*, secret: str) -> Invitation:
    """The open invitation for a link's secret; used, revoked, expired and unknown links answer alike."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=Invitation.hash_secret(secret))
        .first()
    )
    if invitation is None or not invitation.is_open or not invitation.organization.is_active:
        raise NotFound(_("この招待リンクは無効です（使用済み・取消・期限切れのいずれか）。"))
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, secret: str) -> Membership:
    """The invited person (signed in with the invited address) joins with the invited role; the link is spent."""
    invitation = invitation_get_open(secret=secret)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise NotFound(_("この招待リンクは無効です（使用済み・取消・期限切れのいずれか）。"))
    if user.email.lower() != invitation.email.lower():
        raise ApplicationError(
            _("この招待は %(email)s 宛てです。そのアドレスでログインしてから開いてください。")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return _membership_create(
        actor=user, organization=invitation.organization, user=user, role=invitation.role
    )


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("招待が見つかりません。"))
    organization = access_organization(
        actor, invitation.organization_id, action=OrganizationAction.MANAGE_MEMBERS
    )
    if invitation.accepted_at or invitation.revoked_at:
        raise ApplicationError(_("この招待は既に使用済みか取り消されています。"))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.DELETE,
        entity="invitation",
        entity_id=invitation.pk,
        changes={"email": invitation.email},
    )
    return invitation


def _managed_membership(*, actor: Any, membership_id: int) -> Membership:
    membership = Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("メンバーが見つかりません。"))
    access_organization(actor, membership.organization_id, action=OrganizationAction.MANAGE_MEMBERS)
    return Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)


def _ensure_an_admin_remains(membership: Membership) -> None:
    others = Membership.objects.filter(
        organization=membership.organization, role=MembershipRole.ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == MembershipRole.ADMIN and not others.exists():
        raise ApplicationError(_("組織には管理者が最低1人必要です。先に別の人を管理者にしてください。"))


@transaction.atomic
def membership_change_role(*, actor: Any, membership_id: int, role: str) -> Membership:
    membership = _managed_membership(actor=actor, membership_id=membership_id)
    if role not in MembershipRole.values:
        raise ApplicationError(
            _("役割が正しくありません。"), fields={"role": [_("選択肢から選んでください。")]}
        )
    if role != MembershipRole.ADMIN:
        _ensure_an_admin_remains(membership)
    before = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        organization=membership.organization,
        action=AuditAction.UPDATE,
        entity="membership",
        entity_id=membership.pk,
        changes={"user": membership.user.email, "role": [before, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership_id: int) -> None:
    membership = _managed_membership(actor=actor, membership_id=membership_id)
    _ensure_an_admin_remains(membership)
    audit_record(
        actor=actor,
        organization=membership.organization,
        action=AuditAction.DELETE,
        entity="membership",
        entity_id=membership.pk,
        changes={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str


TOKEN_ROLES = (MembershipRole.VIEWER, MembershipRole.EDITOR)


@transaction.atomic
def api_token_issue(
    *, actor: Any, organization_id: int, name: str, role: str = MembershipRole.VIEWER
) -> IssuedToken:
    """Issue a token for the organization's own tools; the key is returned once and never stored."""
    organization = access_organization(actor, organization_id, action=OrganizationAction.MANAGE_TOKENS)
    if role not in TOKEN_ROLES:
        raise ApplicationError(
            _("API トークンの権限は閲覧者か編集者です。"),
            fields={"role": [_("閲覧者か編集者を選んでください。")]},
        )
    key, prefix, key_hash = ApiToken.new_key()
    token = ApiToken(
        organization=organization,
        name=name.strip(),
        role=role,
        prefix=prefix,
        key_hash=key_hash,
        created_by=actor if isinstance(actor, User) else None,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        entity="api_token",
        entity_id=token.pk,
        changes={"name": token.name, "role": role, "prefix": prefix},
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("API トークンが見つかりません。"))
    organization = access_organization(actor, token.organization_id, action=OrganizationAction.MANAGE_TOKENS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.DELETE,
            entity="api_token",
            entity_id=token.pk,
            changes={"prefix": token.prefix},
        )
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token for a presented key (its organization active too), recording when it was used."""
    token = (
        ApiToken.objects.select_related("organization")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, organization__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
