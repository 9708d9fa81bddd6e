from django.contrib.auth import views as auth_views
from django.urls import path

from nikyoten.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("me/", views.AccountView.as_view(), name="account"),
    path("invitations/<str:secret>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="invitation_revoke"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path(
        "organizations/<int:pk>/members/",
        views.OrganizationMembersView.as_view(),
        name="organization_members",
    ),
    path(
        "organizations/<int:pk>/invitations/", views.InvitationCreateView.as_view(), name="invitation_create"
    ),
    path(
        "organizations/<int:pk>/tokens/", views.OrganizationTokensView.as_view(), name="organization_tokens"
    ),
    path("memberships/<int:pk>/role/", views.MembershipRoleView.as_view(), name="membership_role"),
    path("memberships/<int:pk>/remove/", views.MembershipRemoveView.as_view(), name="membership_remove"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
]
