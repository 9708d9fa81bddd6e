"""Sign-up, login, account, organization members, invitations and API tokens (HTML)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from nikyoten.accounts import selectors, services
from nikyoten.accounts.access import OrganizationAction, access_organization, can_act_on_organization
from nikyoten.accounts.forms import (
    ApiTokenForm,
    EmailAuthenticationForm,
    InvitationForm,
    RoleForm,
    SignupForm,
)
from nikyoten.accounts.models import Invitation, Membership, User
from nikyoten.core.exceptions import ApplicationError


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@method_decorator(ratelimit(key="ip", rate=settings.RATELIMIT_LOGIN, method="POST", block=True), name="post")
@method_decorator(
    ratelimit(key="post:username", rate=settings.RATELIMIT_LOGIN, method="POST", block=True), name="post"
)
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


@method_decorator(ratelimit(key="ip", rate=settings.RATELIMIT_SIGNUP, method="POST", block=True), name="post")
class SignupView(FormView):  # type: ignore[type-arg]
    template_name = "accounts/signup.html"
    form_class = SignupForm

    def get_initial(self) -> dict[str, Any]:
        return {"email": self.request.GET.get("email", "")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=_safe_next(self.request, ""), **kwargs)

    def form_valid(self, form: SignupForm) -> HttpResponse:
        try:
            user = services.user_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except ApplicationError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("登録が完了しました。ようこそ nikyoten へ。"))
        return redirect(_safe_next(self.request, reverse("accounts:account")))


@method_decorator(
    ratelimit(key="ip", rate=settings.RATELIMIT_PASSWORD_RESET, method="POST", block=True), name="post"
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        assert isinstance(user, User)  # LoginRequiredMixin
        return super().get_context_data(memberships=selectors.user_memberships(user=user), **kwargs)


class OrganizationDetailView(TemplateView):
    template_name = "accounts/organization_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = access_organization(self.request.user, kwargs["pk"], action=OrganizationAction.VIEW)
        can_view_members = can_act_on_organization(
            self.request.user, organization, action=OrganizationAction.VIEW_MEMBERS
        )
        can_manage = can_act_on_organization(
            self.request.user, organization, action=OrganizationAction.MANAGE_TOKENS
        )
        return super().get_context_data(
            organization=organization, can_view_members=can_view_members, can_manage=can_manage, **kwargs
        )


class OrganizationMembersView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/organization_members.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        memberships = selectors.membership_list(actor=user, organization_id=kwargs["pk"])
        organization = access_organization(user, kwargs["pk"], action=OrganizationAction.VIEW_MEMBERS)
        can_manage = can_act_on_organization(user, organization, action=OrganizationAction.MANAGE_MEMBERS)
        context = {
            "organization": organization,
            "memberships": memberships,
            "can_manage": can_manage,
            "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        }
        if can_manage:
            context["invitations"] = selectors.invitation_list(actor=user, organization_id=organization.pk)
            context["invitation_form"] = kwargs.pop("invitation_form", None) or InvitationForm()
        return super().get_context_data(**context, **kwargs)


class InvitationCreateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                issued = services.invitation_create(
                    actor=request.user,
                    organization_id=pk,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error("email", exc.message)
            else:
                messages.success(
                    request,
                    _("%(email)s に招待メールを送りました。リンク（一度だけ表示）: %(url)s")
                    % {"email": issued.invitation.email, "url": issued.url},
                )
                return redirect("accounts:organization_members", pk=pk)
        # Re-render the members page with the form's errors (the page itself only answers GET).
        view = OrganizationMembersView()
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, invitation_form=form))


class InvitationRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invitation = services.invitation_revoke(actor=request.user, invitation_id=pk)
        messages.success(request, _("%(email)s への招待を取り消しました。") % {"email": invitation.email})
        return redirect("accounts:organization_members", pk=invitation.organization_id)


class MembershipRoleView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = RoleForm(request.POST)
        membership = Membership.objects.filter(pk=pk).only("organization_id").first()
        try:
            if not form.is_valid():
                raise ApplicationError(_("役割が正しくありません。"))
            membership = services.membership_change_role(
                actor=request.user, membership_id=pk, role=form.cleaned_data["role"]
            )
            messages.success(
                request,
                _("%(user)s の役割を「%(role)s」に変更しました。")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
        except ApplicationError as exc:
            if membership is None or exc.status == 404:
                raise
            messages.error(request, exc.message)
        assert membership is not None
        return redirect("accounts:organization_members", pk=membership.organization_id)


class MembershipRemoveView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = Membership.objects.filter(pk=pk).only("organization_id").first()
        try:
            services.membership_remove(actor=request.user, membership_id=pk)
            messages.success(request, _("メンバーを外しました。"))
        except ApplicationError as exc:
            if membership is None or exc.status == 404:
                raise
            messages.error(request, exc.message)
        assert membership is not None
        return redirect("accounts:organization_members", pk=membership.organization_id)


class InvitationAcceptView(TemplateView):
    template_name = "accounts/invitation_accept.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invitation: Invitation = services.invitation_get_open(secret=kwargs["secret"])
        return super().get_context_data(invitation=invitation, **kwargs)

    def post(self, request: HttpRequest, secret: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            membership = services.invitation_accept(user=request.user, secret=secret)  # type: ignore[arg-type]
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _("%(organization)s のメンバーになりました。") % {"organization": membership.organization},
        )
        return redirect("accounts:organization_members", pk=membership.organization_id)


class OrganizationTokensView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/organization_tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tokens = selectors.api_token_list(actor=self.request.user, organization_id=kwargs["pk"])
        organization = access_organization(
            self.request.user, kwargs["pk"], action=OrganizationAction.MANAGE_TOKENS
        )
        kwargs.setdefault("form", ApiTokenForm())
        return super().get_context_data(organization=organization, tokens=tokens, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        issued = None
        if form.is_valid():
            try:
                issued = services.api_token_issue(
                    actor=request.user,
                    organization_id=pk,
                    name=form.cleaned_data["name"],
                    role=form.cleaned_data["role"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                form = ApiTokenForm()
        # The key is shown in this response only; it is never stored or shown again.
        return self.render_to_response(self.get_context_data(pk=pk, form=form, issued=issued))


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = services.api_token_revoke(actor=request.user, token_id=pk)
        messages.success(request, _("API トークン %(prefix)s… を失効させました。") % {"prefix": token.prefix})
        return redirect("accounts:organization_tokens", pk=token.organization_id)
