from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.services import TOKEN_ROLES


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": _("メールアドレスまたはパスワードが正しくありません。"),
        "inactive": _("このアカウントは利用停止中です。"),
    }


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(label=_("表示名（任意）"), max_length=100, required=False)
    password1 = forms.CharField(
        label=_("パスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("8文字以上。よく使われるパスワードや数字だけのものは使えません。"),
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("パスワードが一致しません。"))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("招待する人のメールアドレス"))
    role = forms.ChoiceField(label=_("役割"), choices=MembershipRole.choices, initial=MembershipRole.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=MembershipRole.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途（例: 町の公式サイト）"), max_length=100)
    role = forms.ChoiceField(
        label=_("権限"), choices=[c for c in MembershipRole.choices if c[0] in TOKEN_ROLES]
    )
