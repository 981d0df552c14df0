"""URLs of the ledgers (docs/ledgers.md "网址"), appended to junheng.web.urls (flat, so the scope
walk of tests/web/test_scope_walk.py sees every one)."""
from django.urls import path

from junheng.web.ledgers.digests import views as digests
from junheng.web.ledgers.rectification import views as rect

from junheng.web.ledgers.index import ledger_index  # noqa: E402

urlpatterns = [
    path("ledgers/", ledger_index, name="ledger_index"),
    path("ledgers/counties/<int:pk>/rectification/", rect.rect_list, name="rect_list"),
    path("ledgers/counties/<int:pk>/rectification/import/", rect.rect_import, name="rect_import"),
    path("ledgers/counties/<int:pk>/rectification/check/", rect.rect_check, name="rect_check"),
    path("ledgers/counties/<int:pk>/rectification.xlsx", rect.rect_xlsx, name="rect_xlsx"),
    path("ledgers/counties/<int:pk>/rectification.docx", rect.rect_docx, name="rect_docx"),
    path("ledgers/snapshots/<int:pk>/rectification/", rect.rect_from_snapshot, name="rect_from_snapshot"),
    path("ledgers/items/<int:pk>/", rect.rect_detail, name="rect_detail"),
    path("ledgers/items/<int:pk>/status/", rect.rect_status, name="rect_status"),
    path("ledgers/items/<int:pk>/edit/", rect.rect_edit, name="rect_edit"),
    path("ledgers/items/<int:pk>/evidence/", rect.rect_upload, name="rect_upload"),
    path("ledgers/evidence/<int:pk>/", rect.rect_evidence, name="rect_evidence"),
    path("ledgers/counties/<int:pk>/digests/", digests.digest_list, name="digest_list"),
    path("ledgers/digests/<int:pk>/", digests.digest_detail, name="digest_detail"),
    path("ledgers/digests/<int:pk>.docx", digests.digest_docx, name="digest_docx"),
    path("ledgers/digests/<int:pk>.txt", digests.digest_txt, name="digest_txt"),
]

from junheng.web.ledgers.dropout import views as dropout  # noqa: E402

urlpatterns += [
    path("ledgers/counties/<int:pk>/dropout/", dropout.dropout_list, name="dropout_list"),
    path("ledgers/counties/<int:pk>/dropout/import/", dropout.dropout_import, name="dropout_import"),
    path("ledgers/counties/<int:pk>/dropout/settings/", dropout.dropout_settings, name="dropout_settings"),
    path("ledgers/counties/<int:pk>/dropout.xlsx", dropout.dropout_xlsx, name="dropout_xlsx"),
    path("ledgers/children/<int:pk>/", dropout.child_detail, name="child_detail"),
    path("ledgers/children/<int:pk>/evidence/", dropout.child_upload, name="child_upload"),
    path("ledgers/child-evidence/<int:pk>/", dropout.child_evidence, name="child_evidence"),
]

from junheng.web.ledgers.projects import views as projects  # noqa: E402

urlpatterns += [
    path("ledgers/counties/<int:pk>/projects/", projects.project_list, name="project_list"),
    path("ledgers/projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("ledgers/counties/<int:pk>/projects.xlsx", projects.project_xlsx, name="project_xlsx"),
    path("ledgers/counties/<int:pk>/projects.docx", projects.project_docx, name="project_docx"),
    path("ledgers/snapshots/<int:pk>/plan/", projects.plan_create, name="plan_create"),
    path("ledgers/plan-jobs/<int:pk>/", projects.plan_job, name="plan_job"),
]
