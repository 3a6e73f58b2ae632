from django.urls import path

from . import org_views, views

app_name = "registration"
urlpatterns = [
    path("", views.index, name="index"),
    path("level/<int:level_id>/", views.start, name="start"),
    path("r/<int:pk>/", views.detail, name="detail"),
    path("r/<int:pk>/eligibility/", views.eligibility_preview, name="eligibility"),
    path("r/<int:pk>/print/", views.print_form, name="print"),
    path("files/<int:pk>/", views.material_file, name="material"),
    path("organisation/", org_views.organisation_home, name="organisation_home"),
    path("organisation/<int:org_id>/", org_views.organisation, name="organisation"),
    path("organisation/<int:org_id>/r/<int:pk>/reset-password/", org_views.reset_candidate_password,
         name="organisation_reset_password"),
    path("organisation/<int:org_id>/template.xlsx", org_views.batch_template, name="batch_template"),
]
