from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/sign-up/", views.sign_up, name="signup"),
    path("accounts/sign-up/done/", views.sign_up_done, name="signup-done"),
    path("accounts/verify/resend/", views.resend_verification, name="resend-verification"),
    path("accounts/verify/<str:token>/", views.verify_email, name="verify-email"),
    path("accounts/sign-in/", views.LoginView.as_view(), name="login"),
    path("accounts/sign-out/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/complete/", views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/", views.account, name="account"),
    path("accounts/api-tokens/", views.api_tokens, name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/members/", views.organisation_members, name="organisation-members"),
    path("organisations/<slug:slug>/members/<int:pk>/role/", views.membership_role, name="membership-role"),
    path("organisations/<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("organisations/<slug:slug>/invitations/<int:pk>/cancel/", views.invitation_cancel,
         name="invitation-cancel"),
]
