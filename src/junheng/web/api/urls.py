"""URLs of the API under /api/ (docs/web.md "API"); the schema at /api/schema/ is public."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from junheng.web.api import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="api-area")
router.register("schools", views.SchoolViewSet, basename="api-school")
router.register("records", views.RecordViewSet, basename="api-record")
router.register("snapshots", views.SnapshotViewSet, basename="api-snapshot")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="api-schema"),
    path("snapshots/<int:pk>/assessments/<str:pack>/", views.assessment, name="api-assessment"),
    path("", include(router.urls)),
]
