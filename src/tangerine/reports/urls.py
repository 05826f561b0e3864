from django.urls import URLPattern, URLResolver, path

from tangerine.reports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/mine/", views.MyReportListView.as_view(), name="report-mine"),
    path("reports/stats/", views.ReportStatsView.as_view(), name="report-stats"),
    path("reports/warnings/mine/", views.MyWarningListView.as_view(), name="warning-mine"),
    path("reports/<uuid:uuid>/", views.ReportDetailView.as_view(), name="report-detail"),
]
