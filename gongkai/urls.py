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

# Error pages in Chinese; JSON in the API's error shape under /api/ (gongkai/core/http.py).
handler400 = "gongkai.core.http.bad_request"
handler403 = "gongkai.core.http.permission_denied"
handler404 = "gongkai.core.http.page_not_found"
handler500 = "gongkai.core.http.server_error"
