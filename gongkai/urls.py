from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("gongkai.api.urls")),
    path("staff/", include("gongkai.accounts.urls")),
    path("staff/", include("gongkai.workbench.urls")),
    path("powers/", include("gongkai.powers.urls")),
    path("", include("gongkai.portal.urls")),
]
