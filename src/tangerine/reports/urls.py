from django.urls import URLPattern, URLResolver, path

from tangerine.reports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/mine/", views.MyReportListView.as_view(), name="report-mine"),
    path("reports/stats/", views.ReportStatsView.as_view(), name="report-stats"),
    path("reports/warnings/mine/", views.MyWarningListView.as_view(), name="warning-mine"),
    path("reports/appeals/", views.AppealListCreateView.as_view(), name="appeal-list"),
    path("reports/appeals/mine/", views.MyAppealListView.as_view(), name="appeal-mine"),
    path("reports/appeals/<uuid:uuid>/", views.AppealDetailView.as_view(), name="appeal-detail"),
    path("reports/hidden/", views.HiddenContentView.as_view(), name="hidden-content"),
    path("reports/<uuid:uuid>/", views.ReportDetailView.as_view(), name="report-detail"),
]
