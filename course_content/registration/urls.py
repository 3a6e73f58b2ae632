from django.urls import path

from .views import learner, org

app_name = "registration"
urlpatterns = [
    path("", learner.index, name="index"),
    path("level/<int:level_id>/", learner.start, name="start"),
    path("r/<int:pk>/", learner.detail, name="detail"),
    path("r/<int:pk>/eligibility/", learner.eligibility_preview, name="eligibility"),
    path("r/<int:pk>/print/", learner.print_form, name="print"),
    path("files/<int:pk>/", learner.material_file, name="material"),
    path("organisation/", org.organisation_home, name="organisation_home"),
    path("organisation/<int:org_id>/", org.organisation, name="organisation"),
    path("organisation/<int:org_id>/r/<int:pk>/reset-password/", org.reset_candidate_password,
         name="organisation_reset_password"),
    path("organisation/<int:org_id>/template.xlsx", org.batch_template, name="batch_template"),
]
