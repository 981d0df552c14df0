"""URL map of the workspace (docs/web.md "网址"). Every view scopes its rows with areas/scope.py."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from junheng.web.areas import views as areas
from junheng.web.audit import views as audit
from junheng.web.collection import views as collection
from junheng.web.dashboards import views as dashboards
from junheng.web.ledgers.urls import urlpatterns as ledger_urls
from junheng.web.snapshots import views as snapshots

admin.site.site_header = admin.site.site_title = "均衡 · 系统管理"

urlpatterns = [
    path("", areas.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schools/", areas.school_list, name="school_list"),
    path("schools/<int:pk>/", areas.school_detail, name="school_detail"),
    path("schools/<int:pk>/open/", collection.record_open, name="record_open"),
    path("records/<int:pk>/", collection.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", collection.record_edit, name="record_edit"),
    path("records/<int:pk>/submit/", collection.record_submit, name="record_submit"),
    path("records/<int:pk>/approve/", collection.record_approve, name="record_approve"),
    path("records/<int:pk>/return/", collection.record_return, name="record_return"),
    path("records/<int:pk>/excel/", collection.record_excel, name="record_excel"),
    path("records/<int:pk>/upload/", collection.record_upload, name="record_upload"),
    path("counties/<int:pk>/", collection.county_progress, name="county_progress"),
    path("counties/<int:pk>/approve/", collection.county_approve, name="county_approve"),
    path("counties/<int:pk>/import/", collection.county_import, name="county_import"),
    path("counties/<int:pk>/snapshots/", snapshots.snapshot_list, name="snapshot_list"),
    path("counties/<int:pk>/monitor/", snapshots.county_monitor, name="county_monitor"),
    path("counties/<int:pk>/monitor/<str:fmt>/", snapshots.county_monitor_download, name="county_monitor_download"),
    path("snapshots/<int:pk>/", snapshots.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<int:pk>/assess/<str:pack>/", snapshots.snapshot_assessment, name="snapshot_assessment"),
    path("snapshots/<int:pk>/assess/<str:pack>.json", snapshots.snapshot_json, name="snapshot_json"),
    path("snapshots/<int:pk>/compare/<int:other>/", snapshots.snapshot_compare, name="snapshot_compare"),
    path("snapshots/<int:pk>/reports/", snapshots.report_create, name="report_create"),
    path("jobs/<int:pk>/", snapshots.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", snapshots.job_download, name="job_download"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("dashboards/", dashboards.dashboard_index, name="dashboard_index"),
    path("counties/<int:pk>/dashboard/", dashboards.county_dashboard, name="county_dashboard"),
    path("api/", include("junheng.web.api.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += ledger_urls
