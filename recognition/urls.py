from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("allowances/", views.sheet, name="sheet"),
    path("allowances/pay/", views.sheet_pay, name="sheet_pay"),
    path("allowances/export/", views.sheet_export, name="sheet_export"),
    path("rates/", views.rates, name="rates"),
    path("rates/new/", views.rate_new, name="rate_new"),
    path("rewards/", views.rewards, name="rewards"),
    path("rewards/new/", views.reward_new, name="reward_new"),
    path("rewards/decide/", views.reward_decide, name="reward_decide"),
    path("rewards/export/", views.rewards_export, name="rewards_export"),
]
